/**
 * `npm run bench`: throughput of the signed-in start page against the floor (/ping, an empty
 * Remix resource route through the same server, middleware and session check).
 *
 * Starts tests/bench/server.ts as a child process (the production build on in-memory PGlite, or
 * on a fresh database on DATABASE_URL), then loads it with autocannon: a short warm-up, then
 * BENCH_CONNECTIONS connections for BENCH_DURATION seconds against /ping and against / (in
 * alternating slices), every connection signed in as its own person. Passes when the start page reaches at least 50 % of
 * the floor's requests per second; exits non-zero otherwise or when any response was not 2xx.
 *
 * Then two mail measurements:
 * - inviting a network of BENCH_NETWORK_SIZE people: the coordinator posts the meeting form, and
 *   the time until every invitation has been accepted by a local Resend stub (the real SDK,
 *   pointed at it with RESEND_BASE_URL). Fails on any duplicate delivery or a missing mail.
 * - a burst of BENCH_REGISTRATIONS registrations without an account, all sent at once, against a
 *   kunskapsdag with BENCH_KUNSKAPSDAG_SEATS seats: the time until every one has been answered
 *   with a seat or a waitlist place, p99 per registration, and overbooked seats (must be 0), from
 *   the answers and the public page afterwards. Fails on any error, overbooking or a lost registration.
 * - the public kunskapsdag page under BENCH_CONNECTIONS anonymous readers, against /ping without a
 *   cookie, in alternating slices: requests/s, latency and server CPU ms per request of each, and
 *   the ratio (reported, not judged).
 * - the reminder scan (tests/bench/reminder-scan.ts, its own process): time and SQL statements
 *   per scan with the same 10 due meetings among 1,000 and among 10,000 that are not due. Fails
 *   when the statements per scan differ.
 * - an action list of 2,000 items (tests/bench/action-lists.ts, its own process): the table page's
 *   p50/p99 with and without a filter, and the time for one edit to reach 50 viewers in the list's
 *   live room (p50/p99). Reported, not judged; fails when the measurement itself fails.
 * - the tertial report (tests/bench/followup-report.ts, its own process): an agreement with 500
 *   åtgärder and 40 indicators × 12 periods; time to read, count and render PDF, DOCX and CSV,
 *   and the memory it takes (reported; fails only when the report cannot be built).
 *
 * Settings (environment):
 *   BENCH_DURATION=10      seconds per measured run
 *   BENCH_WARMUP=2         seconds of warm-up per path
 *   BENCH_CONNECTIONS=50   concurrent connections (and signed-in people)
 *   BENCH_ROUNDS=4         slices per path; the paths are measured alternately
 *   BENCH_CPU_PROF=<dir>   write a V8 CPU profile of the server to <dir> (.cpuprofile)
 *   BENCH_SKIP_BUILD=1     use ./build as it is, even when the sources are newer
 *   BENCH_NETWORK_SIZE=200 people in the invited network
 *   BENCH_SCAN_RUNS=5      scans per size in the reminder scan measurement
 *   BENCH_REGISTRATIONS=1000      registrations in the burst
 *   BENCH_KUNSKAPSDAG_SEATS=300   seats on the kunskapsdag
 *   BENCH_BURST_CONNECTIONS=200   client sockets the burst is sent over (the rest wait in the client)
 *   BENCH_START_ONLY=1     measure only the start page against the floor (for comparing changes to it)
 *   BENCH_PUBLIC_ONLY=1    measure only the public kunskapsdag page against the floor, after a small
 *                          registration burst (BENCH_REGISTRATIONS, here 20 unless set, so the seats
 *                          are not all free; 0 skips it). The full burst of 1,000 leaves its mail
 *                          being sent during the measurement, which would blur a quick comparison.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import autocannon from "autocannon";
import { ensureBuild } from "../../app/server/ensure-build";
import { startResendStub } from "../support/resend-stub";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
const START_ONLY = Boolean(process.env.BENCH_START_ONLY);
const PUBLIC_ONLY = Boolean(process.env.BENCH_PUBLIC_ONLY);
const TARGET_RATIO = 0.5;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 25_000;

type Ready = {
  url: string;
  cookies: string[];
  pid: number;
  database: "pglite" | "postgres";
  /** A network of BENCH_NETWORK_SIZE people and its coordinator's cookie. */
  network: { id: string; cookie: string; members: number };
  /** A published kunskapsdag open for registration. */
  kunskapsdag: { id: string; capacity: number; organisationId: string };
};

type ResendStub = Awaited<ReturnType<typeof startResendStub>>;

type RunResult = {
  label: string;
  path: string;
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  peakRssKiB: number;
  /** Server CPU time per completed request: what the route costs, whatever else the machine runs. */
  serverCpuPerRequestMs: number;
  /** Server and load generator CPU time over wall time (1 = one core busy all the time). */
  serverCpuShare: number;
  generatorCpuShare: number;
};

const MiB = (kib: number) => (kib / 1024).toFixed(0);

/** Resident set size of a process in KiB, from /proc (Linux); undefined once it has gone. */
function rssKiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` while running; `stop()` gives the highest value. */
function rssSampler(pid: number, everyMs = 100) {
  let peak = rssKiB(pid) ?? 0;
  const timer = setInterval(() => {
    const now = rssKiB(pid);
    if (now !== undefined && now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssKiB(pid);
      if (now !== undefined && now > peak) peak = now;
      return peak;
    },
  };
}

function startServer(stub: ResendStub): { child: ChildProcess; ready: Promise<Ready> } {
  const tsxCli = path.resolve("node_modules/tsx/dist/cli.mjs");
  // Node flags given to tsx go to the process that runs the script (not to tsx's own wrapper).
  const nodeFlags: string[] = [];
  if (process.env.BENCH_CPU_PROF) {
    fs.mkdirSync(process.env.BENCH_CPU_PROF, { recursive: true });
    nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`);
  }
  const child = spawn(process.execPath, [tsxCli, ...nodeFlags, path.resolve("tests/bench/server.ts")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      BENCH_USERS: String(CONNECTIONS),
      RESEND_API_KEY: "re_bench_key",
      RESEND_BASE_URL: stub.url,
    },
  });
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[server] ${chunk}`));
  const ready = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not report ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("{")) {
        try {
          const parsed = JSON.parse(line) as Ready;
          if (typeof parsed.url === "string" && Array.isArray(parsed.cookies)) {
            clearTimeout(timer);
            resolve(parsed);
            return;
          }
        } catch {
          // Not the ready line; echoed below.
        }
      }
      process.stdout.write(`[server] ${line}\n`);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return { child, ready };
}

/**
 * SIGTERM to the server process itself (`serverPid`, from its ready line) rather than to the tsx
 * wrapper in between: the wrapper relays a signal and then force-kills its child if the child has
 * not acknowledged it within 30 ms, which a server busy finishing requests can miss. The wrapper
 * exits with the server's exit code.
 */
async function stopServer(child: ChildProcess, serverPid?: number) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    if (serverPid) process.kill(serverPid, "SIGTERM");
    else child.kill("SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
  const timer = setTimeout(() => {
    console.error(`The server did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it.`);
    child.kill("SIGKILL");
  }, STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Each connection gets its own person's cookie, in order, wrapping around. */
function perConnectionCookies(cookies: string[]) {
  let next = 0;
  return (client: autocannon.Client) => {
    const cookie = cookies[next++ % cookies.length];
    if (cookie) client.setHeaders({ cookie });
  };
}

/** One autocannon run against one path; the raw result is aggregated with the path's other slices. */
async function slice(ready: Ready, urlPath: string, seconds: number) {
  const sampler = rssSampler(ready.pid);
  const serverCpuBefore = cpuMs(ready.pid);
  const ownCpuBefore = process.cpuUsage();
  const raw = await autocannon({
    url: `${ready.url}${urlPath}`,
    connections: CONNECTIONS,
    duration: seconds,
    setupClient: perConnectionCookies(ready.cookies),
    skipAggregateResult: true,
  });
  const ownCpu = process.cpuUsage(ownCpuBefore);
  return {
    raw,
    peakRssKiB: sampler.stop(),
    serverCpuMs: cpuMs(ready.pid) - serverCpuBefore,
    generatorCpuMs: (ownCpu.user + ownCpu.system) / 1000,
  };
}

function summarise(label: string, ready: Ready, urlPath: string, slices: Array<Awaited<ReturnType<typeof slice>>>): RunResult {
  const raws = slices.map((s) => s.raw);
  const result = autocannon.aggregateResult(raws, { url: `${ready.url}${urlPath}`, connections: CONNECTIONS });
  // Completed requests over the time spent measuring (aggregateResult's own per-second figures
  // only cover one slice).
  const total = raws.reduce((sum, raw) => sum + raw.totalCompletedRequests, 0);
  const seconds = raws.reduce((sum, raw) => sum + raw.duration, 0);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
  return {
    label,
    path: urlPath,
    requestsPerSecond: total / seconds,
    total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    peakRssKiB: Math.max(...slices.map((s) => s.peakRssKiB)),
    serverCpuPerRequestMs: slices.reduce((sum, s) => sum + s.serverCpuMs, 0) / total,
    serverCpuShare: slices.reduce((sum, s) => sum + s.serverCpuMs, 0) / (seconds * 1000),
    generatorCpuShare: slices.reduce((sum, s) => sum + s.generatorCpuMs, 0) / (seconds * 1000),
  };
}

/**
 * Measures both paths in alternating slices (floor, start, floor, start, …) so that a change in
 * the machine's background load during the run affects both about equally.
 */
async function measure(ready: Ready) {
  const seconds = DURATION / ROUNDS;
  const floor: Array<Awaited<ReturnType<typeof slice>>> = [];
  const start: Array<Awaited<ReturnType<typeof slice>>> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`Round ${round}/${ROUNDS}: /ping and / for ${seconds} s each…`);
    floor.push(await slice(ready, "/ping", seconds));
    start.push(await slice(ready, "/", seconds));
  }
  return { floor: summarise("floor", ready, "/ping", floor), start: summarise("start page", ready, "/", start) };
}

/** Before any load: the floor answers "ok", and every cookie really gets the signed-in start page. */
async function checkResponses(ready: Ready) {
  const problems: string[] = [];
  const ping = await fetch(`${ready.url}/ping`, { headers: { cookie: ready.cookies[0] }, redirect: "manual" });
  const pingBody = await ping.text();
  if (ping.status !== 200 || pingBody !== "ok") {
    problems.push(`/ping answered ${ping.status} ${JSON.stringify(pingBody.slice(0, 80))} (is ./build older than app/routes/ping.ts?)`);
  }
  for (const [i, cookie] of ready.cookies.entries()) {
    const response = await fetch(`${ready.url}/`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) {
      problems.push(`/ with cookie ${i + 1} answered ${response.status} ${response.headers.get("location") ?? ""}`.trim());
    } else if (!body.includes("Välkommen")) {
      problems.push(`/ with cookie ${i + 1} answered 200 but not with the signed-in start page`);
    }
  }
  // Without a cookie the start page must send people to sign in, or the check above proves nothing.
  const anonymous = await fetch(`${ready.url}/`, { redirect: "manual" });
  await anonymous.arrayBuffer();
  if (anonymous.status < 300 || anonymous.status >= 400 || !anonymous.headers.get("location")?.includes("/logga-in")) {
    problems.push(`/ without a cookie answered ${anonymous.status}, expected a redirect to /logga-in`);
  }
  return problems;
}

function printTable(database: string, idleRssKiB: number, floor: RunResult, start: RunResult) {
  const rows = [
    ["", "requests/s", "p50 ms", "p99 ms", "non-2xx", "errors", "server CPU ms/req", "server CPU", "bench CPU", "peak RSS MiB"],
    ...[floor, start].map((run) => [
      `${run.label} (${run.path})`,
      run.requestsPerSecond.toFixed(0),
      run.p50.toFixed(1),
      run.p99.toFixed(1),
      String(run.non2xx),
      String(run.errors + run.timeouts),
      run.serverCpuPerRequestMs.toFixed(2),
      `${(run.serverCpuShare * 100).toFixed(0)} %`,
      `${(run.generatorCpuShare * 100).toFixed(0)} %`,
      MiB(run.peakRssKiB),
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const format = (row: string[]) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  ");
  const ratio = start.requestsPerSecond / floor.requestsPerSecond;
  const cpuRatio = floor.serverCpuPerRequestMs / start.serverCpuPerRequestMs;
  const peak = Math.max(floor.peakRssKiB, start.peakRssKiB);
  const [load1] = os.loadavg();
  console.log("");
  console.log(`Database: ${database === "postgres" ? "PostgreSQL (DATABASE_URL)" : "PGlite (in memory)"}`);
  console.log(
    `Load: ${CONNECTIONS} connections, one signed-in person each; ${DURATION} s per path in ${ROUNDS} alternating slice(s), after ${WARMUP} s warm-up per path`,
  );
  console.log(`Machine: ${os.availableParallelism()} CPUs, load average ${load1.toFixed(1)} at the end`);
  console.log("");
  console.log(format(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) console.log(format(row));
  console.log("");
  console.log(`Start page / floor requests/s: ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} % on PGlite)`);
  console.log(`Floor / start page server CPU per request: ${(cpuRatio * 100).toFixed(1)} % (the same ratio, less sensitive to other load on the machine)`);
  console.log(`RSS idle: ${MiB(idleRssKiB)} MiB, peak under load: ${MiB(peak)} MiB`);
  return ratio;
}

/**
 * The coordinator invites the whole network with the meeting form; measured until the stub has
 * accepted one invitation per member. Returns the problems found.
 */
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? (PUBLIC_ONLY ? 20 : 1000));

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A POST through a keep-alive agent of at most BURST_CONNECTIONS sockets: every request is issued
 * at once and the agent queues those beyond its sockets, like browsers behind a proxy would,
 * instead of overflowing the server's listen backlog with a thousand simultaneous connects.
 */
const BURST_CONNECTIONS = Number(process.env.BENCH_BURST_CONNECTIONS ?? 200);
const burstAgent = new http.Agent({ keepAlive: true, maxSockets: BURST_CONNECTIONS });
function post(url: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent: burstAgent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** All registrations sent at once; each answer says a seat or a waitlist place, which is counted. */
async function registrationBurst(ready: Ready) {
  const problems: string[] = [];
  const { id, capacity, organisationId } = ready.kunskapsdag;
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: REGISTRATIONS }, async (_, i) => {
      const body = new URLSearchParams({ name: `Deltagare ${i + 1}`, email: `deltagare-${i + 1}@bench.invalid`, organisationId, organisationOther: "", consent: "on" });
      const sent = Date.now();
      try {
        const response = await post(`${ready.url}/kunskapsdagar/${id}`, body.toString(), { origin: ready.url, "content-type": "application/x-www-form-urlencoded" });
        const text = response.text;
        const place = /Du står på plats (\d+) på väntelistan/.exec(text);
        // A registration answered with an error status counts as lost, even if its text looks right.
        const outcome = response.status !== 200 ? "other" : text.includes("Du har fått en plats") ? "seat" : place ? "waitlist" : "other";
        return { status: response.status, ms: Date.now() - sent, outcome, position: place ? Number(place[1]) : null };
      } catch (error) {
        return { status: 0, ms: Date.now() - sent, outcome: "error", position: null, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const answeredMs = Date.now() - started;
  burstAgent.destroy();
  const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
  const confirmed = results.filter((result) => result.outcome === "seat").length;
  const waitlisted = results.filter((result) => result.outcome === "waitlist");
  const lost = results.filter((result) => result.outcome !== "seat" && result.outcome !== "waitlist");
  const positions = new Set(waitlisted.map((result) => result.position));
  const overbooked = Math.max(0, confirmed - capacity);
  // The public page, read afterwards, must tell the same.
  const page = await (await fetch(`${ready.url}/kunskapsdagar/${id}`)).text();
  const expectedWaitlist = Math.max(0, REGISTRATIONS - capacity);
  console.log("");
  console.log(`Registration burst: ${REGISTRATIONS} registrations at once for ${capacity} seats (public form, no account):`);
  console.log(`  all confirmed or waitlisted after ${answeredMs} ms; per registration p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`);
  console.log(`  ${confirmed} confirmed, ${waitlisted.length} waitlisted (${positions.size} distinct places), overbooked = ${overbooked}, lost = ${lost.length}`);
  if (lost.length) problems.push(`${lost.length} registrations got an error status or neither a seat nor a waitlist place (first: ${JSON.stringify(lost[0])})`);
  if (overbooked > 0) problems.push(`${overbooked} seats overbooked`);
  if (confirmed !== Math.min(capacity, REGISTRATIONS) || waitlisted.length !== expectedWaitlist || positions.size !== expectedWaitlist) {
    problems.push(`expected ${Math.min(capacity, REGISTRATIONS)} confirmed and ${expectedWaitlist} waitlisted in distinct places, got ${confirmed} and ${waitlisted.length} (${positions.size} places)`);
  }
  if (expectedWaitlist > 0 && !page.includes(`${expectedWaitlist} på väntelistan`)) problems.push(`the public page does not show ${expectedWaitlist} on the waitlist afterwards`);
  if (!problems.length) console.log("  PASS: every registration has a seat or its own waitlist place, none overbooked or lost");
  return problems;
}

/** Anonymous readers on the public kunskapsdag page against the floor, in alternating slices. */
async function publicKunskapsdagPage(ready: Ready) {
  const problems: string[] = [];
  const pagePath = `/kunskapsdagar/${ready.kunskapsdag.id}`;
  const check = await fetch(`${ready.url}${pagePath}`);
  if (check.status !== 200 || !(await check.text()).includes("Bänkens kunskapsdag")) problems.push(`${pagePath} answered ${check.status} without the day`);
  const anonymous = { ...ready, cookies: [""] };
  const seconds = DURATION / ROUNDS;
  const floor: Array<Awaited<ReturnType<typeof slice>>> = [];
  const page: Array<Awaited<ReturnType<typeof slice>>> = [];
  console.log("");
  console.log(`Public kunskapsdag page under ${CONNECTIONS} anonymous readers (alternating with /ping, ${ROUNDS} × ${seconds} s each):`);
  await slice(anonymous, pagePath, WARMUP);
  for (let round = 1; round <= ROUNDS; round++) {
    floor.push(await slice(anonymous, "/ping", seconds));
    page.push(await slice(anonymous, pagePath, seconds));
  }
  const floorResult = summarise("floor", anonymous, "/ping", floor);
  const pageResult = summarise("public kunskapsdag page", anonymous, pagePath, page);
  for (const run of [floorResult, pageResult]) {
    console.log(
      `  ${run.label.padEnd(24)} ${run.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  server CPU ${run.serverCpuPerRequestMs.toFixed(2)} ms/req`,
    );
    if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
      problems.push(`${run.label} (${run.path}) had ${run.non2xx} non-2xx responses, ${run.errors} errors, ${run.timeouts} timeouts; status codes ${JSON.stringify(run.statusCodes)}`);
    }
  }
  console.log(`  public page / floor requests/s: ${((pageResult.requestsPerSecond / floorResult.requestsPerSecond) * 100).toFixed(1)} %`);
  console.log(`  floor / public page server CPU per request: ${((floorResult.serverCpuPerRequestMs / pageResult.serverCpuPerRequestMs) * 100).toFixed(1)} %`);
  console.log(`  Machine: ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end (${ready.database})`);
  return problems;
}

async function inviteNetwork(ready: Ready, stub: ResendStub) {
  const problems: string[] = [];
  const isInvitation = (key: string | null) => Boolean(key?.startsWith("meeting:") && key.endsWith(":invitation"));
  const date = new Date(Date.now() + 14 * 24 * 60 * 60_000).toISOString().slice(0, 10);
  const body = new URLSearchParams({ title: "Nätverksträff", date, startTime: "09:00", endTime: "11:00", place: "Stadshuset", inviteNetwork: "on", extraEmails: "" });
  const started = Date.now();
  const response = await fetch(`${ready.url}/natverk/${ready.network.id}/moten/nytt`, {
    method: "POST",
    headers: { cookie: ready.network.cookie, origin: ready.url, "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  await response.arrayBuffer();
  const answeredMs = Date.now() - started;
  if (response.status !== 302) {
    problems.push(`the meeting form answered ${response.status}, expected a redirect to the new meeting`);
    return problems;
  }
  const expected = ready.network.members;
  const accepted = () => [...stub.deliveries.keys()].filter(isInvitation).length;
  const until = Date.now() + 300_000;
  while (accepted() < expected && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  const allMs = Date.now() - started;
  // A moment for any duplicate to show itself before counting.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const requests = stub.requests.filter((request) => isInvitation(request.idempotencyKey));
  const perPerson = new Map<string, number>();
  for (const [key, delivery] of stub.deliveries) if (isInvitation(key)) perPerson.set(delivery.to[0], (perPerson.get(delivery.to[0]) ?? 0) + 1);
  const duplicates = [...perPerson.values()].reduce((sum, count) => sum + count - 1, 0);
  console.log("");
  console.log(`Inviting a network of ${expected} people (meeting form, mail through the real Resend SDK to a local stub):`);
  console.log(`  the form answered after ${answeredMs} ms (the ${expected} mails are queued in its transaction)`);
  console.log(
    `  all ${accepted()} invitations accepted by the stub after ${(allMs / 1000).toFixed(1)} s (${((accepted() / allMs) * 1000).toFixed(1)} mails/s); ` +
      `${requests.length} requests, ${perPerson.size} people, duplicates = ${duplicates}`,
  );
  if (accepted() < expected) problems.push(`only ${accepted()} of ${expected} invitations reached the stub within 300 s`);
  if (duplicates > 0 || perPerson.size !== expected) problems.push(`${duplicates} duplicate invitations, ${perPerson.size} of ${expected} people invited`);
  return problems;
}

type ScanPhase = {
  meetings: number;
  firstMs: number;
  repeatedMedianMs: number;
  statements: number[];
  dueMeetings: number;
  mails: number[];
  emptyScanMs: number;
  emptyScanStatements: number;
  plan: string;
};

/** The reminder scan measurement in its own process; returns the problems found. */
async function reminderScan() {
  const problems: string[] = [];
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("tests/bench/reminder-scan.ts")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent" },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[scan] ${chunk}`));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
  if (code !== 0 || !line) {
    problems.push(`the reminder scan measurement failed (exit code ${code})`);
    return problems;
  }
  const result = JSON.parse(line) as { due: number; invitees: number; runs: number; small: ScanPhase; large: ScanPhase };
  console.log("");
  console.log(
    `Reminder scan: the same ${result.due} due meetings (${result.invitees} invitees each) among ${result.small.meetings - result.due} and ${result.large.meetings - result.due} not due; ${result.runs} scans each`,
  );
  const rows = [
    ["planned meetings", "first scan ms", "repeat scan ms", "statements/scan", "mails", "empty scan ms", "empty scan statements", "plan of the due query"],
    ...[result.small, result.large].map((phase) => [
      String(phase.meetings),
      phase.firstMs.toFixed(0),
      phase.repeatedMedianMs.toFixed(0),
      [...new Set(phase.statements)].join("/"),
      String(phase.mails[0]),
      phase.emptyScanMs.toFixed(1),
      String(phase.emptyScanStatements),
      phase.plan,
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, col) => (col === row.length - 1 ? cell : cell.padStart(widths[col]))).join("  ")}`);
    if (index === 0) console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
  console.log("  (first scan: queues and dispatches the reminders; repeat: median of the others, which find them queued already)");
  const statements = new Set([...result.small.statements, ...result.large.statements]);
  if (statements.size !== 1 || result.small.emptyScanStatements !== result.large.emptyScanStatements) {
    problems.push(`the statements per scan differ between ${result.small.meetings} and ${result.large.meetings} meetings: ${JSON.stringify([result.small.statements, result.large.statements])}`);
  } else {
    console.log(`  PASS: ${[...statements][0]} statements per scan with ${result.small.meetings} and with ${result.large.meetings} meetings`);
  }
  if (result.small.dueMeetings !== result.due || result.large.dueMeetings !== result.due) problems.push("the scan did not find every due meeting");
  return problems;
}

type ActionListResult = {
  database: string;
  items: number;
  viewers: number;
  requests: number;
  edits: number;
  loader: { p50: number; p99: number };
  filter: { p50: number; p99: number };
  edit: { p50: number; p99: number };
};

/** The action list measurement (tests/bench/action-lists.ts) in its own process; returns the problems found. */
async function actionLists() {
  const problems: string[] = [];
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("tests/bench/action-lists.ts")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent" },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[actions] ${chunk}`));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
  if (code !== 0 || !line) {
    problems.push(`the action list measurement failed (exit code ${code})`);
    return problems;
  }
  const result = JSON.parse(line) as ActionListResult;
  console.log("");
  console.log(`Action list of ${result.items} items (${result.database}): ${result.requests} page loads each, ${result.edits} edits seen by ${result.viewers} live viewers`);
  const rows = [
    ["measurement", "p50 ms", "p99 ms"],
    ["table page (loader and render)", result.loader.p50.toFixed(1), result.loader.p99.toFixed(1)],
    ["table page with a filter", result.filter.p50.toFixed(1), result.filter.p99.toFixed(1)],
    [`one edit reaching all ${result.viewers} viewers`, result.edit.p50.toFixed(1), result.edit.p99.toFixed(1)],
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  ")}`);
    if (index === 0) console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
  return problems;
}

/** The start page against the floor, judged against the target on PGlite; true when it failed. */
async function startPageAgainstFloor(ready: Ready, idleRssKiB: number) {
  let failed = false;
  console.log(`Warming up (${WARMUP} s per path)…`);
  await slice(ready, "/ping", WARMUP);
  await slice(ready, "/", WARMUP);

  const { floor, start } = await measure(ready);

  const ratio = printTable(ready.database, idleRssKiB, floor, start);
  for (const run of [floor, start]) {
    if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
      failed = true;
      console.error(
        `FAIL: ${run.label} (${run.path}) had ${run.non2xx} non-2xx responses, ${run.errors} errors, ${run.timeouts} timeouts; ` +
          `status codes ${JSON.stringify(run.statusCodes)}`,
      );
    }
  }
  if (ready.database !== "pglite") {
    console.log(`Target (start page ≥ ${TARGET_RATIO * 100} % of the floor on PGlite): not judged on ${ready.database}`);
  } else if (ratio >= TARGET_RATIO) {
    console.log(`PASS: the start page reaches ${(ratio * 100).toFixed(1)} % of the floor's requests/s (target ≥ ${TARGET_RATIO * 100} %)`);
  } else {
    failed = true;
    console.log(`FAIL: the start page reaches only ${(ratio * 100).toFixed(1)} % of the floor's requests/s (target ≥ ${TARGET_RATIO * 100} %)`);
  }
  return failed;
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    try {
      ensureBuild();
    } catch (error) {
      console.error(`FAIL: the production build failed (${error instanceof Error ? error.message : String(error)}); see the output above.`);
      process.exit(1);
    }
  }
  const startedAt = Date.now();
  const stub = await startResendStub();
  const { child, ready: readyPromise } = startServer(stub);
  let serverPid: number | undefined;
  void readyPromise.then((ready) => (serverPid = ready.pid)).catch(() => undefined);
  const interrupt = () => {
    void stopServer(child, serverPid).then(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);

  let failed = false;
  try {
    const ready = await readyPromise;
    console.log(`Server ready at ${ready.url} (pid ${ready.pid}, ${ready.database}) after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    if (ready.cookies.length < CONNECTIONS) throw new Error(`expected ${CONNECTIONS} cookies, got ${ready.cookies.length}`);

    const problems = await checkResponses(ready);
    if (problems.length) {
      for (const problem of problems) console.error(`FAIL: ${problem}`);
      throw new Error("the server did not answer as expected before the load; not measuring");
    }

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRssKiB = rssKiB(ready.pid) ?? 0;

    if (!PUBLIC_ONLY) failed = await startPageAgainstFloor(ready, idleRssKiB);
    const more = START_ONLY
      ? []
      : PUBLIC_ONLY
        ? [...(REGISTRATIONS > 0 ? [() => registrationBurst(ready)] : []), () => publicKunskapsdagPage(ready)]
        : [() => inviteNetwork(ready, stub), () => registrationBurst(ready), () => publicKunskapsdagPage(ready)];
    for (const measurement of more) {
      for (const problem of await measurement()) {
        failed = true;
        console.error(`FAIL: ${problem}`);
      }
    }
  } catch (error) {
    failed = true;
    console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    const code = await stopServer(child, serverPid);
    if (code !== 0) {
      failed = true;
      console.error(`FAIL: the server exited with code ${code} on SIGTERM`);
    }
    await stub.close();
  }
  if (START_ONLY || PUBLIC_ONLY) {
    console.log(`Total time ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    process.exit(failed ? 1 : 0);
  }
  try {
    for (const problem of await reminderScan()) {
      failed = true;
      console.error(`FAIL: ${problem}`);
    }
    for (const problem of await actionLists()) {
      failed = true;
      console.error(`FAIL: ${problem}`);
    }
  } catch (error) {
    failed = true;
    console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    for (const problem of await followupReport()) {
      failed = true;
      console.error(`FAIL: ${problem}`);
    }
  } catch (error) {
    failed = true;
    console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    console.log(`Total time ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
  process.exit(failed ? 1 : 0);
}

type ReportBench = {
  database: string;
  items: number;
  indicators: number;
  measurements: number;
  runs: number;
  medianMs: { loadMs: number; buildMs: number; pdfMs: number; docxMs: number; csvMs: number; totalMs: number };
  bytes: { pdf: number; docx: number; csv: number };
  heapGrowthMb: number;
  rssGrowthMb: number;
};

/** The tertial report of a large agreement, in its own process so its memory is its own. */
async function followupReport() {
  const problems: string[] = [];
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), path.resolve("tests/bench/followup-report.ts")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent" },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[report] ${chunk}`));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
  if (code !== 0 || !line) {
    problems.push(`the follow-up report measurement failed (exit code ${code})`);
    return problems;
  }
  const result = JSON.parse(line) as ReportBench;
  const ms = result.medianMs;
  console.log("");
  console.log(`Tertial report: ${result.items} åtgärder, ${result.indicators} indicators × ${result.measurements} periods (${result.database}, median of ${result.runs} runs)`);
  const rows = [
    ["read ms", "count ms", "PDF ms", "DOCX ms", "CSV ms", "total ms", "PDF kB", "DOCX kB", "CSV kB", "heap growth MB", "RSS growth MB"],
    [ms.loadMs, ms.buildMs, ms.pdfMs, ms.docxMs, ms.csvMs, ms.totalMs].map((value) => value.toFixed(0)).concat(
      [result.bytes.pdf, result.bytes.docx, result.bytes.csv].map((bytes) => (bytes / 1024).toFixed(0)),
      [result.heapGrowthMb.toFixed(0), result.rssGrowthMb.toFixed(0)],
    ),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, col) => cell.padStart(widths[col])).join("  ")}`);
    if (index === 0) console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
  return problems;
}

void main();
