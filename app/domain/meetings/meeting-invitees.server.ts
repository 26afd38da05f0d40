import { and, asc, eq, gt, sql } from "drizzle-orm";
import { withdrawInviteeReminders } from "./reminders.server";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { meetingInvitees, meetings, networks, removedMeetingInvitees, users } from "../../../db/schema";
import type { MeetingRemovedEmailProps } from "../../../emails/meeting-removed";
import { personRoom } from "../../../realtime/rooms";
import { config } from "../../server/config.server";
import { disconnectLive, portal } from "../../server/portal.server";
import { recordAudit } from "../audit/audit.server";
import { conflict, notFound } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { authorize, can, type Actor } from "../policy";
import { meetingCalendar } from "./ics.server";
import { meetingRoom } from "./labels";
import { loadMeetingResource, meetingWhen, senderAddress } from "./meetings.server";
import { inviteeDisplayName, knownInviteeName } from "./invitee-names";

/**
 * What a coordinator does to a meeting besides planning, changing and cancelling it: mark it
 * held (genomfört) once it has begun, and withdraw one person's invitation.
 */

const MEETING_NOT_FOUND = "Mötet finns inte.";

async function visibleMeeting(db: Db, actor: Actor, meetingId: string) {
  const loaded = await loadMeetingResource(db, meetingId);
  if (!loaded || !can(actor, "meeting.view", loaded.resource)) throw notFound(MEETING_NOT_FOUND);
  return loaded;
}

/** A planned meeting that has begun becomes genomfört; no mail goes out, calendars keep the event. */
export async function markMeetingHeld(db: Db, actor: Actor, meetingId: string, now = new Date()) {
  const { resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.markHeld", resource);
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for("update");
    if (current.status === "genomfort") throw conflict("Mötet är redan markerat som genomfört.");
    if (current.status === "installt") throw conflict("Ett inställt möte kan inte markeras som genomfört.");
    if (current.startsAt > now) throw conflict("Mötet har inte börjat ännu. Det kan markeras som genomfört när det har ägt rum.");
    await tx.update(meetings).set({ status: "genomfort", updatedAt: now }).where(eq(meetings.id, meetingId));
    await recordAudit(tx, {
      actor,
      action: "meeting.markHeld",
      entityType: "meeting",
      entityId: meetingId,
      organisationId: current.ownerOrganisationId,
      summary: `${actor.name} markerade mötet ${current.title} som genomfört`,
      before: { status: current.status },
      after: { status: "genomfort" },
    });
  });
  portal().publish(meetingRoom(meetingId), "meeting:changed", { meetingId });
}

export const removeInviteeSchema = z.object({ inviteeId: z.uuid("Ogiltig inbjuden.").transform((value) => value.toLowerCase()) });

export type MeetingRemovedEmailStored = { meetingId: string; inviteeId: string; sequence: number };

/**
 * Withdraws one invitation. The person gets a cancellation of the meeting for their own calendar
 * (same UID, next SEQUENCE, METHOD:CANCEL); their answer links stop working. The invitation is
 * moved to `removed_meeting_invitees`, so every list of invitees stays as it is.
 */
export async function removeMeetingInvitee(db: Db, actor: Actor, meetingId: string, inviteeId: string) {
  const { resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.removeInvitee", resource);
  const { mailId, invitee: removed } = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for("update");
    if (current.status !== "planerat") throw conflict("Deltagare kan bara tas bort från ett planerat möte.");
    return withdrawInvitation(tx, actor, meetingId, inviteeId);
  });
  await afterWithdrawals([mailId], [meetingId], removed.userId);
  return { name: inviteeDisplayName(removed) };
}

/**
 * One invitation to a planned meeting withdrawn, inside the caller's transaction (which holds the
 * meeting's row): its reminders go, it moves to `removed_meeting_invitees`, the meeting's SEQUENCE
 * moves on, and the cancellation mail is queued. Returns that mail, to dispatch after the commit.
 */
async function withdrawInvitation(tx: Queryable, actor: Actor, meetingId: string, inviteeId: string) {
  const [invitee] = await tx
    .delete(meetingInvitees)
    .where(and(eq(meetingInvitees.id, inviteeId), eq(meetingInvitees.meetingId, meetingId)))
    .returning();
  if (!invitee) throw notFound("Personen är inte inbjuden till mötet.");
  await withdrawInviteeReminders(tx, invitee);
  await tx.insert(removedMeetingInvitees).values({
    id: invitee.id,
    meetingId,
    userId: invitee.userId,
    email: invitee.email,
    name: invitee.name,
    removedBy: actor.userId,
  });
  // The removed person's calendar must see a newer version than the invitation it holds.
  const [meeting] = await tx
    .update(meetings)
    .set({ sequence: sql`${meetings.sequence} + 1`, updatedAt: new Date() })
    .where(eq(meetings.id, meetingId))
    .returning();
  await recordAudit(tx, {
    actor,
    action: "meeting.removeInvitee",
    entityType: "meeting",
    entityId: meetingId,
    organisationId: meeting.ownerOrganisationId,
    summary:
      invitee.userId === actor.userId
        ? `${actor.name} drog tillbaka sin inbjudan till mötet ${meeting.title}`
        : `${actor.name} tog bort ${invitee.name} från mötet ${meeting.title}`,
    before: { inviteeId: invitee.id, name: invitee.name, email: invitee.email, response: invitee.response },
  });
  const mailId = await queueEmail(tx, {
    template: "meeting-removed",
    to: invitee.email,
    subject: `Inte längre inbjuden: ${meeting.title}`,
    props: { meetingId, inviteeId: invitee.id, sequence: meeting.sequence },
    idempotencyKey: `meeting-removed:${meetingId}:${invitee.id}`,
  });
  return { mailId, invitee };
}

/**
 * A person's invitations to a network's planned meetings that have not started yet, withdrawn
 * where the actor may remove invitees (when the person is taken out of the network) or the
 * invitation is the actor's own (when they leave it). Inside the caller's transaction; pass the
 * result to `afterWithdrawals` once it has committed.
 */
export async function withdrawNetworkInvitations(tx: Queryable, actor: Actor, networkId: string, userId: string) {
  const invitations = await tx
    .select({ meetingId: meetings.id, inviteeId: meetingInvitees.id })
    .from(meetingInvitees)
    .innerJoin(meetings, eq(meetings.id, meetingInvitees.meetingId))
    .where(and(eq(meetings.networkId, networkId), eq(meetings.status, "planerat"), gt(meetings.startsAt, sql`now()`), eq(meetingInvitees.userId, userId)))
    .orderBy(asc(meetings.startsAt))
    .for("update", { of: meetings });
  const mailIds: Array<string | undefined> = [];
  const meetingIds: string[] = [];
  // Their own invitations a person may always give up; someone else's, only where they run the meeting.
  const own = can(actor, "meeting.withdrawOwnInvitation", { type: "invitee", userId });
  for (const { meetingId, inviteeId } of invitations) {
    if (!own) {
      const loaded = await loadMeetingResource(tx, meetingId);
      if (!loaded || !can(actor, "meeting.removeInvitee", loaded.resource)) continue;
    }
    mailIds.push((await withdrawInvitation(tx, actor, meetingId, inviteeId)).mailId);
    meetingIds.push(meetingId);
  }
  return { mailIds, meetingIds };
}

/** After withdrawals have committed: the mails go, open meeting pages refresh, and the person's live views are authorised again. */
export async function afterWithdrawals(mailIds: Array<string | undefined>, meetingIds: string[], userId: string | null) {
  await dispatchEmails(mailIds);
  for (const meetingId of meetingIds) portal().publish(meetingRoom(meetingId), "meeting:attendees", { meetingId });
  // The person may have seen a meeting only as an invitee.
  if (userId && meetingIds.length) disconnectLive(personRoom(userId));
}

export async function loadMeetingRemovedEmail(db: Db, stored: MeetingRemovedEmailStored): Promise<MeetingRemovedEmailProps | null> {
  const [row] = await db
    .select({ removed: removedMeetingInvitees, meeting: meetings, networkName: networks.name })
    .from(removedMeetingInvitees)
    .innerJoin(meetings, eq(meetings.id, removedMeetingInvitees.meetingId))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(and(eq(removedMeetingInvitees.id, stored.inviteeId), eq(removedMeetingInvitees.meetingId, stored.meetingId)));
  if (!row) return null;
  const { meeting, removed } = row;
  const [creator] = meeting.createdBy ? await db.select({ name: users.name, email: users.email, status: users.status }).from(users).where(eq(users.id, meeting.createdBy)) : [];
  const organizer = creator && creator.status !== "anonymised" ? { name: creator.name, email: creator.email } : senderAddress();
  return {
    recipientName: knownInviteeName(removed) ?? "",
    organizerName: organizer.name,
    networkName: row.networkName,
    title: meeting.title,
    when: meetingWhen(meeting.startsAt, meeting.endsAt),
    ics: meetingCalendar({
      meeting: { ...meeting, url: `${config().baseUrl}/moten/${meeting.id}` },
      sequence: stored.sequence,
      method: "CANCEL",
      organizer,
      attendee: { name: removed.name, email: removed.email, response: null },
    }),
  };
}
