import type { Db } from "../../../db/client";
import { meetingTemplate, signInTemplate } from "../../../emails/templates";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
export type StoredProps<T extends TemplateName> = T extends "sign-in" ? SignInEmailStored : T extends "meeting" ? MeetingEmailStored : never;
