import type { Db } from "../../../db/client";
import { agendaReminderTemplate } from "../../../emails/agenda-reminder";
import { meetingReminderTemplate } from "../../../emails/meeting-reminder";
import { meetingTemplate, signInTemplate } from "../../../emails/templates";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";
import { loadAgendaReminderEmail, loadMeetingReminderEmail, type AgendaReminderStored, type MeetingReminderStored } from "../meetings/reminders.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
  "meeting-reminder": (db: Db) => meetingReminderTemplate((stored: MeetingReminderStored) => loadMeetingReminderEmail(db, stored)),
  "meeting-agenda-reminder": (db: Db) => agendaReminderTemplate((stored: AgendaReminderStored) => loadAgendaReminderEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
/** What a template stores with the queued mail: the argument of its `load`. */
export type StoredProps<T extends TemplateName> = Parameters<ReturnType<(typeof templates)[T]>["load"]>[0];
