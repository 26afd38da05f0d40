import type { Db } from "../../../db/client";
import { kunskapsdagFollowupTemplate, kunskapsdagMessageTemplate, kunskapsdagRegistrationTemplate, meetingRemovedTemplate, meetingTemplate, pollTemplate, signInTemplate } from "../../../emails/templates";
import { loadFollowupEmail, type FollowupEmailStored } from "../kunskapsdagar/reminders.server";
import { loadRegistrationEmail, type RegistrationEmailStored } from "../kunskapsdagar/registrations.server";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";
import { loadMeetingRemovedEmail, type MeetingRemovedEmailStored } from "../meetings/meeting-invitees.server";
import { loadKunskapsdagMessageEmail, type KunskapsdagMessageStored } from "../kunskapsdagar/dashboard.server";
import { loadPollEmail, type PollEmailStored } from "../polls/polls.server";
import { loadSeriesEmail, type SeriesEmailStored } from "../meetings/series.server";
import { notesApprovalRequestTemplate, notesApprovedTemplate } from "../../../emails/templates";
import { loadNotesApprovalRequestEmail, loadNotesApprovedEmail, type NotesApprovalRequestStored, type NotesApprovedStored } from "../notes/approval.server";
import { agendaReminderTemplate } from "../../../emails/agenda-reminder";
import { meetingReminderTemplate } from "../../../emails/meeting-reminder";
import { actionDigestTemplate, actionMentionTemplate, actionOverdueSummaryTemplate } from "../../../emails/templates";
import { loadMentionEmail, type MentionEmailStored } from "../actions/mentions.server";
import { loadDigestEmail, loadOverdueSummaryEmail, type DigestEmailStored } from "../actions/digest.server";
import { followupRequestTemplate } from "../../../emails/followup-request";
import { loadFollowupRequestEmail, type FollowupRequestStored } from "../followup/requests.server";
import { loadAgendaReminderEmail, loadMeetingReminderEmail, type AgendaReminderStored, type MeetingReminderStored } from "../meetings/reminders.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
  "meeting-removed": (db: Db) => meetingRemovedTemplate((stored: MeetingRemovedEmailStored) => loadMeetingRemovedEmail(db, stored)),
  poll: (db: Db) => pollTemplate((stored: PollEmailStored) => loadPollEmail(db, stored)),
  "meeting-series": (db: Db) => meetingTemplate((stored: SeriesEmailStored) => loadSeriesEmail(db, stored)),
  "meeting-reminder": (db: Db) => meetingReminderTemplate((stored: MeetingReminderStored) => loadMeetingReminderEmail(db, stored)),
  "meeting-agenda-reminder": (db: Db) => agendaReminderTemplate((stored: AgendaReminderStored) => loadAgendaReminderEmail(db, stored)),
  "kunskapsdag-registration": (db: Db) => kunskapsdagRegistrationTemplate((stored: RegistrationEmailStored) => loadRegistrationEmail(db, stored)),
  "kunskapsdag-message": (db: Db) => kunskapsdagMessageTemplate((stored: KunskapsdagMessageStored) => loadKunskapsdagMessageEmail(db, stored)),
  "kunskapsdag-followup": (db: Db) => kunskapsdagFollowupTemplate((stored: FollowupEmailStored) => loadFollowupEmail(db, stored)),
  "notes-approval-request": (db: Db) => notesApprovalRequestTemplate((stored: NotesApprovalRequestStored) => loadNotesApprovalRequestEmail(db, stored)),
  "notes-approved": (db: Db) => notesApprovedTemplate((stored: NotesApprovedStored) => loadNotesApprovedEmail(db, stored)),
  "action-mention": (db: Db) => actionMentionTemplate((stored: MentionEmailStored) => loadMentionEmail(db, stored)),
  "action-digest": (db: Db) => actionDigestTemplate((stored: DigestEmailStored) => loadDigestEmail(db, stored)),
  "action-overdue-summary": (db: Db) => actionOverdueSummaryTemplate((stored: DigestEmailStored) => loadOverdueSummaryEmail(db, stored)),
  "followup-request": (db: Db) => followupRequestTemplate((stored: FollowupRequestStored) => loadFollowupRequestEmail(db, stored)),
  "followup-reminder": (db: Db) => followupRequestTemplate((stored: FollowupRequestStored) => loadFollowupRequestEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
/** What a template stores with the queued mail: the argument of its `load`. */
export type StoredProps<T extends TemplateName> = Parameters<ReturnType<(typeof templates)[T]>["load"]>[0];
