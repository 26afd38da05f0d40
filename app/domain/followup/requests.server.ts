import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "../../../db/client";
import { agreements, followupItemUpdates, followupPeriods, users } from "../../../db/schema";
import type { FollowupRequestEmailProps } from "../../../emails/followup-request";
import { formatDate } from "../../format";
import { config } from "../../server/config.server";
import { logger } from "../../server/logger.server";
import { QUEUES, runNow, workOnSchedule } from "../../server/queue.server";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { ownersOfItems } from "./data.server";
import { periodTitle } from "./labels";

/**
 * Follow-up requests. A period asks every owner of an åtgärd once (at `requestAt`) and reminds
 * those who have not updated all their åtgärder once (at `reminderAt`). The scan takes due
 * periods with FOR UPDATE SKIP LOCKED, queues the mails under idempotency keys and moves
 * `next_scan_at` on in the same transaction; the outbox sends them. Run twice, on two instances,
 * or killed half-way, nobody gets a second request or reminder.
 */

export type FollowupScanResult = { periods: number; mails: number };

export async function scanFollowupRequests(db: Db, now: Date, options: { batchSize?: number } = {}): Promise<FollowupScanResult> {
  const batchSize = options.batchSize ?? 50;
  const result: FollowupScanResult = { periods: 0, mails: 0 };
  for (;;) {
    const due = await db
      .select({ id: followupPeriods.id })
      .from(followupPeriods)
      .where(lte(followupPeriods.nextScanAt, now))
      .orderBy(asc(followupPeriods.nextScanAt))
      .limit(batchSize);
    for (const { id } of due) {
      const mailIds = await askForPeriod(db, id, now);
      if (mailIds === null) continue;
      result.periods += 1;
      result.mails += mailIds.filter(Boolean).length;
      await dispatchEmails(mailIds);
    }
    if (due.length < batchSize) break;
  }
  return result;
}

async function askForPeriod(db: Db, periodId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [period] = await tx
      .select()
      .from(followupPeriods)
      .where(and(eq(followupPeriods.id, periodId), lte(followupPeriods.nextScanAt, now)))
      .for("update", { skipLocked: true });
    if (!period) return null;
    const [agreement] = await tx.select({ title: agreements.title }).from(agreements).where(eq(agreements.id, period.agreementId));
    const mailIds: Array<string | undefined> = [];
    const sendRequests = !period.requestsQueuedAt && period.requestAt <= now;
    const sendReminders = !period.remindersQueuedAt && period.reminderAt <= now;
    if (sendRequests || sendReminders) {
      const owners = await ownersOfItems(tx, period.agreementId);
      const updated = new Set(
        (await tx.select({ itemId: followupItemUpdates.actionItemId }).from(followupItemUpdates).where(eq(followupItemUpdates.periodId, period.id))).map((row) => row.itemId),
      );
      const people = owners.size
        ? await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [...owners.keys()]))
        : [];
      const title = `${periodTitle(period.kind, period.year)}, ${agreement?.title ?? ""}`;
      for (const person of people.sort((a, b) => a.email.localeCompare(b.email))) {
        const itemIds = owners.get(person.id)!;
        if (sendRequests) {
          mailIds.push(
            await queueEmail(tx, {
              template: "followup-request",
              to: person.email,
              subject: `Uppföljning ${title}`,
              props: { periodId: period.id, userId: person.id, kind: "request" },
              idempotencyKey: `followup-request:${period.id}:${person.id}`,
            }),
          );
        }
        // The reminder only for someone with an åtgärd still not followed up this period.
        if (sendReminders && itemIds.some((id) => !updated.has(id))) {
          mailIds.push(
            await queueEmail(tx, {
              template: "followup-reminder",
              to: person.email,
              subject: `Påminnelse: uppföljning ${title}`,
              props: { periodId: period.id, userId: person.id, kind: "reminder" },
              idempotencyKey: `followup-reminder:${period.id}:${person.id}`,
            }),
          );
        }
      }
    }
    const requestsQueuedAt = period.requestsQueuedAt ?? (sendRequests ? now : null);
    const remindersQueuedAt = period.remindersQueuedAt ?? (sendReminders ? now : null);
    const nextScanAt = !requestsQueuedAt ? period.requestAt : !remindersQueuedAt ? period.reminderAt : null;
    await tx.update(followupPeriods).set({ requestsQueuedAt, remindersQueuedAt, nextScanAt }).where(eq(followupPeriods.id, period.id));
    return mailIds;
  });
}

/** The scan as a pg-boss job every minute, once at start, and whenever a period is opened. */
export async function startFollowupScan(queue: PgBoss, db: Db) {
  await workOnSchedule(queue, QUEUES.followup, "* * * * *", async () => {
    const result = await scanFollowupRequests(db, new Date());
    if (result.mails > 0) logger.info(result, "follow-up requests queued");
  });
  await runNow(queue, QUEUES.followup);
}

// ---------------------------------------------------------------------------------------------
// The mails, loaded at send time.

export type FollowupRequestStored = { periodId: string; userId: string; kind: "request" | "reminder" };

export async function loadFollowupRequestEmail(db: Db, stored: FollowupRequestStored): Promise<FollowupRequestEmailProps | null> {
  const [row] = await db
    .select({ period: followupPeriods, agreementTitle: agreements.title })
    .from(followupPeriods)
    .innerJoin(agreements, eq(agreements.id, followupPeriods.agreementId))
    .where(eq(followupPeriods.id, stored.periodId));
  if (!row) return null;
  const [person] = await db.select({ name: users.name, status: users.status }).from(users).where(eq(users.id, stored.userId));
  if (!person || !(person.status === "active" || person.status === "invited")) return null;
  const itemIds = (await ownersOfItems(db, row.period.agreementId)).get(stored.userId) ?? [];
  if (itemIds.length === 0) return null;
  const updated = (
    await db
      .select({ itemId: followupItemUpdates.actionItemId })
      .from(followupItemUpdates)
      .where(and(eq(followupItemUpdates.periodId, row.period.id), inArray(followupItemUpdates.actionItemId, itemIds)))
  ).length;
  // A reminder to someone who has since updated everything is not sent.
  if (stored.kind === "reminder" && updated >= itemIds.length) return null;
  return {
    kind: stored.kind,
    recipientName: person.name,
    agreementTitle: row.agreementTitle,
    periodTitle: periodTitle(row.period.kind, row.period.year),
    deadline: formatDate(`${row.period.deadline}T12:00:00Z`),
    itemCount: itemIds.length,
    updatedCount: updated,
    updateUrl: `${config().baseUrl}/overenskommelser/${row.period.agreementId}/uppfoljning/${row.period.id}/mina-atgarder`,
  };
}
