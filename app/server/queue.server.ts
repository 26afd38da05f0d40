import PgBoss from "pg-boss";
import type { Database } from "../../db/client";
import type { Config } from "./config.server";
import { logger } from "./logger.server";

export const QUEUES = {
  mail: "mail-send",
  maintenance: "maintenance",
  reminders: "meeting-reminders",
  actionDigest: "action-digest",
  followup: "followup-requests",
} as const;

/** pg-boss on the portal's own database: PGlite through its `db` option, a server through its own pool. */
export async function startQueue(database: Database, config: Config) {
  const boss = new PgBoss(
    database.bossAdapter
      ? { db: database.bossAdapter, schema: "pgboss", supervise: true, schedule: true }
      : { connectionString: database.connectionString!, schema: "pgboss", max: 4, application_name: "samverkansportalen" },
  );
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  await ensureQueue(boss, QUEUES.mail, {
    // Our own attempt counter decides when a mail is dead; pg-boss only schedules the retries.
    retryLimit: config.MAIL_RETRY_LIMIT + 2,
    retryDelay: config.MAIL_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    // A worker killed mid-send leaves its job active; it is retried after this long.
    expireInSeconds: 60,
  });
  await ensureQueue(boss, QUEUES.maintenance, { retryLimit: 1, expireInSeconds: 300 });
  await ensureQueue(boss, QUEUES.reminders, { retryLimit: 1, expireInSeconds: 300 });
  await ensureQueue(boss, QUEUES.actionDigest, { retryLimit: 1, expireInSeconds: 600 });
  await ensureQueue(boss, QUEUES.followup, { retryLimit: 1, expireInSeconds: 300 });
  return boss;
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, "name">) {
  if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
  else await boss.createQueue(name, { name, ...options });
}
