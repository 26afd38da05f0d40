/**
 * `npm run bench:collab`: the co-editing server under load, beside @hocuspocus/server 3 (the
 * reference) in the same run and under the same load.
 *
 * (a) BENCH_COLLAB_CLIENTS (20) clients on one document sending BENCH_COLLAB_RATE (200) updates/s
 *     between them, for BENCH_COLLAB_SECONDS (30) seconds;
 * (b) BENCH_COLLAB_DOCS (100) documents × 5 clients, each client one update per second;
 * and, measured first on the fresh server, RSS per idle document: BENCH_COLLAB_IDLE_DOCS (200)
 * documents opened by one client each that sends nothing (the client connection is included).
 *
 * Reported per server: p50/p99 update-to-peer latency (a client's change until another client's
 * document has it, on the machine's monotonic clock), the server process's CPU (share of one
 * core) and RSS, the share of the machine's CPU time stolen by the hypervisor meanwhile (on a
 * virtual machine, a run with a high figure was measured on a machine that was not the bench's
 * alone), and the CPU of the kernel's DAMON threads (kdamond) meanwhile, where the kernel runs a
 * DAMON scheme (proactive reclaim, as some virtual machines do): they hold a core in bursts, and
 * the more memory the server keeps resident, the more they work (ADR 0015). The portal
 * acknowledges each update only after its commit (PGlite on disk, or PostgreSQL with
 * DATABASE_URL); Hocuspocus confirms an update once it is in memory and stores the document
 * later, debounced, in the same kind of database (tests/bench/collab-hocuspocus.ts;
 * BENCH_COLLAB_HOCUSPOCUS_STORE=none: in memory only).
 * BENCH_COLLAB_ROUNDS=3 repeats everything with the servers taking turns and prints the median
 * p99 per server and load as well.
 * Each load runs BENCH_COLLAB_WARMUP (3) seconds before it is measured, and its clients are dealt
 * out to BENCH_COLLAB_THREADS (4) threads of this process (tests/bench/collab-clients.ts), each
 * with a heap of its own, as browsers have. The clients are lean ones that write each server's
 * wire format directly (tests/bench/collab-lean-clients.ts), so that what they cost the shared
 * cores is small and the same for both servers; BENCH_COLLAB_CLIENT=library measures with
 * socket.io-client and @hocuspocus/provider instead.
 * Set BENCH_COLLAB_SECONDS=5 for a smoke run, BENCH_COLLAB_TARGETS=portal to measure only the
 * portal, and BENCH_COLLAB_CPU_PROF=<dir> to write a V8 CPU profile of the portal process there.
 * BENCH_COLLAB_NODE_ARGS passes flags to both servers' Node (e.g. "--trace-gc"), and
 * BENCH_COLLAB_LOG=<file> keeps the portal's output there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { notesDocName } from "../../app/domain/notes/state.server";
import { migrateDatabase, openDatabase } from "../../db/client";
import { seedDemoData } from "../../db/seed";
import { clientKind, connectClient, startClientThread, type ClientSpec, type Connected } from "./collab-clients";
import { createNotesMeeting, NOTES_PEOPLE } from "../support/collab-fixture";
import { freePort, freshDatabase, TEST_SECRET } from "../support/portal";
import { users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { createSession } from "../../app/auth/session.server";

const SECONDS = Number(process.env.BENCH_COLLAB_SECONDS ?? 30);
const CLIENTS = Number(process.env.BENCH_COLLAB_CLIENTS ?? 20);
const RATE = Number(process.env.BENCH_COLLAB_RATE ?? 200);
const DOCS = Number(process.env.BENCH_COLLAB_DOCS ?? 100);
const IDLE_DOCS = Number(process.env.BENCH_COLLAB_IDLE_DOCS ?? 200);
const PER_DOC = 5;
/** Rounds of both servers in turn (each round on freshly started servers). */
const ROUNDS = Number(process.env.BENCH_COLLAB_ROUNDS ?? 1);
/** Threads that share a load's clients. */
const THREADS = Number(process.env.BENCH_COLLAB_THREADS ?? 4);
/** Seconds of each load before it is measured. */
const WARMUP = Number(process.env.BENCH_COLLAB_WARMUP ?? 3);

/** Updates the portal refused during the run (should stay empty). */
const refusals: string[] = [];

type Target = { name: string; pid: number; clients: ClientSpec; stop(): Promise<void> };

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The middle value; for an even count, the mean of the two middle ones. */
function median(values: number[]) {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A process's name and CPU seconds so far (user and system), from its `/proc/<pid>/stat`. */
function readStat(pid: number | string) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

function processStats(pid: number) {
  const { cpuSeconds } = readStat(pid);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
  return { cpuSeconds, rss };
}

/** The numbered entries of a directory (processes in /proc, kdamonds, contexts, schemes), as paths. */
const numbered = (dir: string) => fs.readdirSync(dir).filter((name) => /^\d+$/.test(name)).map((name) => `${dir}/${name}`);
const readTrimmed = (file: string) => fs.readFileSync(file, "utf8").trim();

/**
 * CPU seconds so far of the kernel's DAMON threads (kdamond): on a machine whose kernel runs a
 * DAMON reclaim scheme, they walk the machine's memory and hold a core in bursts. Their work
 * grows with the memory the server under load keeps resident, so it is part of what a server
 * costs the machine, and it is reported beside the server's own CPU.
 */
function reclaimCpuSeconds() {
  let seconds = 0;
  for (const proc of numbered("/proc")) {
    try {
      const stat = readStat(proc.slice("/proc/".length));
      if (stat.name.startsWith("kdamond")) seconds += stat.cpuSeconds;
    } catch {
      // the process ended meanwhile
    }
  }
  return seconds;
}

/** DAMON schemes the kernel runs now, e.g. "pageout" (none where DAMON is absent or off). */
function damonSchemes() {
  try {
    return numbered("/sys/kernel/mm/damon/admin/kdamonds")
      .filter((kdamond) => readTrimmed(`${kdamond}/state`) === "on")
      .flatMap((kdamond) => numbered(`${kdamond}/contexts`))
      .flatMap((context) => numbered(`${context}/schemes`))
      .map((scheme) => readTrimmed(`${scheme}/action`));
  } catch {
    return []; // no DAMON, or not readable: nothing to report
  }
}

/** The machine's CPU time so far (all cores) and the part the hypervisor gave to others (steal). */
function machineStats() {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: fields.slice(0, 8).reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
}

function waitForLine(child: ChildProcess, pattern: RegExp) {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) resolve(match);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => reject(new Error(`exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Flags for both servers' Node (BENCH_COLLAB_NODE_ARGS). */
const nodeArgs = () => process.env.BENCH_COLLAB_NODE_ARGS?.split(" ").filter(Boolean) ?? [];

/** A new directory under tests/.tmp for one server's data (removed when it stops). */
function scratchDir(prefix: string) {
  fs.mkdirSync(path.join(process.cwd(), "tests/.tmp"), { recursive: true });
  return fs.mkdtempSync(path.join(process.cwd(), "tests/.tmp", prefix));
}

async function startPortalTarget(): Promise<Target> {
  const dataDir = scratchDir("bench-collab-");
  const fresh = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const database = fresh ? fresh.database : await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  await migrateDatabase(database, async (db) => void (await seedDemoData(db)));
  const meetingIds: string[] = [];
  for (let i = 0; i < 1 + DOCS + IDLE_DOCS; i++) meetingIds.push(await createNotesMeeting(database.db, `Benchmöte ${i}`));
  const cookies: string[] = [];
  for (const email of [NOTES_PEOPLE.coordinator, NOTES_PEOPLE.member]) {
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    cookies.push(`sv_session=${(await createSession(database.db, user.id, "bench")).token}`);
  }
  await database.close();
  const port = await freePort();
  const profileDir = process.env.BENCH_COLLAB_CPU_PROF;
  const profile = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(profileDir)] : [];
  const child = spawn(process.execPath, [...profile, ...nodeArgs(), "--import", "tsx", "app/server/main.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      APP_SECRET: TEST_SECRET,
      SEED_DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      COLLAB_IDLE_SECONDS: "600",
      ...(process.env.PGLITE_THREAD ? { PGLITE_THREAD: process.env.PGLITE_THREAD } : {}),
      // COLLAB_* settings given to the bench reach the portal, to compare them.
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("COLLAB_"))),
      ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForLine(child, /körs på/);
  // A portal that ends during the run says why (its log is otherwise not shown).
  let log = "";
  let stopping = false;
  if (process.env.BENCH_COLLAB_LOG) child.stdout!.pipe(fs.createWriteStream(process.env.BENCH_COLLAB_LOG));
  child.stderr!.on("data", (chunk) => (log = (log + chunk).slice(-20_000)));
  child.stdout!.on("data", (chunk) => (log = (log + chunk).slice(-20_000)));
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`The portal ended during the run (${code ?? signal}):\n${log}`);
  });
  return {
    name: `portal (${fresh ? "PostgreSQL" : "PGlite"}, ack after commit)`,
    pid: child.pid!,
    clients: { kind: "portal", url: `http://localhost:${port}`, cookies, docNames: meetingIds.map(notesDocName) },
    async stop() {
      stopping = true;
      await stopChild(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await fresh?.drop();
    },
  };
}

/**
 * The reference stores its documents in the same kind of database as the portal (a PGlite of its
 * own, or a fresh database on the PostgreSQL server), unless BENCH_COLLAB_HOCUSPOCUS_STORE=none.
 */
async function startHocuspocusTarget(): Promise<Target> {
  const inMemory = process.env.BENCH_COLLAB_HOCUSPOCUS_STORE === "none";
  const dataDir = inMemory || process.env.DATABASE_URL ? undefined : scratchDir("bench-hocuspocus-");
  const fresh = !inMemory && process.env.DATABASE_URL ? await freshDatabase() : undefined;
  await fresh?.database.close();
  const store = inMemory ? "none" : (fresh?.url ?? path.join(dataDir!, "pglite"));
  const child = spawn(process.execPath, [...nodeArgs(), "--import", "tsx", "tests/bench/collab-hocuspocus.ts"], {
    env: { ...process.env, PORT: "0", HOCUSPOCUS_STORE: store },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const match = await waitForLine(child, /hocuspocus ready on (\d+)/);
  return {
    name: `@hocuspocus/server 3 (${inMemory ? "in memory" : `stores debounced in ${fresh ? "PostgreSQL" : "PGlite"}`})`,
    pid: child.pid!,
    clients: { kind: "hocuspocus", url: `ws://127.0.0.1:${match[1]}` },
    async stop() {
      await stopChild(child);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      await fresh?.drop();
    },
  };
}

/**
 * Clients on `docs` documents, each sending `perClientRate` updates/s for SECONDS; latency
 * measured at every peer. The clients are dealt out to THREADS threads (one document's clients
 * to different threads), each with a heap of its own, as browsers have: a collection in one
 * thread holds up its own clients only. With all clients on one heap, its mark-compacts (10–30
 * ms, every few seconds) stopped every client at once and decided the p99 of both servers.
 */
async function runLoad(target: Target, docs: number, perDoc: number, perClientRate: number, firstDoc: number) {
  const shares = Array.from({ length: THREADS }, () => [] as Array<[number, number]>);
  let next = 0;
  for (let d = 0; d < docs; d++) for (let c = 0; c < perDoc; c++) shares[next++ % THREADS].push([firstDoc + d, c]);
  const threads = shares.filter((share) => share.length > 0).map((share) => startClientThread({ spec: target.clients, clients: share, perClientRate, warmupSeconds: WARMUP, seconds: SECONDS }));
  await Promise.all(threads.map((thread) => thread.ready));
  for (const thread of threads) thread.start();
  await new Promise((resolve) => setTimeout(resolve, WARMUP * 1000));
  const before = processStats(target.pid);
  const clientsBefore = processStats(process.pid);
  const machineBefore = machineStats();
  const reclaimBefore = reclaimCpuSeconds();
  const started = Date.now();
  const results = await Promise.all(threads.map((thread) => thread.done));
  const after = processStats(target.pid);
  const clientsAfter = processStats(process.pid);
  const machineAfter = machineStats();
  const reclaim = reclaimCpuSeconds() - reclaimBefore;
  const wall = (Date.now() - started) / 1000;
  const samples = results.flatMap((result) => Array.from(result.samples));
  for (const result of results) refusals.push(...result.refused);
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), samples: samples.length, cpu: (after.cpuSeconds - before.cpuSeconds) / wall, clientCpu: (clientsAfter.cpuSeconds - clientsBefore.cpuSeconds) / wall, rss: after.rss, reclaim: reclaim / wall, steal: (machineAfter.steal - machineBefore.steal) / Math.max(1, machineAfter.total - machineBefore.total) };
}

async function idleRss(target: Target, firstDoc: number) {
  const before = processStats(target.pid).rss;
  const clients: Connected[] = [];
  for (let d = 0; d < IDLE_DOCS; d++) clients.push(await connectClient(target.clients, firstDoc + d, 0));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = processStats(target.pid).rss;
  for (const client of clients) client.close();
  return (after - before) / IDLE_DOCS;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main() {
  const rows: string[][] = [];
  const schemes = damonSchemes();
  const only = process.env.BENCH_COLLAB_TARGETS;
  const targets = [startPortalTarget, startHocuspocusTarget].filter((_, i) => !only || only.split(",").includes(["portal", "hocuspocus"][i]));
  /** p99 per server and load over the rounds. */
  const p99s = new Map<string, number[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    // The servers take turns, and every other round the other one starts: the machine's
    // quieter or busier minutes then fall to neither of them more often.
    for (const start of round % 2 === 1 ? targets : [...targets].reverse()) {
      const target = await start();
      const label = ROUNDS > 1 ? `${target.name}, round ${round}` : target.name;
      try {
        // Idle documents first, on a fresh server: after the loads, the memory a server gives back
        // (or keeps) from them would swamp the figure.
        const idle = await idleRss(target, 1 + DOCS);
        const a = await runLoad(target, 1, CLIENTS, RATE / CLIENTS, 0);
        const b = await runLoad(target, DOCS, PER_DOC, 1, 1);
        const loads = [
          [`(a) ${CLIENTS} clients, 1 doc, ${RATE}/s`, a, ""],
          [`(b) ${DOCS} docs × ${PER_DOC} clients`, b, `${(idle / 1024).toFixed(0)} KiB`],
        ] as const;
        for (const [load, result, idleFigure] of loads) {
          rows.push([label, load, ms(result.p50), ms(result.p99), String(result.samples), `${(result.cpu * 100).toFixed(0)} %`, `${(result.clientCpu * 100).toFixed(0)} %`, `${(result.steal * 100).toFixed(1)} %`, `${(result.reclaim * 100).toFixed(1)} %`, mb(result.rss), idleFigure]);
          const key = `${target.name} | ${load}`;
          p99s.set(key, [...(p99s.get(key) ?? []), result.p99]);
        }
      } finally {
        await target.stop();
      }
    }
  }
  const header = ["server", "load", "p50", "p99", "samples", "CPU", "clients' CPU", "stolen", "kdamond", "RSS", "RSS / idle doc"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  console.log(`\nCo-editing benchmark, ${SECONDS} s per load (update-to-peer latency)`);
  console.log(clientKind() === "lean" ? "Clients: lean, each server's wire format written directly (BENCH_COLLAB_CLIENT=library: the client libraries)\n" : "Clients: socket.io-client and @hocuspocus/provider\n");
  if (schemes.length > 0) {
    console.log(`The kernel runs DAMON (${schemes.join(", ")}): its threads' CPU is the "kdamond" column. They hold a core in bursts,`);
    console.log("more often the more memory the server keeps resident; compare servers on a machine without it (ADR 0015).\n");
  }
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("-|-"));
  for (const row of rows) console.log(line(row));
  if (ROUNDS > 1) {
    // Single runs are decided by a few pauses (a collection, a busy core); the median over
    // rounds, each server in turn, is the figure to compare.
    console.log(`\nMedian p99 over ${ROUNDS} rounds (the servers take turns, the first alternating)\n`);
    for (const [key, values] of p99s) console.log(`${key} | ${ms(median(values))}`);
  }
  if (refusals.length > 0) console.log(`\nRefused updates: ${refusals.length} (${[...new Set(refusals)].join(", ")})`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
