import type { Db } from "../db/client";
import { loadNetworkResource } from "../app/domain/networks/networks.server";
import { loadMeetingResource } from "../app/domain/meetings/meetings.server";
import { loadPollResource } from "../app/domain/polls/polls.server";
import { can, type Actor } from "../app/domain/policy";
import { uuidPattern } from "../app/domain/http-errors";
import { MAIL_ROOM } from "../app/domain/mail/rooms";
import { eq } from "drizzle-orm";
import { kunskapsdagar } from "../db/schema";
import { isPubliclyVisible, registrationsAccess } from "../app/domain/kunskapsdagar/kunskapsdagar.server";
import { loadListResource } from "../app/domain/actions/action-lists.server";

/** Rooms the server puts every connection in, so that it can be closed when its session or person ends. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const personRoom = (userId: string) => `person:${userId}`;

export type RoomDecision = "ok" | "forbidden" | "not_found" | "malformed";

/**
 * Who may listen to a live room, decided by the same policy as the page that shows it.
 * Rooms: `admin:mail` (the outbox and dead letters), `network:<id>` (a network's live view),
 * `meeting:<id>` (a meeting's attendee list), `poll:<id>` (a time poll's answers), `checkin:<id>` (a kunskapsdag's check-in, for its organisers),
 * `kunskapsdag-registrations:<id>` (a kunskapsdag's registrations on its management page, for its organisers),
 * `action-list:<id>` (an action list's items and who edits which row).
 */
export async function authorizeRoom(db: Db, actor: Actor, room: unknown): Promise<RoomDecision> {
  if (typeof room !== "string" || room.length > 100) return "malformed";
  if (room === MAIL_ROOM) return can(actor, "system.manageMail", { type: "system" }) ? "ok" : "forbidden";
  const network = /^network:(.+)$/.exec(room);
  if (network) {
    if (!uuidPattern.test(network[1])) return "malformed";
    const resource = await loadNetworkResource(db, network[1].toLowerCase());
    if (!resource) return "not_found";
    return can(actor, "network.view", resource) ? "ok" : "forbidden";
  }
  const meeting = /^meeting:(.+)$/.exec(room);
  if (meeting) {
    if (!uuidPattern.test(meeting[1])) return "malformed";
    const loaded = await loadMeetingResource(db, meeting[1].toLowerCase());
    if (!loaded) return "not_found";
    return can(actor, "meeting.view", loaded.resource) ? "ok" : "forbidden";
  }
  const poll = /^poll:(.+)$/.exec(room);
  if (poll) {
    if (!uuidPattern.test(poll[1])) return "malformed";
    const loaded = await loadPollResource(db, poll[1].toLowerCase());
    if (!loaded) return "not_found";
    return can(actor, "poll.view", loaded.resource) ? "ok" : "forbidden";
  }
  // A kunskapsdag's organiser rooms, in every status (a draft too): decided exactly as their pages.
  const organisers = /^(?:checkin|kunskapsdag-registrations):(.+)$/.exec(room);
  if (organisers) {
    if (!uuidPattern.test(organisers[1])) return "malformed";
    return (await registrationsAccess(db, actor, organisers[1].toLowerCase())).decision;
  }
  const actionList = /^action-list:(.+)$/.exec(room);
  if (actionList) {
    if (!uuidPattern.test(actionList[1])) return "malformed";
    const resource = await loadListResource(db, actionList[1].toLowerCase());
    if (!resource) return "not_found";
    return can(actor, "actionList.view", resource) ? "ok" : "forbidden";
  }
  return "not_found";
}

/**
 * Rooms on the `/public` namespace, which anyone may join without a session: only
 * `kunskapsdag:<id>` of a day whose page is public, and only seat counts are sent there.
 */
export async function authorizePublicRoom(db: Db, room: unknown): Promise<RoomDecision> {
  if (typeof room !== "string" || room.length > 100) return "malformed";
  const day = /^kunskapsdag:(.+)$/.exec(room);
  if (!day) return "not_found";
  if (!uuidPattern.test(day[1])) return "malformed";
  const [row] = await db.select({ status: kunskapsdagar.status }).from(kunskapsdagar).where(eq(kunskapsdagar.id, day[1].toLowerCase()));
  // A draft is answered like a missing day, so its existence does not leak.
  return row && isPubliclyVisible(row) ? "ok" : "not_found";
}

/** Whether a published event also goes to the public namespace. */
export function isPublicRoom(room: string) {
  return room.startsWith("kunskapsdag:");
}
