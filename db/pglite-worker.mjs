// PGlite on a thread of its own (see db/pglite-thread.ts). Plain JavaScript, so that the thread
// starts without a TypeScript loader under `node --import tsx`, vitest and the production build.
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const ROLLBACK = Symbol("rollback");
/** Open transactions by the id the main thread gave them. */
const transactions = new Map();

/** Query options without functions: parsers arrive as the type ids whose text is kept as it is. */
function optionsOf(options) {
  if (!options) return undefined;
  const { keepText, ...rest } = options;
  if (keepText && keepText.length > 0) rest.parsers = Object.fromEntries(keepText.map((type) => [type, (value) => value]));
  return rest;
}

/** An error as plain data: message, name and the primitive fields (code, detail, constraint …). */
function errorData(error) {
  if (!(error instanceof Error)) return { message: String(error), name: "Error" };
  const data = { message: error.message, name: error.name, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) data[key] = value;
  }
  return data;
}

const reply = (id, result) => parentPort.postMessage({ id, ok: true, result });
const fail = (id, error) => parentPort.postMessage({ id, ok: false, error: errorData(error) });

// On Linux the nice value is per thread, and 0 names the calling one: the database yields to the
// event loop's thread when the cores are busy, so relaying changes goes before storing them.
// (Elsewhere, or without the right, the call does nothing or fails, and the priority stays.)
if (workerData.nice) {
  try {
    os.setPriority(0, workerData.nice);
  } catch {
    // keep the default priority
  }
}

let pg;
try {
  pg = await PGlite.create(workerData.dataDir);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: errorData(error) });
}

const target = (message) => {
  if (!message.tx) return pg;
  const open = transactions.get(message.tx);
  if (!open?.tx) throw new Error(`no open transaction ${message.tx}`);
  return open.tx;
};

parentPort.on("message", async (message) => {
  const { id, op } = message;
  try {
    switch (op) {
      case "query":
        return reply(id, await target(message).query(message.sql, message.params, optionsOf(message.options)));
      case "exec":
        return reply(id, await target(message).exec(message.sql, optionsOf(message.options)));
      case "begin": {
        // PGlite's own transaction: queries outside it wait until it ends, as on the main thread.
        const open = {};
        transactions.set(message.tx, open);
        open.ended = pg.transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              Object.assign(open, { tx, resolve, reject });
              reply(id, null);
            }),
        );
        open.ended.catch((error) => {
          if (open.tx) return;
          transactions.delete(message.tx);
          fail(id, error);
        });
        return;
      }
      case "end": {
        const open = transactions.get(message.tx);
        transactions.delete(message.tx);
        if (!open?.tx) throw new Error(`no open transaction ${message.tx}`);
        if (message.commit) open.resolve();
        else open.reject(ROLLBACK);
        try {
          await open.ended;
        } catch (error) {
          if (error !== ROLLBACK) throw error;
        }
        return reply(id, null);
      }
      case "close":
        await pg?.close();
        return reply(id, null);
      default:
        throw new Error(`unknown operation ${op}`);
    }
  } catch (error) {
    fail(id, error);
  }
});
