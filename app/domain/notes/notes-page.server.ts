import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { meetingInvitees, memberships, organisations } from "../../../db/schema";
import type { SessionUser } from "../../auth/session.server";
import { notFound } from "../http-errors";
import { visibleMeeting } from "../meetings/meetings.server";
import { notesAccess, notesDocName } from "./state.server";

/** Caret colours, all dark enough for white name labels (WCAG AA on white text). */
const CARET_COLOURS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#9a3412", "#0e7490", "#be185d", "#4d7c0f"];

/** A person's caret colour: the same on every device, so others learn to recognise it. */
export function caretColour(userId: string) {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return CARET_COLOURS[hash % CARET_COLOURS.length];
}

/**
 * A person as the others in the notes see them (name, organisations, caret colour). The server
 * puts it into every caret a connection sends, so that nobody can show up under another name.
 */
export function notesPerson(actor: SessionUser) {
  return {
    id: actor.userId,
    name: actor.name,
    organisation: actor.memberships.map((membership) => membership.organisationName).join(", "),
    color: caretColour(actor.userId),
  };
}

/**
 * What the notes page of a meeting needs: the meeting (for those who may see it, by the same
 * policy as the meeting page), the person as others will see them, and who can be mentioned:
 * the invited people with an account and the organisations of the meeting and its invitees.
 * `readOnly` is what the page shows before the editor has joined; the join decides again.
 */
export async function getNotesPage(db: Db, actor: SessionUser, meetingId: string) {
  const { meeting, network } = await visibleMeeting(db, actor, meetingId);
  const access = await notesAccess(db, actor, meetingId);
  if (access.decision !== "ok") throw notFound("Mötet finns inte.");
  const people = await db
    .select({ userId: meetingInvitees.userId, name: meetingInvitees.name })
    .from(meetingInvitees)
    .where(and(eq(meetingInvitees.meetingId, meetingId), isNotNull(meetingInvitees.userId)))
    .orderBy(asc(meetingInvitees.name));
  const userIds = people.map((person) => person.userId!);
  const organisationIds = [meeting.ownerOrganisationId, ...meeting.sharedWithOrganisationIds];
  const organisationRows = await db
    .selectDistinct({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .leftJoin(memberships, eq(memberships.organisationId, organisations.id))
    .where(or(inArray(organisations.id, organisationIds), userIds.length ? inArray(memberships.userId, userIds) : sql`false`))
    .orderBy(asc(organisations.name));
  const membershipRows = userIds.length
    ? await db
        .select({ userId: memberships.userId, organisation: organisations.name })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(inArray(memberships.userId, userIds))
        .orderBy(asc(organisations.name))
    : [];
  const organisationOf = new Map<string, string[]>();
  for (const row of membershipRows) organisationOf.set(row.userId, [...(organisationOf.get(row.userId) ?? []), row.organisation]);

  return {
    meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status, networkName: network.name },
    docName: notesDocName(meeting.id),
    readOnly: access.readOnly,
    person: notesPerson(actor),
    candidates: [
      ...people.map((person) => ({ id: `person:${person.userId}`, label: person.name, kind: "person" as const, detail: (organisationOf.get(person.userId!) ?? []).join(", ") })),
      ...organisationRows.map((row) => ({ id: `organisation:${row.id}`, label: row.name, kind: "organisation" as const, detail: "" })),
    ],
  };
}
