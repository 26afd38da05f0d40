import { PGlite } from "@electric-sql/pglite";
import { fillPlaceholders, type Placeholder } from "drizzle-orm";
import type { Db } from "./client";
import { PGliteThread } from "./pglite-thread";

/** Prepared statements are built once per database (drizzle keeps the SQL; PostgreSQL the plan). */
export function preparedPer<T>(build: (db: Db) => T) {
  const cache = new WeakMap<Db, T>();
  return (db: Db) => {
    let prepared = cache.get(db);
    if (!prepared) cache.set(db, (prepared = build(db)));
    return prepared;
  };
}

type Select = {
  prepare(name: string): { execute(params: Record<string, unknown>): Promise<unknown[]> };
  toSQL(): { sql: string; params: unknown[] };
  _: { selectedFields: Record<string, unknown> };
};

/** The PGlite instance (on this thread or its own) under a drizzle database, or undefined on a PostgreSQL server. */
function pgliteOf(db: Db): PGlite | PGliteThread | undefined {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof PGlite || client instanceof PGliteThread ? client : undefined;
}

/** One value as an SQL literal for EXECUTE, which takes no bind parameters. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && !value.includes("\0")) return `'${value.replace(/'/g, "''")}'`;
  if (value instanceof Uint8Array) return `'\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'::bytea`;
  if (Array.isArray(value) && value.length > 0) return `array[${value.map(literal).join(", ")}]`;
  throw new TypeError(`cannot pass ${typeof value} to a reused statement`);
}

/** Statements prepared (or being prepared) per PGlite instance: callers at the same moment share one PREPARE. */
const preparedOn = new WeakMap<PGlite | PGliteThread, Map<string, Promise<unknown>>>();

/** `prepare <name> <definition>` once per PGlite instance; the definition is `as …` or `(types) as …`. */
function prepareOnce(client: PGlite | PGliteThread, name: string, definition: string) {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Map()));
  let done = prepared.get(name);
  if (!done) {
    done = client.exec(`prepare ${name} ${definition}`);
    prepared.set(name, done);
    done.catch(() => prepared.delete(name));
  }
  return done;
}

/**
 * A write that a hot path repeats with different values (the notes' group commit), in one SQL
 * text for both databases: `statement.sql` refers to its parameters as `$1`, `$2` … and
 * `statement.types` lists their types (`text[], bytea[]`). On a PostgreSQL server it runs as a
 * named statement that each connection prepares once. On PGlite, whose driver would parse and
 * plan it again on every call, it is prepared once per instance and run with EXECUTE, the
 * arguments written as literals (strings, numbers, booleans, null, bytes, and non-empty arrays of
 * those). Returns the rows the statement returns, if any.
 */
export async function executeReusedWrite(db: Db, name: string, statement: { types: string; sql: string }, args: unknown[]): Promise<Array<Record<string, unknown>>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid statement name ${name}`);
  const client = pgliteOf(db);
  if (!client) {
    const pool = (db as unknown as { $client: { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }> } }).$client;
    return (await pool.query({ name, text: statement.sql, values: args })).rows;
  }
  await prepareOnce(client, name, `(${statement.types}) as ${statement.sql}`);
  const results = await client.exec(`execute ${name}(${args.map(literal).join(", ")})`);
  return (results[results.length - 1]?.rows ?? []) as Array<Record<string, unknown>>;
}

/**
 * A flat read query that every page view runs, such as the start page's. On a PostgreSQL server
 * drizzle's `.prepare(name)` keeps a named statement and its plan per connection. PGlite's driver
 * sends each call as a new unnamed statement, so the same SQL is parsed and planned again every
 * time, which on a small database costs more than running it. There the statement is prepared
 * once per PGlite instance and run with EXECUTE on a generic plan: a third of the time.
 *
 * Rows come back as drizzle would return them for plain columns and `sql<T>` fields whose values
 * PostgreSQL types itself (json, text, numbers, booleans); fields that need drizzle's own
 * decoding (`mapWith`, custom types) do not belong here.
 */
export function reusedStatement<Row>(name: string, build: (db: Db) => Select) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid statement name ${name}`);
  const compiled = preparedPer((db) => {
    const query = build(db);
    const { sql, params } = query.toSQL();
    return { drizzle: query.prepare(name), sql, params, keys: Object.keys(query._.selectedFields) };
  });
  return async (db: Db, values: Record<string, unknown>): Promise<Row[]> => {
    const statement = compiled(db);
    const client = pgliteOf(db);
    if (!client) return (await statement.drizzle.execute(values)) as Row[];
    await prepareOnce(client, name, `as ${statement.sql}`);
    const args = fillPlaceholders(statement.params as Array<Placeholder | unknown>, values).map(literal).join(", ");
    // Only this EXECUTE runs on the generic plan: PGlite runs one exec() at a time, and the
    // setting is put back even when the statement fails.
    let results;
    try {
      results = await client.exec(`set plan_cache_mode = force_generic_plan; execute ${name}${args ? `(${args})` : ""}; reset plan_cache_mode`, {
        rowMode: "array",
      });
    } catch (error) {
      await client.exec("reset plan_cache_mode");
      throw error;
    }
    return (results[1]?.rows ?? []).map((row) => {
      const values = row as unknown as unknown[];
      return Object.fromEntries(statement.keys.map((key, i) => [key, values[i]])) as Row;
    });
  };
}
