/**
 * The reminder scan's cost, for `npm run bench`: the same 10 due meetings among 1,000 and then
 * 10,000 meetings that are not due. Prints one JSON line with time and SQL statements per scan
 * for both, so the benchmark can show that neither grows with the meetings that are not due.
 *
 * Runs the portal (production build, job queue) on in-memory PGlite, or on a fresh database on
 * DATABASE_URL, with a statement counter on the database connection. The scan is called with a
 * `now` 30 days ahead, so the portal's own scan every minute (on the real clock) finds nothing.
 *
 *   npx tsx tests/bench/reminder-scan.ts
 */
import { AsyncLocalStorage } from "node:async_hooks";
import os from "node:os";
import path from "node:path";

const SECRET = "bench-secret-that-is-long-enough-0123456789";
const DUE = 10;
const INVITEES = 5;
const RUNS = Number(process.env.BENCH_SCAN_RUNS ?? 5);

process.env.NODE_ENV = "production";
process.env.LOG_LEVEL = "silent";
process.env.APP_SECRET = SECRET;

async function main() {
  const { eq, sql } = await import("drizzle-orm");
  const { openDatabase } = await import("../../db/client");
  const { networks } = await import("../../db/schema");
  const { DEMO_NETWORK } = await import("../../db/seed");
  const { scanMeetingReminders } = await import("../../app/domain/meetings/reminders.server");
  const { loadConfig } = await import("../../app/server/config.server");
  const { forgetSingleton, singleton } = await import("../../app/server/singleton.server");
  const { startPortal } = await import("../../app/server/start.server");
  const { freePort, freshDatabase } = await import("../support/portal");

  // Only statements sent from within the scan count, not those of the mail workers running beside it.
  let statements = 0;
  const scanContext = new AsyncLocalStorage<true>();
  const logger = { logQuery: () => void (scanContext.getStore() && statements++) };
  // A server database is created (and dropped) as the tests do; this process's own connection counts.
  const fresh = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  if (fresh) await fresh.database.close();
  const database = await openDatabase(fresh ? { url: fresh.url, logger } : { dataDir: "memory://", logger });
  const config = loadConfig({
    NODE_ENV: "production",
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    APP_SECRET: SECRET,
    DATA_DIR: path.join(os.tmpdir(), `samverkan-bench-scan-${process.pid}`),
    LOG_LEVEL: "silent",
    SEED_DEMO_DATA: "true",
    ...(fresh?.url ? { DATABASE_URL: fresh.url } : {}),
  });
  forgetSingleton("config");
  forgetSingleton("app-secret");
  singleton("config", () => config);
  const running = await startPortal({ mode: "production", config, database });
  const db = running.portal.db;
  const exec = (query: ReturnType<typeof sql>) => db.execute(query);

  try {
    const [network] = await db.select().from(networks).where(eq(networks.name, DEMO_NETWORK));
    const now = new Date(Date.now() + 30 * 24 * 60 * 60_000);
    const nowSql = sql`${now.toISOString()}::timestamptz`;

    /** `count` planned meetings with INVITEES external invitees each; `due` decides their next reminder. */
    const addMeetings = async (count: number, due: boolean) => {
      const startsAt = due ? sql`${nowSql} + interval '23 hours'` : sql`${nowSql} + interval '8 days' + (n % 357) * interval '1 day' + (n % 9) * interval '1 hour'`;
      await exec(sql`
        with created as (
          insert into meetings (network_id, owner_organisation_id, shared_with_organisation_ids, title, starts_at, ends_at, place, reminder_offsets_minutes, next_reminder_at)
          select ${network.id}, ${network.ownerOrganisationId}, (select shared_with_organisation_ids from networks where id = ${network.id}),
                 ${due ? "Due" : "Later"} || ' ' || n, s, s + interval '1 hour', 'Bänkrummet',
                 ${due ? sql`'{1440}'::integer[]` : sql`'{10080,1440}'::integer[]`},
                 ${due ? sql`${nowSql} - interval '1 hour'` : sql`s - interval '7 days'`}
          from generate_series(1, ${count}) as n, lateral (select ${startsAt} as s) as t
          returning id
        )
        insert into meeting_invitees (meeting_id, email, name)
        select created.id, 'person-' || i || '-' || created.id || '@bench.invalid', 'Person ' || i
        from created, generate_series(1, ${INVITEES}) as i`);
    };

    const count = async (query: ReturnType<typeof sql>) => ((await exec(query)) as unknown as { rows: Array<{ n: number }> }).rows[0].n;

    /**
     * The 10 due meetings made due again. With `fresh`, their reminder mails are removed too, so
     * the scan queues and dispatches them anew; otherwise it finds their idempotency keys taken
     * and sends the same statements without new mail.
     */
    const resetDue = async (fresh: boolean) => {
      const until = Date.now() + 60_000;
      while ((await count(sql`select count(*)::int as n from emails where status in ('queued', 'sending')`)) > 0) {
        if (Date.now() > until) throw new Error("the reminder mails were not sent within a minute");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (fresh) await exec(sql`delete from emails where template = 'meeting-reminder'`);
      await exec(sql`update meetings set next_reminder_at = ${nowSql} - interval '1 hour' where title like 'Due %'`);
    };

    const measure = async () => {
      const runs: Array<{ ms: number; statements: number; mails: number; meetings: number }> = [];
      for (let run = 0; run < RUNS; run++) {
        await resetDue(run === 0);
        statements = 0;
        const started = process.hrtime.bigint();
        const result = await scanContext.run(true, () => scanMeetingReminders(db, now));
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        runs.push({ ms, statements, mails: result.mails, meetings: result.meetings });
      }
      // An empty scan: nothing due.
      statements = 0;
      const startedEmpty = process.hrtime.bigint();
      await scanContext.run(true, () => scanMeetingReminders(db, now));
      const emptyMs = Number(process.hrtime.bigint() - startedEmpty) / 1e6;
      const emptyStatements = statements;
      const [{ total }] = ((await exec(sql`select count(*)::int as total from meetings where status = 'planerat'`)) as unknown as { rows: Array<{ total: number }> }).rows;
      const plan = ((await exec(sql`explain select id from meetings where status = 'planerat' and next_reminder_at <= ${nowSql} order by next_reminder_at limit 100`)) as unknown as {
        rows: Array<Record<string, string>>;
      }).rows.map((row) => Object.values(row)[0]);
      const repeated = runs.slice(1).map((run) => run.ms).sort((a, b) => a - b);
      return {
        meetings: total,
        /** The first scan queues and dispatches the mails; the others only find them queued already. */
        firstMs: runs[0].ms,
        repeatedMedianMs: repeated[Math.floor(repeated.length / 2)] ?? NaN,
        runsMs: runs.map((run) => Math.round(run.ms)),
        statements: runs.map((run) => run.statements),
        dueMeetings: runs[0].meetings,
        mails: runs.map((run) => run.mails),
        emptyScanMs: emptyMs,
        emptyScanStatements: emptyStatements,
        plan: plan[0] + (plan.find((line) => /Index/.test(line) && line !== plan[0]) ? ` / ${plan.find((line) => /Index/.test(line) && line !== plan[0])!.trim()}` : ""),
      };
    };

    await addMeetings(DUE, true);
    await addMeetings(1000, false);
    await exec(sql`analyze meetings`);
    const small = await measure();
    await addMeetings(9000, false);
    await exec(sql`analyze meetings`);
    const large = await measure();
    process.stdout.write(`${JSON.stringify({ database: database.kind, due: DUE, invitees: INVITEES, runs: RUNS, small, large })}\n`);
  } finally {
    await running.stop();
    await database.close().catch(() => undefined);
    await fresh?.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`reminder scan bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
