import type { Db } from "../../../db/client";
import { kunskapsdagRegistrationTemplate, meetingRemovedTemplate, meetingTemplate, signInTemplate } from "../../../emails/templates";
import { loadRegistrationEmail, type RegistrationEmailStored } from "../kunskapsdagar/registrations.server";
import { loadSignInEmail, type SignInEmailStored } from "../auth/sign-in.server";
import { loadMeetingEmail, type MeetingEmailStored } from "../meetings/meetings.server";
import { loadMeetingRemovedEmail, type MeetingRemovedEmailStored } from "../meetings/meeting-invitees.server";

/** Template name → how to load its data at send time. */
export const templates = {
  "sign-in": (db: Db) => signInTemplate((stored: SignInEmailStored) => loadSignInEmail(db, stored)),
  meeting: (db: Db) => meetingTemplate((stored: MeetingEmailStored) => loadMeetingEmail(db, stored)),
  "meeting-removed": (db: Db) => meetingRemovedTemplate((stored: MeetingRemovedEmailStored) => loadMeetingRemovedEmail(db, stored)),
  "kunskapsdag-registration": (db: Db) => kunskapsdagRegistrationTemplate((stored: RegistrationEmailStored) => loadRegistrationEmail(db, stored)),
};

export type TemplateName = keyof typeof templates;
export type StoredProps<T extends TemplateName> = T extends "sign-in" ? SignInEmailStored : T extends "meeting" ? MeetingEmailStored : T extends "meeting-removed" ? MeetingRemovedEmailStored : T extends "kunskapsdag-registration" ? RegistrationEmailStored : never;
