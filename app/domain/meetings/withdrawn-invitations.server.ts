import { and, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { removedMeetingInvitees } from "../../../db/schema";

export const INVITATION_WITHDRAWN = "Du är inte längre inbjuden till det här mötet, så svarslänken fungerar inte. Kontakta den som kallade till mötet om du tror att det är fel.";

/** A 410 for an answer link whose invitation a coordinator withdrew, or null when there is no such withdrawal. */
export async function withdrawnInvitationError(db: Queryable, target: { meetingId: string; inviteeId: string }) {
  const [row] = await db
    .select({ id: removedMeetingInvitees.id })
    .from(removedMeetingInvitees)
    .where(and(eq(removedMeetingInvitees.id, target.inviteeId), eq(removedMeetingInvitees.meetingId, target.meetingId)));
  return row ? Response.json({ error: "withdrawn", message: INVITATION_WITHDRAWN }, { status: 410 }) : null;
}
