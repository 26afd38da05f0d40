// Merges Yjs updates off the event loop's thread (see merge-thread.ts). Plain JavaScript, so that
// the thread starts without a TypeScript loader.
import os from "node:os";
import { parentPort } from "node:worker_threads";
import * as Y from "yjs";

// Merging can wait; relaying changes cannot. On Linux the nice value is per thread (0 names the
// calling one), so when the cores are busy the event loop's thread goes first, as it does before
// PGlite's thread (db/pglite-worker.mjs). Without the right, the priority stays as it is.
try {
  os.setPriority(0, 10);
} catch {
  // keep the default priority
}

parentPort.on("message", ({ id, parts }) => {
  try {
    const merged = Y.mergeUpdates(parts);
    parentPort.postMessage({ id, ok: true, merged }, [merged.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
