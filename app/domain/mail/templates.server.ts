import type { Db } from "../../../db/client";
import { meetingRemovedTemplate, meetingTemplate, pollTemplate, signInTemplate } from "../../../emails/templates";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";
import { loadMeetingRemovedEmail, type MeetingRemovedEmailStored } from "../meetings/meeting-invitees.server";
import { loadPollEmail, type PollEmailStored } from "../polls/polls.server";
import { loadSeriesEmail, type SeriesEmailStored } from "../meetings/series.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
  "meeting-removed": (db: Db) => meetingRemovedTemplate((stored: MeetingRemovedEmailStored) => loadMeetingRemovedEmail(db, stored)),
  poll: (db: Db) => pollTemplate((stored: PollEmailStored) => loadPollEmail(db, stored)),
  "meeting-series": (db: Db) => meetingTemplate((stored: SeriesEmailStored) => loadSeriesEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
export type StoredProps<T extends TemplateName> = T extends "sign-in"
  ? SignInEmailStored
  : T extends "meeting"
    ? MeetingEmailStored
    : T extends "meeting-removed"
      ? MeetingRemovedEmailStored
      : T extends "poll"
        ? PollEmailStored
        : T extends "meeting-series"
          ? SeriesEmailStored
          : never;
