// Merges Yjs updates off the event loop's thread (see merge-thread.ts). Plain JavaScript, so that
// the thread starts without a TypeScript loader.
import { parentPort } from "node:worker_threads";
import * as Y from "yjs";

parentPort.on("message", ({ id, parts }) => {
  try {
    const merged = Y.mergeUpdates(parts);
    parentPort.postMessage({ id, ok: true, merged }, [merged.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
