import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, type Database } from "../../db/client";
import { reusedStatement } from "../../db/prepared";
import { organisations } from "../../db/schema";
import { freshDatabase } from "../support/portal";

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
  await migrateDatabase(database);
  await database.db.insert(organisations).values([
    { name: "O'Brien & Co \\ AB", type: "naringsliv" },
    { name: "Föreningen Trygg", type: "civilsamhalle" },
  ]);
});
afterAll(async () => {
  await drop?.();
});

const byName = reusedStatement<{ id: string; name: string; upper: string; active: boolean; limit: number }>("test_organisation_by_name", (db) =>
  db
    .select({
      id: organisations.id,
      name: organisations.name,
      upper: sql<string>`upper(${organisations.name})`,
      active: sql<boolean>`${sql.placeholder("flag")}::boolean`,
      limit: sql<number>`${sql.placeholder("number")}::int`,
    })
    .from(organisations)
    .where(eq(organisations.name, sql.placeholder("name"))),
);

describe("a reused statement", () => {
  it("passes quotes and backslashes through as data and returns the rows drizzle would", async () => {
    const rows = await byName(database.db, { name: "O'Brien & Co \\ AB", flag: true, number: 7 });
    expect(rows).toEqual([{ id: expect.any(String), name: "O'Brien & Co \\ AB", upper: "O'BRIEN & CO \\ AB", active: true, limit: 7 }]);
    const [plain] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "O'Brien & Co \\ AB"));
    expect(rows[0].id).toBe(plain.id);
  });

  it("runs again with other values on the same statement", async () => {
    expect(await byName(database.db, { name: "Föreningen Trygg", flag: false, number: 0 })).toMatchObject([{ name: "Föreningen Trygg", active: false, limit: 0 }]);
    expect(await byName(database.db, { name: "'; drop table organisations; --", flag: false, number: 1 })).toEqual([]);
    expect((await database.db.select().from(organisations)).length).toBe(2);
  });

  it("leaves the connection's planner settings as they were, also when the statement fails", async () => {
    await expect(byName(database.db, { name: "x", flag: "not a boolean", number: 1 })).rejects.toThrow();
    const setting = (await database.db.execute(sql`show plan_cache_mode`)) as unknown as { rows: Array<{ plan_cache_mode: string }> };
    expect(setting.rows[0].plan_cache_mode).toBe("auto");
    expect(await byName(database.db, { name: "Föreningen Trygg", flag: true, number: 2 })).toHaveLength(1);
  });

  // On a PostgreSQL server the values travel as bind parameters; only PGlite writes literals.
  it.skipIf(Boolean(process.env.DATABASE_URL))("refuses values that cannot be written as SQL literals", async () => {
    await expect(byName(database.db, { name: { toString: () => "x" }, flag: true, number: 1 })).rejects.toThrow();
  });
  it("answers callers that reach a statement not yet prepared at the same moment", async () => {
    const fresh = reusedStatement<{ name: string }>("test_organisation_first_use", (db) =>
      db.select({ name: organisations.name }).from(organisations).where(eq(organisations.name, sql.placeholder("name"))),
    );
    const answers = await Promise.all(["Föreningen Trygg", "O'Brien & Co \\ AB", "Föreningen Trygg"].map((name) => fresh(database.db, { name })));
    expect(answers).toEqual([[{ name: "Föreningen Trygg" }], [{ name: "O'Brien & Co \\ AB" }], [{ name: "Föreningen Trygg" }]]);
  });
});
