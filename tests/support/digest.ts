import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";

/** Rows of a raw query, whichever database runs it. */
export async function rows<T>(db: Db, query: SQL) {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * A fingerprint of whole tables (row count and an md5 of every row), to show that a refused
 * request left everything as it was. Table names come from the tests, never from input.
 */
export async function tableDigest(db: Db, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await rows<{ digest: string; count: number }>(
      db,
      sql.raw(`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest, count(*)::int as count from ${table} t`),
    );
    out[table] = `${row.count}:${row.digest}`;
  }
  return out;
}
