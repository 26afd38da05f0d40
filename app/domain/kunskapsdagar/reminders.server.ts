import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import { emails, kunskapsdagar, kunskapsdagRegistrations } from "../../../db/schema";
import type { FollowupEmailKind, FollowupEmailProps } from "../../../emails/kunskapsdag-followup";
import { config } from "../../server/config.server";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { meetingWhen } from "../meetings/meetings.server";
import { evaluationLink } from "./evaluation.server";
import { kunskapsdagCalendar } from "./ics.server";
import { manageExpiry, manageLink } from "./manage-links.server";

/**
 * Mails to the participants of a kunskapsdag after they registered: the reminder before the day,
 * the change and cancellation mails when the organisers move or cancel it, and the evaluation
 * after it. Each is queued under an idempotency key, so each person gets each mail exactly once,
 * whatever runs twice or dies half-way.
 *
 * Reminders follow the meeting reminders: the day's row carries `next_reminder_at` (partially
 * indexed), kept current by the commands; the scan takes only due rows, queues one mail per
 * confirmed person and clears the column, in one transaction per day.
 */

type Day = typeof kunskapsdagar.$inferSelect;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When a day's reminder is due: `reminderDaysBefore` days before it starts; null once it has started. */
export function reminderDueAt(day: Pick<Day, "startsAt" | "reminderDaysBefore" | "status">, now = new Date()) {
  if (day.status === "installd" || day.status === "genomford" || day.startsAt.getTime() <= now.getTime()) return null;
  return new Date(day.startsAt.getTime() - day.reminderDaysBefore * DAY_MS);
}

/** Keeps `next_reminder_at` current after a day was created, moved or changed status. */
export async function planReminder(tx: Queryable, dayId: string, now = new Date()) {
  const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
  if (!day) return;
  await tx.update(kunskapsdagar).set({ nextReminderAt: reminderDueAt(day, now) }).where(eq(kunskapsdagar.id, dayId));
}

function followupMail(tx: Queryable, day: Pick<Day, "id" | "title">, registration: { id: string; email: string }, kind: FollowupEmailKind, sequence: number, key: string) {
  const subjects: Record<FollowupEmailKind, string> = { paminnelse: "Påminnelse", andrad: "Ändrad tid eller plats", installd: "Inställd", utvardering: "Vad tyckte du" };
  return queueEmail(tx, {
    template: "kunskapsdag-followup",
    to: registration.email,
    subject: `${subjects[kind]}: ${day.title}`,
    props: { registrationId: registration.id, kind, sequence },
    idempotencyKey: key,
  });
}

type RecipientStatus = "bekraftad" | "vantelista" | "erbjuden";

/** Everyone still registered: a seat, an open offer of one, or a place on the waitlist. */
const REGISTERED: RecipientStatus[] = ["bekraftad", "erbjuden", "vantelista"];

function recipients(tx: Queryable, dayId: string, statuses: RecipientStatus[]) {
  return tx
    .select({ id: kunskapsdagRegistrations.id, email: kunskapsdagRegistrations.email })
    .from(kunskapsdagRegistrations)
    .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, dayId), inArray(kunskapsdagRegistrations.status, statuses)))
    .orderBy(asc(kunskapsdagRegistrations.arrival));
}

// ---------------------------------------------------------------------------------------------
// Called by the kunskapsdag commands, inside their transactions.

/**
 * After a change of a published day: a moved day gets its reminder planned again, and when the
 * time or place changed everyone registered (seat, offer or waitlist) gets a change mail with the
 * updated calendar file. The key holds the new SEQUENCE: one mail per person and change.
 */
export async function afterDayChanged(tx: Queryable, day: Day, changed: readonly string[]) {
  await planReminder(tx, day.id);
  const visible = day.status === "publicerad" || day.status === "stangd";
  if (!visible || !changed.some((field) => ["startsAt", "endsAt", "place", "videoUrl"].includes(field))) return [];
  const mailIds: Array<string | undefined> = [];
  for (const registration of await recipients(tx, day.id, REGISTERED)) {
    mailIds.push(await followupMail(tx, day, registration, "andrad", day.sequence, `kunskapsdag-andrad:${day.id}:${day.sequence}:${registration.id}`));
  }
  return mailIds;
}

/**
 * After the organisers cancelled the day (status installd, its SEQUENCE raised): everyone
 * registered (seat, offer or waitlist) gets a cancellation mail with METHOD:CANCEL, and reminders
 * still waiting are withdrawn.
 */
export async function afterDayCancelled(tx: Queryable, day: Day) {
  await tx.update(kunskapsdagar).set({ nextReminderAt: null }).where(eq(kunskapsdagar.id, day.id));
  await tx
    .delete(emails)
    .where(and(eq(emails.status, "queued"), eq(emails.template, "kunskapsdag-followup"), sql`${emails.props}->>'kind' = 'paminnelse'`, sql`${emails.idempotencyKey} like ${`kunskapsdag-paminnelse:${day.id}:%`}`));
  const mailIds: Array<string | undefined> = [];
  for (const registration of await recipients(tx, day.id, REGISTERED)) {
    mailIds.push(await followupMail(tx, day, registration, "installd", day.sequence, `kunskapsdag-installd:${day.id}:${day.sequence}:${registration.id}`));
  }
  return mailIds;
}

// ---------------------------------------------------------------------------------------------
// The reminder scan.

export type KunskapsdagReminderScanResult = { days: number; mails: number };

/** Sends every reminder due at `now`, day by day; safe to run twice and on several instances at once. */
export async function scanKunskapsdagReminders(db: Db, now: Date, options: { batchSize?: number; maxDays?: number } = {}) {
  const batchSize = options.batchSize ?? 50;
  const maxDays = options.maxDays ?? 1000;
  const result: KunskapsdagReminderScanResult = { days: 0, mails: 0 };
  for (let seen = 0; seen < maxDays; seen += batchSize) {
    const due = await db
      .select({ id: kunskapsdagar.id })
      .from(kunskapsdagar)
      .where(lte(kunskapsdagar.nextReminderAt, now))
      .orderBy(asc(kunskapsdagar.nextReminderAt))
      .limit(batchSize);
    for (const { id } of due) {
      const mailIds = await remindForDay(db, id, now);
      if (mailIds === null) continue;
      result.days += 1;
      result.mails += mailIds.filter(Boolean).length;
      await dispatchEmails(mailIds);
    }
    if (due.length < batchSize) break;
  }
  return result;
}

async function remindForDay(db: Db, dayId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [day] = await tx
      .select()
      .from(kunskapsdagar)
      .where(and(eq(kunskapsdagar.id, dayId), lte(kunskapsdagar.nextReminderAt, now)))
      .for("update", { skipLocked: true });
    if (!day) return null;
    const mailIds: Array<string | undefined> = [];
    // Only when the day is still ahead and open or closed for registration; never a draft or a cancelled day.
    if ((day.status === "publicerad" || day.status === "stangd") && day.startsAt.getTime() > now.getTime()) {
      const startsAt = day.startsAt.toISOString();
      for (const registration of await recipients(tx, day.id, ["bekraftad"])) {
        mailIds.push(await followupMail(tx, day, registration, "paminnelse", day.sequence, `kunskapsdag-paminnelse:${day.id}:${startsAt}:${registration.id}`));
      }
    }
    await tx.update(kunskapsdagar).set({ nextReminderAt: null }).where(eq(kunskapsdagar.id, day.id));
    return mailIds;
  });
}

// ---------------------------------------------------------------------------------------------
// The mail, loaded at send time.

export type FollowupEmailStored = { registrationId: string; kind: FollowupEmailKind; sequence: number };

export async function loadFollowupEmail(db: Db, stored: FollowupEmailStored): Promise<FollowupEmailProps | null> {
  const [row] = await db
    .select({ registration: kunskapsdagRegistrations, day: kunskapsdagar })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(eq(kunskapsdagRegistrations.id, stored.registrationId));
  if (!row || row.day.anonymisedAt) return null;
  const { registration, day } = row;
  // A reminder for someone who has since cancelled, or for a day since cancelled, is not sent.
  if (stored.kind === "paminnelse" && (registration.status !== "bekraftad" || day.status === "installd")) return null;
  if (stored.kind === "andrad" && registration.status === "avbokad") return null;
  const dayUrl = `${config().baseUrl}/kunskapsdagar/${day.id}`;
  const manageUrl = manageLink({ registrationId: registration.id, expires: manageExpiry(day.endsAt) });
  const withCalendar = stored.kind === "andrad" || stored.kind === "installd";
  return {
    kind: stored.kind,
    recipientName: registration.name,
    title: day.title,
    when: meetingWhen(day.startsAt, day.endsAt),
    place: day.place,
    videoUrl: stored.kind === "paminnelse" || (stored.kind === "andrad" && registration.status === "bekraftad") ? day.videoUrl : "",
    dayUrl,
    manageUrl: stored.kind === "paminnelse" || stored.kind === "andrad" ? manageUrl : null,
    evaluationUrl: stored.kind === "utvardering" ? evaluationLink({ registrationId: registration.id, expires: evaluationExpiry(day.endsAt) }) : null,
    ics: withCalendar ? kunskapsdagCalendar({ day: { ...day, url: dayUrl }, sequence: stored.sequence, cancelled: stored.kind === "installd", manageUrl }) : null,
  };
}

/** An evaluation link works for 30 days after the day. */
export function evaluationExpiry(endsAt: Date) {
  return new Date(endsAt.getTime() + 30 * DAY_MS);
}
