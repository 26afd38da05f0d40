import { TZDate } from "@date-fns/tz";
import { addDays, getISOWeek, getISOWeekYear, startOfISOWeek } from "date-fns";
import { and, asc, eq, isNotNull, isNull, lt, lte, notInArray, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "../../../db/client";
import { actionDigestWeeks, actionItems, actionLists, memberships, organisations, users } from "../../../db/schema";
import type { ActionDigestEmailProps, DigestItem } from "../../../emails/action-digest";
import type { ActionOverdueSummaryEmailProps } from "../../../emails/action-overdue-summary";
import { formatDate } from "../../format";
import { config } from "../../server/config.server";
import { logger } from "../../server/logger.server";
import { QUEUES, runNow, workOnSchedule } from "../../server/queue.server";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { stockholmDate } from "../meetings/time";
import { FINISHED_STATUSES } from "./columns";

/**
 * The weekly digest of åtgärder. On Monday morning (Stockholm) each responsible contact person
 * gets their unfinished items that are overdue or due within 14 days, and each coordinator
 * (samordnare) of an organisation that owns lists gets that organisation's overdue items per
 * responsible organisation.
 *
 * Exactly once per person and ISO week: every mail is queued under a key of kind, person and
 * week, so a scan that runs twice, on two instances, or again after a crash queues nothing new;
 * a week is marked done in `action_digest_weeks` only after all its mails are queued. A portal
 * that was down on Monday morning sends the week's digest when it comes back, the same week.
 * The content is built when the mail is sent, so an item finished in between is left out and a
 * mail with nothing left in it is not sent.
 */

const ZONE = "Europe/Stockholm";
export const DIGEST_DAYS_AHEAD = 14;

/** "2026-W48" for the Stockholm week that `now` falls in. */
export function isoWeekOf(now: Date) {
  const local = new TZDate(now.getTime(), ZONE);
  return `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, "0")}`;
}

/** The moment this week's digest is due: Monday at `hour`:00 Stockholm time of the week `now` falls in. */
export function digestDueAt(now: Date, hour = config().ACTION_DIGEST_HOUR) {
  const monday = startOfISOWeek(new TZDate(now.getTime(), ZONE));
  return new Date(new TZDate(monday.getFullYear(), monday.getMonth(), monday.getDate(), hour, 0, ZONE).getTime());
}

const notFinished = notInArray(actionItems.status, [...FINISHED_STATUSES]);
/** Archived lists are finished with: their items are in no digest (joined with the item's list). */
const listInUse = isNull(actionLists.archivedAt);
const wantsDigest = sql`coalesce((${users.notificationSettings}->>'actionDigest')::boolean, true)`;

export type DigestScanResult = { week: string | null; mails: number };

/** Queues the week's digests if they are due at `now` and not yet done. Safe to run twice and concurrently. */
export async function scanActionDigest(db: Db, now: Date, options: { batchSize?: number } = {}): Promise<DigestScanResult> {
  if (now.getTime() < digestDueAt(now).getTime()) return { week: null, mails: 0 };
  const week = isoWeekOf(now);
  const [done] = await db.select().from(actionDigestWeeks).where(eq(actionDigestWeeks.isoWeek, week));
  if (done) return { week, mails: 0 };
  const today = stockholmDate(now);
  const horizon = stockholmDate(addDays(now, DIGEST_DAYS_AHEAD));

  // Contact persons with unfinished items due within the horizon (overdue ones included).
  const contacts = await db
    .selectDistinct({ id: users.id, email: users.email })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .innerJoin(users, eq(users.id, actionItems.contactUserId))
    .where(and(isNull(actionItems.deletedAt), listInUse, notFinished, isNotNull(actionItems.deadline), lte(actionItems.deadline, horizon), eq(users.status, "active"), wantsDigest))
    .orderBy(asc(users.id));
  // Coordinators of organisations owning lists with overdue items.
  const coordinators = await db
    .selectDistinct({ id: users.id, email: users.email, organisationId: memberships.organisationId })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .innerJoin(memberships, and(eq(memberships.organisationId, actionLists.ownerOrganisationId), eq(memberships.role, "samordnare")))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(isNull(actionItems.deletedAt), listInUse, notFinished, lt(actionItems.deadline, today), eq(users.status, "active"), wantsDigest))
    .orderBy(asc(users.id), asc(memberships.organisationId));

  const mails = [
    ...contacts.map((person) => ({
      template: "action-digest" as const,
      to: person.email,
      subject: `Dina åtgärder vecka ${week.slice(-2)}`,
      props: { userId: person.id, isoWeek: week, today, organisationId: null },
      idempotencyKey: `action-digest:${person.id}:${week}`,
    })),
    ...coordinators.map((person) => ({
      template: "action-overdue-summary" as const,
      to: person.email,
      subject: `Försenade åtgärder vecka ${week.slice(-2)}`,
      props: { userId: person.id, isoWeek: week, today, organisationId: person.organisationId },
      idempotencyKey: `action-overdue:${person.id}:${person.organisationId}:${week}`,
    })),
  ];
  const batchSize = options.batchSize ?? 50;
  let queued = 0;
  for (let start = 0; start < mails.length; start += batchSize) {
    const batch = mails.slice(start, start + batchSize);
    const ids = await db.transaction(async (tx) => {
      const out: Array<string | undefined> = [];
      for (const mail of batch) out.push(mail.template === "action-digest" ? await queueEmail(tx, mail) : await queueEmail(tx, mail));
      return out;
    });
    queued += ids.filter(Boolean).length;
    await dispatchEmails(ids);
  }
  await db.insert(actionDigestWeeks).values({ isoWeek: week, mails: mails.length }).onConflictDoNothing();
  return { week, mails: queued };
}

/**
 * The scan as a pg-boss job every ten minutes, and once at start, unless ACTION_DIGEST=false.
 * The test portal turns it off: there the digest is sent only by the tests that call the scan
 * with their own clock (the demo list's overdue items would otherwise put digest mails into
 * every other test's mail table).
 */
export async function startActionDigest(queue: PgBoss, db: Db) {
  if (!config().ACTION_DIGEST) return;
  await workOnSchedule(queue, QUEUES.actionDigest, "*/10 * * * *", async () => {
    const result = await scanActionDigest(db, new Date());
    if (result.mails > 0) logger.info(result, "action digests queued");
  });
  await runNow(queue, QUEUES.actionDigest);
}

// ---------------------------------------------------------------------------------------------
// The mails, built at send time.

export type DigestEmailStored = { userId: string; isoWeek: string; today: string; organisationId: string | null };

async function recipient(db: Db, userId: string) {
  const [person] = await db.select().from(users).where(eq(users.id, userId));
  if (!person || person.status !== "active" || person.notificationSettings?.actionDigest === false) return null;
  return person;
}

function weekLabel(isoWeek: string) {
  return `vecka ${Number(isoWeek.slice(-2))}`;
}

function digestItem(row: { id: string; number: number; title: string; deadline: string | null; listTitle: string }, today: string): DigestItem {
  return {
    label: `#${row.number} ${row.title}`,
    listTitle: row.listTitle,
    deadline: row.deadline ? formatDate(`${row.deadline}T12:00:00Z`) : "",
    overdue: Boolean(row.deadline && row.deadline < today),
    url: `${config().baseUrl}/atgarder/${row.id}`,
  };
}

/** A contact person's own items, limited to lists they can still see. */
export async function loadDigestEmail(db: Db, stored: DigestEmailStored): Promise<ActionDigestEmailProps | null> {
  const person = await recipient(db, stored.userId);
  if (!person) return null;
  const organisationIds = (await db.select({ id: memberships.organisationId }).from(memberships).where(eq(memberships.userId, person.id))).map((m) => m.id);
  if (organisationIds.length === 0) return null;
  const horizon = stockholmDate(addDays(new Date(`${stored.today}T12:00:00Z`), DIGEST_DAYS_AHEAD));
  const rows = await db
    .select({ id: actionItems.id, number: actionItems.number, title: actionItems.title, deadline: actionItems.deadline, listTitle: actionLists.title })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(
      and(
        eq(actionItems.contactUserId, person.id),
        isNull(actionItems.deletedAt),
        listInUse,
        notFinished,
        isNotNull(actionItems.deadline),
        lte(actionItems.deadline, horizon),
        sql`(${actionLists.ownerOrganisationId} in (${sql.join(organisationIds.map((id) => sql`${id}::uuid`), sql`, `)}) or ${actionLists.sharedWithOrganisationIds} && array[${sql.join(organisationIds.map((id) => sql`${id}::uuid`), sql`, `)}])`,
      ),
    )
    .orderBy(asc(actionItems.deadline), asc(actionItems.number));
  if (rows.length === 0) return null;
  const items = rows.map((row) => digestItem(row, stored.today));
  return {
    recipientName: person.name,
    week: weekLabel(stored.isoWeek),
    overdue: items.filter((item) => item.overdue),
    dueSoon: items.filter((item) => !item.overdue),
    myActionsUrl: `${config().baseUrl}/`,
  };
}

/** A coordinator's overdue items of the lists their organisation owns, grouped by responsible organisation. */
export async function loadOverdueSummaryEmail(db: Db, stored: DigestEmailStored): Promise<ActionOverdueSummaryEmailProps | null> {
  const person = await recipient(db, stored.userId);
  if (!person || !stored.organisationId) return null;
  const [membership] = await db
    .select({ name: organisations.name })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, person.id), eq(memberships.organisationId, stored.organisationId), eq(memberships.role, "samordnare")));
  if (!membership) return null;
  const rows = await db
    .select({
      id: actionItems.id,
      number: actionItems.number,
      title: actionItems.title,
      deadline: actionItems.deadline,
      listTitle: actionLists.title,
      responsibleName: organisations.name,
    })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .leftJoin(organisations, eq(organisations.id, actionItems.responsibleOrganisationId))
    .where(and(eq(actionLists.ownerOrganisationId, stored.organisationId), isNull(actionItems.deletedAt), listInUse, notFinished, lt(actionItems.deadline, stored.today)))
    .orderBy(asc(organisations.name), asc(actionItems.deadline), asc(actionItems.number));
  if (rows.length === 0) return null;
  const groups = new Map<string, DigestItem[]>();
  for (const row of rows) {
    const name = row.responsibleName ?? "Ingen ansvarig organisation";
    groups.set(name, [...(groups.get(name) ?? []), digestItem(row, stored.today)]);
  }
  return {
    recipientName: person.name,
    organisationName: membership.name,
    week: weekLabel(stored.isoWeek),
    groups: [...groups].map(([organisationName, items]) => ({ organisationName, items })),
  };
}

