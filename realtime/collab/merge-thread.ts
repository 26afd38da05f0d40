import { Worker } from "node:worker_threads";

export type MergeUpdates = (parts: Uint8Array[]) => Promise<Uint8Array>;

/**
 * `Y.mergeUpdates` on a worker thread. Compaction merges a document's snapshot with hundreds of
 * stored updates; on the event loop's thread that held every socket for tens of milliseconds,
 * several times a minute while people write. The thread starts on the first merge and is not
 * kept alive for its own sake (unref).
 */
export function mergeThread(): { merge: MergeUpdates; close(): Promise<void> } {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve(merged: Uint8Array): void; reject(error: Error): void }>();
  const start = () => {
    const started = new Worker(new URL("./merge-worker.mjs", import.meta.url));
    started.unref();
    started.on("message", (answer: { id: number; ok: boolean; merged?: Uint8Array; message?: string }) => {
      const call = pending.get(answer.id);
      pending.delete(answer.id);
      if (pending.size === 0) started.unref();
      if (answer.ok) call?.resolve(answer.merged!);
      else call?.reject(new Error(answer.message));
    });
    const fail = (error: Error) => {
      if (worker === started) worker = undefined;
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    started.on("error", fail);
    started.on("exit", (code) => fail(new Error(`the merge thread ended (${code})`)));
    return started;
  };
  return {
    merge(parts) {
      worker ??= start();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (pending.size === 0) worker!.ref();
        pending.set(id, { resolve, reject });
        worker!.postMessage({ id, parts });
      });
    },
    async close() {
      const running = worker;
      worker = undefined;
      await running?.terminate();
    },
  };
}
