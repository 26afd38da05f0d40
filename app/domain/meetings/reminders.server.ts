import { and, asc, eq, inArray, lte, ne, or, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db, Queryable } from "../../../db/client";
import { agendaItems, emails, meetingInvitees, meetings, networkMembers, networks, users } from "../../../db/schema";
import type { AgendaReminderEmailProps } from "../../../emails/agenda-reminder";
import type { MeetingReminderEmailProps } from "../../../emails/meeting-reminder";
import { formatDate, formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { logger } from "../../server/logger.server";
import { QUEUES, runNow, workOnSchedule } from "../../server/queue.server";
import { recordAudit } from "../audit/audit.server";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import type { Actor } from "../policy";
import { answerExpiry, answerLink } from "./answer-links.server";
import { answerLabels } from "./labels";
import { DEFAULT_REMINDER_OFFSETS, describeReminders, dueReminders, nextReminderAt } from "./reminders";
import { stockholmDate, stockholmTime } from "./time";
import { knownInviteeName } from "./invitee-names";

/**
 * Meeting reminders. Each meeting row carries its chosen offsets and `next_reminder_at`, the
 * first moment the scan has work for it. The commands keep that column current; the scan takes
 * the due meetings in order, queues one mail per person and reminder under an idempotency key,
 * and moves `next_reminder_at` on, all in one transaction per meeting. A mail queued twice under
 * the same key is stored once, so each person gets each reminder exactly once, whatever runs
 * twice or dies half-way.
 */

export const REMINDER_TEMPLATES = ["meeting-reminder", "meeting-agenda-reminder"] as const;

// ---------------------------------------------------------------------------------------------
// Called by the meeting commands, inside their transactions.

/** The reminder columns of a new meeting. */
export function reminderColumns(startsAt: Date, offsets: readonly number[] | undefined, now = new Date()) {
  const reminderOffsetsMinutes = [...(offsets ?? DEFAULT_REMINDER_OFFSETS)];
  return { reminderOffsetsMinutes, nextReminderAt: nextReminderAt(startsAt, reminderOffsetsMinutes, now) };
}

/**
 * Plans a changed meeting's reminders again: for its new start and for the offsets chosen in the
 * form (undefined keeps the current ones). Reminders queued for the old time and not yet sent are
 * withdrawn; those already sent for the old time do not count for the new one (their idempotency
 * keys hold the start). Returns whether the chosen reminders changed (audited here).
 */
export async function replanReminders(
  tx: Queryable,
  actor: Actor,
  current: typeof meetings.$inferSelect,
  input: { startsAt: Date; reminderOffsets?: readonly number[] },
  now = new Date(),
) {
  const offsets = input.reminderOffsets ? [...input.reminderOffsets] : current.reminderOffsetsMinutes;
  const choiceChanged = JSON.stringify([...offsets].sort()) !== JSON.stringify([...current.reminderOffsetsMinutes].sort());
  const moved = input.startsAt.getTime() !== current.startsAt.getTime();
  if (!choiceChanged && !moved) return false;
  await tx
    .update(meetings)
    .set({ reminderOffsetsMinutes: offsets, nextReminderAt: nextReminderAt(input.startsAt, offsets, now), updatedAt: new Date() })
    .where(eq(meetings.id, current.id));
  if (moved) await withdrawQueuedReminders(tx, { meetingId: current.id, startsAtOtherThan: input.startsAt });
  if (choiceChanged) {
    await recordAudit(tx, {
      actor,
      action: "meeting.reminders",
      entityType: "meeting",
      entityId: current.id,
      organisationId: current.ownerOrganisationId,
      summary: `${actor.name} ändrade påminnelserna för mötet ${current.title}: ${describeReminders(offsets)}`,
      before: { reminderOffsetsMinutes: current.reminderOffsetsMinutes },
      after: { reminderOffsetsMinutes: offsets },
    });
  }
  return choiceChanged;
}

/** A cancelled meeting gets no more reminders, and none queued and not yet sent goes out. */
export async function stopReminders(tx: Queryable, meetingId: string) {
  await tx.update(meetings).set({ nextReminderAt: null }).where(eq(meetings.id, meetingId));
  await withdrawQueuedReminders(tx, { meetingId });
}

/** Someone taken off a meeting's list gets none of its reminders still waiting in the queue. */
export async function withdrawInviteeReminders(tx: Queryable, invitee: { id: string; meetingId: string }) {
  await withdrawQueuedReminders(tx, { meetingId: invitee.meetingId, inviteeId: invitee.id });
}

/** Someone who declines gets no reminder, not even one already queued. */
export async function afterAnswer(tx: Queryable, invitee: { id: string; meetingId: string }, answer: string) {
  if (answer === "nej") await withdrawQueuedReminders(tx, { meetingId: invitee.meetingId, inviteeId: invitee.id });
}

/** Deletes reminder mails still waiting in the queue (a mail being sent is left to finish). */
async function withdrawQueuedReminders(tx: Queryable, target: { meetingId: string; inviteeId?: string; startsAtOtherThan?: Date }) {
  await tx
    .delete(emails)
    .where(
      and(
        eq(emails.status, "queued"),
        inArray(emails.template, [...REMINDER_TEMPLATES]),
        sql`${emails.props}->>'meetingId' = ${target.meetingId}`,
        target.inviteeId ? sql`${emails.props}->>'inviteeId' = ${target.inviteeId}` : undefined,
        target.startsAtOtherThan ? sql`${emails.props}->>'startsAt' <> ${target.startsAtOtherThan.toISOString()}` : undefined,
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// The scan.

export type ReminderScanResult = { meetings: number; mails: number };

/**
 * Sends every reminder due at `now`: takes the meetings whose `next_reminder_at` has come (by the
 * partial index, so meetings that are not due cost nothing) in batches of `batchSize`, at most
 * `maxMeetings` per scan; the next scan continues with the rest. Safe to run twice and at the
 * same time on several instances.
 */
export async function scanMeetingReminders(db: Db, now: Date, options: { batchSize?: number; maxMeetings?: number } = {}): Promise<ReminderScanResult> {
  const batchSize = options.batchSize ?? 100;
  const maxMeetings = options.maxMeetings ?? 2000;
  const result: ReminderScanResult = { meetings: 0, mails: 0 };
  for (let seen = 0; seen < maxMeetings; seen += batchSize) {
    const due = await db
      .select({ id: meetings.id })
      .from(meetings)
      .where(and(eq(meetings.status, "planerat"), lte(meetings.nextReminderAt, now)))
      .orderBy(asc(meetings.nextReminderAt))
      .limit(batchSize);
    for (const { id } of due) {
      const mailIds = await remindForMeeting(db, id, now);
      if (mailIds === null) continue;
      result.meetings += 1;
      result.mails += mailIds.filter(Boolean).length;
      await dispatchEmails(mailIds);
    }
    if (due.length < batchSize) break;
  }
  return result;
}

/** The profile's "Påminnelser om möten" (on unless turned off). */
const wantsReminders = sql`coalesce((${users.notificationSettings}->>'meetingReminders')::boolean, true)`;

/** One meeting's due reminders, queued in one transaction with the next planned time; null when another scan has it. */
async function remindForMeeting(db: Db, meetingId: string, now: Date) {
  return db.transaction(async (tx) => {
    const [meeting] = await tx
      .select({
        id: meetings.id,
        networkId: meetings.networkId,
        title: meetings.title,
        startsAt: meetings.startsAt,
        offsets: meetings.reminderOffsetsMinutes,
        nextReminderAt: meetings.nextReminderAt,
      })
      .from(meetings)
      .where(and(eq(meetings.id, meetingId), eq(meetings.status, "planerat"), lte(meetings.nextReminderAt, now)))
      .for("update", { skipLocked: true });
    if (!meeting) return null;
    const startsAt = meeting.startsAt.toISOString();
    const mailIds: Array<string | undefined> = [];
    for (const reminder of dueReminders(meeting.startsAt, meeting.offsets, meeting.nextReminderAt!, now)) {
      if (reminder.kind === "invitees") {
        // Everyone who said ja or kanske or has not answered; never those who said nej. People
        // with an account get them while their profile asks for meeting reminders.
        const recipients = await tx
          .select({ id: meetingInvitees.id, email: meetingInvitees.email })
          .from(meetingInvitees)
          .leftJoin(users, eq(users.id, meetingInvitees.userId))
          .where(
            and(
              eq(meetingInvitees.meetingId, meeting.id),
              or(sql`${meetingInvitees.response} is null`, ne(meetingInvitees.response, "nej")),
              or(sql`${users.id} is null`, and(inArray(users.status, ["active", "invited"]), wantsReminders)),
            ),
          );
        for (const recipient of recipients) {
          mailIds.push(
            await queueEmail(tx, {
              template: "meeting-reminder",
              to: recipient.email,
              subject: `Påminnelse: ${meeting.title}`,
              props: { meetingId: meeting.id, inviteeId: recipient.id, startsAt, offsetMinutes: reminder.offsetMinutes },
              idempotencyKey: `meeting-reminder:${meeting.id}:${startsAt}:${reminder.offsetMinutes}:${recipient.id}`,
            }),
          );
        }
      } else {
        const coordinators = await tx
          .select({ id: users.id, email: users.email })
          .from(networkMembers)
          .innerJoin(users, eq(users.id, networkMembers.userId))
          .where(and(eq(networkMembers.networkId, meeting.networkId), eq(networkMembers.role, "samordnare"), eq(users.status, "active"), wantsReminders));
        for (const coordinator of coordinators) {
          mailIds.push(
            await queueEmail(tx, {
              template: "meeting-agenda-reminder",
              to: coordinator.email,
              subject: `Dagordning inför ${meeting.title}`,
              props: { meetingId: meeting.id, userId: coordinator.id, startsAt },
              idempotencyKey: `meeting-agenda-reminder:${meeting.id}:${startsAt}:${coordinator.id}`,
            }),
          );
        }
      }
    }
    await tx.update(meetings).set({ nextReminderAt: nextReminderAt(meeting.startsAt, meeting.offsets, now) }).where(eq(meetings.id, meeting.id));
    return mailIds;
  });
}

/** The scan as a pg-boss job every minute, and once at start for anything that came due while no portal ran. */
export async function startReminderScan(queue: PgBoss, db: Db) {
  await workOnSchedule(queue, QUEUES.reminders, "* * * * *", async () => {
    const result = await scanMeetingReminders(db, new Date());
    if (result.mails > 0) logger.info(result, "meeting reminders queued");
  });
  await runNow(queue, QUEUES.reminders);
}

// ---------------------------------------------------------------------------------------------
// The mails, loaded at send time.

export type MeetingReminderStored = { meetingId: string; inviteeId: string; startsAt: string; offsetMinutes: number };
export type AgendaReminderStored = { meetingId: string; userId: string; startsAt: string };

type Agenda = MeetingReminderEmailProps["agenda"];

/** "27 okt. 2026 09:00–10:30", or both dates when the meeting spans midnight. */
function when(startsAt: Date, endsAt: Date) {
  return stockholmDate(startsAt) === stockholmDate(endsAt) ? `${formatDateTime(startsAt)}–${stockholmTime(endsAt)}` : `${formatDateTime(startsAt)} – ${formatDateTime(endsAt)}`;
}

async function meetingWithNetwork(db: Db, meetingId: string) {
  const [row] = await db
    .select({ meeting: meetings, networkName: networks.name })
    .from(meetings)
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(eq(meetings.id, meetingId));
  // A reminder of a meeting that has since been cancelled is not sent (the mail becomes dead).
  if (!row || row.meeting.status !== "planerat") return null;
  const agenda: Agenda = (await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position))).map(
    ({ title, presenter, minutes }) => ({ title, presenter, minutes }),
  );
  return { ...row, agenda };
}

export async function loadMeetingReminderEmail(db: Db, stored: MeetingReminderStored): Promise<MeetingReminderEmailProps | null> {
  const loaded = await meetingWithNetwork(db, stored.meetingId);
  if (!loaded) return null;
  const { meeting, networkName, agenda } = loaded;
  const [invitee] = await db
    .select()
    .from(meetingInvitees)
    .where(and(eq(meetingInvitees.id, stored.inviteeId), eq(meetingInvitees.meetingId, meeting.id)));
  if (!invitee || invitee.response === "nej") return null;
  const expires = answerExpiry(meeting.endsAt);
  const link = (answer: "ja" | "nej" | "kanske") => answerLink({ meetingId: meeting.id, inviteeId: invitee.id, answer, expires });
  return {
    recipientName: knownInviteeName(invitee) ?? "",
    networkName,
    title: meeting.title,
    when: when(meeting.startsAt, meeting.endsAt),
    place: meeting.place,
    videoUrl: meeting.videoUrl,
    agenda,
    meetingUrl: `${config().baseUrl}/moten/${meeting.id}`,
    answer: invitee.response ? answerLabels[invitee.response] : null,
    answerLinks: invitee.response ? null : { ja: link("ja"), nej: link("nej"), kanske: link("kanske") },
    answerExpires: formatDate(expires),
  };
}

export async function loadAgendaReminderEmail(db: Db, stored: AgendaReminderStored): Promise<AgendaReminderEmailProps | null> {
  const loaded = await meetingWithNetwork(db, stored.meetingId);
  if (!loaded) return null;
  const { meeting, networkName, agenda } = loaded;
  const [person] = await db.select({ name: users.name, status: users.status }).from(users).where(eq(users.id, stored.userId));
  if (!person || person.status !== "active") return null;
  const answers = { ja: 0, kanske: 0, nej: 0, obesvarat: 0 };
  const counted = await db
    .select({ response: meetingInvitees.response, count: sql<number>`count(*)::int` })
    .from(meetingInvitees)
    .where(eq(meetingInvitees.meetingId, meeting.id))
    .groupBy(meetingInvitees.response);
  for (const row of counted) answers[row.response ?? "obesvarat"] += row.count;
  const meetingUrl = `${config().baseUrl}/moten/${meeting.id}`;
  return {
    recipientName: person.name,
    networkName,
    title: meeting.title,
    when: when(meeting.startsAt, meeting.endsAt),
    agenda,
    answers,
    meetingUrl,
    editUrl: `${meetingUrl}/redigera`,
  };
}
