import type { Db } from "../../../db/client";
import { meetingTemplate, signInTemplate } from "../../../emails/templates";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";
import { loadSeriesEmail, type SeriesEmailStored } from "../meetings/series.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
  "meeting-series": (db: Db) => meetingTemplate((stored: SeriesEmailStored) => loadSeriesEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
export type StoredProps<T extends TemplateName> = T extends "sign-in" ? SignInEmailStored : T extends "meeting" ? MeetingEmailStored : T extends "meeting-series" ? SeriesEmailStored : never;
