import PgBoss from "pg-boss";
import type { Database } from "../../db/client";
import type { Config } from "./config.server";
import { logger } from "./logger.server";
import { singleton } from "./singleton.server";

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

/**
 * How often an idle worker of a scheduled queue asks for a job. Its jobs come from pg-boss's
 * cron (checked every 30 s) or from `runNow`, which wakes the worker at once; polling more often
 * would only add empty fetches to the database, which on PGlite share its one thread with every
 * request and every co-editing commit.
 */
const SCHEDULED_POLL_SECONDS = 30;

/**
 * How often an idle mail worker asks for a job: a new mail wakes the workers at once, so polling
 * only finds retries (and jobs of a worker that died), and a third of the retry delay keeps a
 * retry's lateness small beside the delay itself.
 */
export function mailPollSeconds(config: Pick<Config, "MAIL_RETRY_DELAY_SECONDS">) {
  return Math.min(5, Math.max(1, config.MAIL_RETRY_DELAY_SECONDS / 3));
}

/**
 * The workers of each queue in this process, to wake them for a job sent now (one map per
 * process: the Remix build holds its own copy of this module).
 */
const localWorkers = () => singleton("queue-workers", () => new WeakMap<PgBoss, Map<string, string[]>>());

/** Starts a worker on a queue and keeps its id, so that `wake` reaches it. */
export async function work<T extends object>(boss: PgBoss, name: string, pollingIntervalSeconds: number, handler: PgBoss.WorkHandler<T>) {
  const workerId = await boss.work<T>(name, { pollingIntervalSeconds }, handler);
  const workers = localWorkers().get(boss) ?? new Map<string, string[]>();
  localWorkers().set(boss, workers.set(name, [...(workers.get(name) ?? []), workerId]));
}

/** Lets this process's idle workers of a queue fetch a job now instead of at their next poll. */
export function wake(boss: PgBoss, name: string) {
  for (const workerId of localWorkers().get(boss)?.get(name) ?? []) boss.notifyWorker(workerId);
}

/** A queue whose job runs on a cron schedule (Europe/Stockholm) and on `runNow`. */
export async function workOnSchedule(boss: PgBoss, name: string, cron: string, handler: () => Promise<void>) {
  await work(boss, name, SCHEDULED_POLL_SECONDS, async () => handler());
  await boss.schedule(name, cron, undefined, { tz: "Europe/Stockholm" });
}

/** Runs a scheduled queue's job now (on this process's worker) rather than at its next poll. */
export async function runNow(boss: PgBoss, name: string) {
  await boss.send(name, {});
  wake(boss, name);
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, "name">) {
  if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
  else await boss.createQueue(name, { name, ...options });
}
