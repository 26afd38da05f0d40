import { Database as StoreExtension } from "@hocuspocus/extension-database";
import { Server } from "@hocuspocus/server";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/client";

/**
 * The reference server for `npm run bench:collab`: @hocuspocus/server with its defaults, storing
 * each document as its users do, through @hocuspocus/extension-database: the whole state, debounced
 * (2 s after the last change, at the latest 10 s after the first), in a table of the same database
 * the portal is measured on, opened the same way (PGlite on a thread of its own, or the PostgreSQL
 * server in DATABASE_URL). Clients get no word of it: Hocuspocus confirms an update once it is in
 * memory. The bench passes where to store in HOCUSPOCUS_STORE: a PGlite data directory, a
 * postgres:// URL, or "none" to keep the documents in memory only (BENCH_COLLAB_HOCUSPOCUS_STORE=none).
 */
const port = Number(process.env.PORT ?? 0);
const storeIn = process.env.HOCUSPOCUS_STORE ?? "none";

async function storeExtension() {
  if (storeIn === "none") return [];
  const database = await openDatabase(storeIn.startsWith("postgres") ? { url: storeIn } : { dataDir: storeIn, pgliteThread: "worker" });
  await database.db.execute(sql`create table if not exists hocuspocus_documents (name text primary key, state bytea not null)`);
  return [
    new StoreExtension({
      async fetch({ documentName }) {
        const { rows } = (await database.db.execute(sql`select state from hocuspocus_documents where name = ${documentName}`)) as unknown as { rows: Array<{ state: Uint8Array }> };
        return rows[0] ? new Uint8Array(rows[0].state) : null;
      },
      async store({ documentName, state }) {
        await database.db.execute(sql`insert into hocuspocus_documents (name, state) values (${documentName}, ${state}) on conflict (name) do update set state = excluded.state`);
      },
    }),
  ];
}

const server = new Server({ port, quiet: true, debounce: 2000, maxDebounce: 10_000, extensions: await storeExtension() });
await server.listen();
console.log(`hocuspocus ready on ${server.address.port}`);
