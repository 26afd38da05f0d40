import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db, Queryable } from "../../../db/client";
import { agreements, followupItemUpdates, followupPeriods, users } from "../../../db/schema";
import type { FollowupRequestEmailProps } from "../../../emails/followup-request";
import { formatDate } from "../../format";
import { config } from "../../server/config.server";
import { logger } from "../../server/logger.server";
import { portal } from "../../server/portal.server";
import { QUEUES, runNow, workOnSchedule } from "../../server/queue.server";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { followupClosesAt, followupRequestKey, ownersOfItems, requestedOwners } from "./data.server";
import { periodTitle } from "./labels";

/**
 * Follow-up requests. A period asks every owner of an åtgärd (from `requestAt`) and reminds
 * those who have not updated all their åtgärder once (at `reminderAt`). Owners change while a
 * period is open (an åtgärd is linked, a contact person is set), so until the deadline has passed
 * the scan comes back every few minutes, or at once when an åtgärd is linked to the agreement, and
 * asks whoever owns an åtgärd now and has not been asked for the period yet. Whether someone has
 * been asked is the queued mail itself (its idempotency key `followup-request:<period>:<user>`),
 * so there is no second list to keep in step. The scan takes due periods with FOR UPDATE SKIP
 * LOCKED, queues the mails and moves `next_scan_at` on in the same transaction; the outbox sends
 * them. Run twice, on two instances, or killed half-way, nobody gets a second request or reminder.
 */

/** How often an open period is looked at again for owners who have not been asked yet. */
export const LATE_OWNER_SCAN_MS = 10 * 60_000;

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
    const mailIds: Array<string | undefined> = [];
    const open = now < followupClosesAt(period.deadline);
    // The first requests, then, while the period is open, anyone who has become an owner since.
    const sendRequests = period.requestAt <= now && (!period.requestsQueuedAt || open);
    const sendReminders = !period.remindersQueuedAt && period.reminderAt <= now;
    const owners = sendRequests || sendReminders ? await ownersOfItems(tx, period.agreementId) : new Map<string, string[]>();
    const asked = sendRequests ? await requestedOwners(tx, period.id, [...owners.keys()]) : new Map();
    if (sendReminders || (sendRequests && [...owners.keys()].some((userId) => !asked.has(userId)))) {
      const updated = new Set(
        (await tx.select({ itemId: followupItemUpdates.actionItemId }).from(followupItemUpdates).where(eq(followupItemUpdates.periodId, period.id))).map((row) => row.itemId),
      );
      const people = owners.size
        ? await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [...owners.keys()]))
        : [];
      const [agreement] = await tx.select({ title: agreements.title }).from(agreements).where(eq(agreements.id, period.agreementId));
      const title = `${periodTitle(period.kind, period.year)}, ${agreement?.title ?? ""}`;
      for (const person of people.sort((a, b) => a.email.localeCompare(b.email))) {
        const itemIds = owners.get(person.id)!;
        if (sendRequests && !asked.has(person.id)) {
          mailIds.push(
            await queueEmail(tx, {
              template: "followup-request",
              to: person.email,
              subject: `Uppföljning ${title}`,
              props: { periodId: period.id, userId: person.id, kind: "request" },
              idempotencyKey: followupRequestKey(period.id, person.id),
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
    const nextScanAt = nextFollowupScan({ ...period, requestsQueuedAt, remindersQueuedAt }, now);
    await tx.update(followupPeriods).set({ requestsQueuedAt, remindersQueuedAt, nextScanAt }).where(eq(followupPeriods.id, period.id));
    return mailIds;
  });
}

/** The first moment after `now` at which the scan has work for the period, or null when it has none left. */
function nextFollowupScan(period: Pick<typeof followupPeriods.$inferSelect, "requestAt" | "reminderAt" | "deadline" | "requestsQueuedAt" | "remindersQueuedAt">, now: Date) {
  if (!period.requestsQueuedAt) return period.requestAt;
  const moments: Date[] = [];
  if (!period.remindersQueuedAt) moments.push(period.reminderAt);
  if (now < followupClosesAt(period.deadline)) moments.push(new Date(now.getTime() + LATE_OWNER_SCAN_MS));
  return moments.length ? new Date(Math.min(...moments.map((moment) => moment.getTime()))) : null;
}

/**
 * Brings the scan of the agreement's open periods forward to `now`, in the transaction that linked
 * an åtgärd, so that its owner is asked at once; call `runFollowupScanNow` after the commit.
 */
export async function askNewOwnersSoon(tx: Queryable, agreementId: string, now = new Date()) {
  const periods = await tx
    .select({ id: followupPeriods.id, deadline: followupPeriods.deadline })
    .from(followupPeriods)
    .where(and(eq(followupPeriods.agreementId, agreementId), isNotNull(followupPeriods.requestsQueuedAt)));
  const open = periods.filter((period) => now < followupClosesAt(period.deadline)).map((period) => period.id);
  if (open.length === 0) return false;
  await tx.update(followupPeriods).set({ nextScanAt: now }).where(inArray(followupPeriods.id, open));
  return true;
}

export async function runFollowupScanNow() {
  await runNow(portal().queue, QUEUES.followup);
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
