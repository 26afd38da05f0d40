import { Worker } from "node:worker_threads";
import type { QueryOptions, Results } from "@electric-sql/pglite";

type Call =
  | { op: "query"; sql: string; params?: unknown[]; options?: WireOptions; tx?: number }
  | { op: "exec"; sql: string; options?: WireOptions; tx?: number }
  | { op: "begin"; tx: number }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "close" };
type WireOptions = Omit<QueryOptions, "parsers" | "serializers" | "onNotice" | "blob"> & { keepText?: number[] };
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData };
type ErrorData = { message: string; name: string; stack?: string } & Record<string, unknown>;

/** The part of a PGlite transaction the portal uses (drizzle, pg-boss, reused statements). */
export type ThreadTransaction = {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string, options?: QueryOptions): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
};

class RollbackRequested extends Error {}

function errorOf(data: ErrorData): Error {
  const { message, name, stack, ...fields } = data;
  const error = Object.assign(new Error(message), fields);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}

/**
 * PGlite on a worker thread, with the methods of a PGlite instance that drizzle, pg-boss and
 * `reusedStatement` call. PGlite runs PostgreSQL as WebAssembly synchronously on the thread that
 * owns it: on the main thread every statement holds the event loop (a commit of the notes'
 * updates for tens of milliseconds), and sockets wait. Here the main thread only posts messages.
 *
 * The semantics are PGlite's own: one session, a transaction holds it until it ends and
 * statements from outside wait (the worker runs `PGlite.transaction`). Query options cross the
 * thread as data: a parser may only keep a type's text as it is (what drizzle asks for
 * timestamps, dates and intervals); serializers and notice callbacks are not supported.
 */
export class PGliteThread {
  private nextId = 1;
  private nextTx = 1;
  private pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private broken: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (answer: Answer) => {
      const call = this.pending.get(answer.id);
      if (!call) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) this.worker.unref();
      if (answer.ok) call.resolve(answer.result);
      else call.reject(errorOf(answer.error));
    });
    const breakDown = (error: Error) => {
      this.broken ??= error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on("error", breakDown);
    worker.on("exit", (code) => breakDown(new Error(`the database thread ended (${code})`)));
    worker.unref();
  }

  /** `nice`: the thread's nice value (Linux), so that the event loop's thread goes first. */
  static async create(dataDir: string, options: { nice?: number } = {}): Promise<PGliteThread> {
    const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), { workerData: { dataDir, nice: options.nice ?? 0 } });
    const started = await new Promise<{ ready: boolean; error?: ErrorData }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (!started.ready) {
      await worker.terminate();
      throw errorOf(started.error ?? { message: "PGlite did not start", name: "Error" });
    }
    return new PGliteThread(worker);
  }

  private call<T>(call: Call): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...call });
    });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    return this.call({ op: "query", sql, params, options: wire(options), tx });
  }

  exec(sql: string, options?: QueryOptions, tx?: number): Promise<Results[]> {
    return this.call({ op: "exec", sql, options: wire(options), tx });
  }

  async transaction<T>(callback: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const id = this.nextTx++;
    await this.call({ op: "begin", tx: id });
    let closed = false;
    const tx: ThreadTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, id),
      exec: (sql, options) => this.exec(sql, options, id),
      rollback: async () => {
        throw new RollbackRequested("rollback");
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      closed = true;
      await this.call({ op: "end", tx: id, commit: false });
      if (error instanceof RollbackRequested) return undefined as T;
      throw error;
    }
    closed = true;
    await this.call({ op: "end", tx: id, commit: true });
    return result;
  }

  async close() {
    if (!this.broken) await this.call({ op: "close" }).catch(() => undefined);
    await this.worker.terminate();
  }
}

function wire(options: QueryOptions | undefined): WireOptions | undefined {
  if (!options) return undefined;
  const { parsers, serializers, onNotice, blob, ...rest } = options;
  if (serializers || onNotice || blob) throw new TypeError("serializers, notice callbacks and blobs do not cross to the database thread");
  const keepText = parsers ? Object.keys(parsers).map(Number) : undefined;
  return keepText ? { ...rest, keepText } : rest;
}
