import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { PGliteThread } from "./pglite-thread";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** pg-boss's `db` option on PGlite; undefined on a PostgreSQL server (pg-boss opens its own pool). */
  bossAdapter?: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
  connectionString?: string;
  close(): Promise<void>;
};

const MIGRATION_LOCK = 727_001;
/**
 * The nice value of PGlite's thread (Linux): when the cores are busy, the event loop (relaying
 * changes to the sockets) runs before the database (storing them, then acknowledging).
 */
export const PGLITE_THREAD_NICE = 10;
const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

export type DatabaseOptions = {
  /** A postgres:// URL, or undefined for embedded PGlite. */
  url?: string;
  /** PGlite's data directory, or "memory://" for a throw-away database. */
  dataDir?: string;
  /** Sees every statement the portal sends (the benchmark counts them). */
  logger?: Logger;
  /**
   * Where PGlite runs: "worker" (a thread of its own, so that its synchronous work does not hold
   * the event loop; what the portal uses) or "main" (the calling thread; tests and scripts).
   */
  pgliteThread?: "main" | "worker";
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    pool.on("error", () => {
      // A dropped idle connection is replaced on the next query; nothing to do here.
    });
    const db = drizzlePg({ client: pool, schema, logger: options.logger }) as unknown as Db;
    return { db, kind: "postgres", connectionString: options.url, close: () => pool.end() };
  }
  const dataDir = options.dataDir ?? "./data/pglite";
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  const client = options.pgliteThread === "worker" ? await PGliteThread.create(dataDir, { nice: PGLITE_THREAD_NICE }) : await PGlite.create(dataDir);
  // drizzle calls query/exec/transaction only, which the thread's client has with PGlite's meaning.
  const db = drizzlePglite({ client: client as PGlite, schema, logger: options.logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    bossAdapter: {
      // pg-boss sends multi-statement scripts without parameters; only exec() runs those.
      async executeSql(text, values) {
        if (values && values.length > 0) return client.query(text, values);
        const results = await client.exec(text);
        return results.at(-1) ?? { rows: [] };
      },
    },
    close: () => client.close(),
  };
}

/**
 * Applies the migrations under an advisory lock, so that two instances starting at the same
 * time do not both migrate, then runs `afterMigrate` (the demo seed) under the same lock.
 */
export async function migrateDatabase(database: Database, afterMigrate?: (db: Db) => Promise<void>) {
  if (database.kind === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    if (afterMigrate) await afterMigrate(database.db);
    return;
  }
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
    // The seed runs on the pool, whose queries may overlap, while this client keeps the lock:
    // another instance still waits until it is done.
    if (afterMigrate) await afterMigrate(database.db);
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

export async function pingDatabase(db: Db) {
  await db.execute(sql`select 1`);
}
