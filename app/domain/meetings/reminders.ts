import { z } from "zod";
import { workingDaysBefore } from "../calendar/swedish-holidays";
import { DEFAULT_REMINDER_OFFSETS, REMINDER_CHOICES } from "./reminder-choices";
import { stockholmDate, stockholmToUtc } from "./time";

export { DEFAULT_REMINDER_OFFSETS, REMINDER_CHOICES, describeReminders, reminderLabel } from "./reminder-choices";

/**
 * When a meeting's reminders are due. Pure functions of the meeting's start and its chosen
 * offsets, shared by the form, the scan job and the tests.
 */

/** The network's coordinators are reminded of the agenda at this local time, this many working days before. */
export const AGENDA_REMINDER_WORKING_DAYS = 3;
export const AGENDA_REMINDER_TIME = "08:00";

const CHOICE_VALUES = REMINDER_CHOICES.map((choice) => String(choice.minutes));

/**
 * The form's reminder checkboxes. The form always posts an empty `reminders` value beside the
 * boxes, so "none ticked" arrives as [] and a post without the field at all as undefined
 * (keep what was chosen; the defaults for a new meeting).
 */
export const reminderChoicesField = z.preprocess(
  (value) => (value === undefined ? undefined : ([] as unknown[]).concat(value).filter((item) => item !== "")),
  z
    .array(z.string().refine((item) => CHOICE_VALUES.includes(item), "Välj påminnelser bland alternativen."))
    .max(REMINDER_CHOICES.length, "Välj påminnelser bland alternativen.")
    .optional()
    .transform((list) => (list ? [...new Set(list.map(Number))].sort((a, b) => b - a) : undefined)),
);

export type PlannedReminder = { kind: "invitees"; offsetMinutes: number; at: Date } | { kind: "agenda"; at: Date };

/** 08:00 Stockholm time on the third working day before the meeting's day. */
export function agendaReminderAt(startsAt: Date) {
  const date = workingDaysBefore(stockholmDate(startsAt), AGENDA_REMINDER_WORKING_DAYS);
  return stockholmToUtc(date, AGENDA_REMINDER_TIME)!;
}

/** Every reminder of a meeting starting at `startsAt`, earliest first. */
export function reminderSchedule(startsAt: Date, offsets: readonly number[]): PlannedReminder[] {
  const reminders: PlannedReminder[] = [...new Set(offsets)].map((offsetMinutes) => ({
    kind: "invitees" as const,
    offsetMinutes,
    at: new Date(startsAt.getTime() - offsetMinutes * 60_000),
  }));
  reminders.push({ kind: "agenda", at: agendaReminderAt(startsAt) });
  return reminders.filter((reminder) => reminder.at < startsAt).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The first reminder after `after`, or null when none is left. A reminder whose time has passed
 * when the meeting is planned or moved is not planned: the invitation or update has just gone out.
 */
export function nextReminderAt(startsAt: Date, offsets: readonly number[], after: Date): Date | null {
  return reminderSchedule(startsAt, offsets).find((reminder) => reminder.at > after)?.at ?? null;
}

/**
 * The reminders to send now: those due since `from` (the meeting's planned next reminder) and
 * not after `now`, while the meeting is still ahead. When the scan ran late and several invitee
 * reminders are due at once (the portal was down), only the one closest to the meeting is sent.
 */
export function dueReminders(startsAt: Date, offsets: readonly number[], from: Date, now: Date): PlannedReminder[] {
  if (now >= startsAt) return [];
  const due = reminderSchedule(startsAt, offsets).filter((reminder) => reminder.at >= from && reminder.at <= now);
  const latestInvitees = due.filter((reminder) => reminder.kind === "invitees").at(-1);
  return due.filter((reminder) => reminder.kind === "agenda" || reminder === latestInvitees);
}
