/**
 * The clients of `npm run bench:collab`, for either server, and the thread that runs a share of
 * them during a load. Each client thread has a heap of its own, as each browser has: a pause to
 * collect one thread's garbage delays only its own clients, not every client of the load at once.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { CollabClient } from "../support/collab-client";
import { connectLeanHocuspocusClient, connectLeanPortalClient } from "./collab-lean-clients";

/** How a thread reaches a server: what it needs to open a client there. */
export type ClientSpec = { kind: "portal"; url: string; cookies: string[]; docNames: string[] } | { kind: "hocuspocus"; url: string };

export type Connected = { doc: Y.Doc; close(): void; refused(): string[] };

/** Milliseconds on the machine's monotonic clock, the same in every thread and process. */
export const clock = () => Number(process.hrtime.bigint() / 1000n) / 1000;

/** "lean" (the default: tests/bench/collab-lean-clients.ts) or "library" (socket.io-client, @hocuspocus/provider). */
export const clientKind = () => (process.env.BENCH_COLLAB_CLIENT === "library" ? "library" : "lean");

export async function connectClient(spec: ClientSpec, docIndex: number, clientIndex: number): Promise<Connected> {
  if (clientKind() === "lean") {
    const client =
      spec.kind === "portal"
        ? await connectLeanPortalClient(spec.url, spec.cookies[clientIndex % spec.cookies.length], spec.docNames[docIndex])
        : await connectLeanHocuspocusClient(spec.url, `doc-${docIndex}`);
    return { doc: client.doc, close: () => client.close(), refused: () => client.refused };
  }
  if (spec.kind === "portal") {
    const client = await CollabClient.connect(spec.url, spec.cookies[clientIndex % spec.cookies.length], spec.docNames[docIndex]);
    return { doc: client.doc, close: () => client.close(), refused: () => client.refused };
  }
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: spec.url, WebSocketPolyfill: WebSocket });
  let synced!: () => void;
  const ready = new Promise<void>((resolve) => (synced = resolve));
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: `doc-${docIndex}`, document: doc, onSynced: () => synced() });
  if (!provider.isAttached) (provider as unknown as { attach(): void }).attach();
  await ready;
  return {
    doc,
    close: () => {
      provider.destroy();
      socket.destroy();
    },
    refused: () => [],
  };
}

type Plan = { spec: ClientSpec; clients: Array<[docIndex: number, clientIndex: number]>; perClientRate: number; warmupSeconds: number; seconds: number };
type Done = { samples: Float64Array; refused: string[] };

/** Starts a thread that connects `plan.clients`; `start()` begins the load, `done` brings its latencies. */
export function startClientThread(plan: Plan) {
  const url = new URL(import.meta.url).href;
  // The thread loads this module through the same TypeScript loader (a worker does not inherit it).
  const worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`, { eval: true, workerData: { collabClients: plan } });
  const failed = new Promise<never>((_, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`a client thread ended (${code})`)));
  });
  const message = (type: string) =>
    Promise.race([failed, new Promise<Done>((resolve) => worker.on("message", (answer: { type: string } & Done) => answer.type === type && resolve(answer)))]);
  const ready = message("ready");
  const done = message("done");
  void done.catch(() => undefined);
  return { ready, done, start: () => worker.postMessage("start") };
}

async function runThread({ spec, clients: plan, perClientRate, warmupSeconds, seconds }: Plan) {
  const clients: Array<Connected & { id: string }> = [];
  // A few connections at a time, as the load's documents open one after another.
  for (let i = 0; i < plan.length; i += 10) {
    const opened = await Promise.all(plan.slice(i, i + 10).map(([docIndex, clientIndex]) => connectClient(spec, docIndex, clientIndex)));
    opened.forEach((client, j) => clients.push({ ...client, id: `${plan[i + j][0]}:${plan[i + j][1]}` }));
  }
  const samples: number[] = [];
  let measuring = false;
  // Each change sets a new key of a map: a map event names its changed keys, so reading the
  // latencies costs as much for the last change as for the first. (An array's event delta walks
  // the whole array, which in (a) grows to thousands of entries.)
  for (const client of clients) {
    const entries = client.doc.getMap<number>("bench");
    entries.observe((event) => {
      if (!measuring) return;
      const now = clock();
      for (const key of event.keysChanged) if (!key.startsWith(`${client.id}/`)) samples.push(now - entries.get(key)!);
    });
  }
  parentPort!.postMessage({ type: "ready" });
  await new Promise((resolve) => parentPort!.once("message", resolve));
  const interval = 1000 / perClientRate;
  const timers = clients.map((client, index) =>
    setTimeout(() => {
      let sent = 0;
      timers[index] = setInterval(() => client.doc.getMap<number>("bench").set(`${client.id}/${sent++}`, clock()), interval);
    }, Math.random() * interval),
  );
  // The first seconds are not measured: both servers (and the client threads) compile their
  // hot paths then, once per process, as a long-running server has long done.
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  for (const timer of timers) clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  measuring = false;
  const refused = clients.flatMap((client) => client.refused());
  const done = Float64Array.from(samples);
  parentPort!.postMessage({ type: "done", samples: done, refused }, [done.buffer]);
  for (const client of clients) client.close();
  process.exit(0);
}

if (!isMainThread && (workerData as { collabClients?: Plan } | null)?.collabClients) {
  void runThread((workerData as { collabClients: Plan }).collabClients);
}
