import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { reusedStatement } from "../../../db/prepared";
import { actionItems, actionLists, kunskapsdagar, kunskapsdagRegistrations, meetingInvitees, meetings, networks, organisations, pollParticipants, polls, users } from "../../../db/schema";
import type { MeetingAnswer } from "../meetings/answer-links.server";
import { visibilityParams, visibleNetworks } from "../networks/networks.server";
import type { Actor } from "../policy";

const NETWORKS_SHOWN = 8;
const MEETINGS_SHOWN = 5;

type StartNetwork = { id: string; name: string; ownerName: string };
type AwaitingAnswer = { id: string; title: string; startsAt: string; networkName: string };
type StartRegistration = { id: string; title: string; startsAt: string; status: "bekraftad" | "vantelista" | "erbjuden" };
type StartPoll = { id: string; title: string; closesAt: string; networkName: string };
type StartAction = { id: string; number: number; title: string; deadline: string | null; status: string; listId: string; listTitle: string; overdue: boolean };
type StartMeeting = { id: string; title: string; startsAt: string; response: MeetingAnswer | null; networkName: string };

/**
 * Everything personal on the start page in one prepared statement: every visit runs it, and on
 * the embedded database each round trip costs more than the rows. Each card is a subquery with
 * the same scope as its own list (`visibleNetworks`; a person's own invitations, which
 * `meeting.view` always admits), so nothing is fetched that the person may not see.
 */
// Fragments of their own, so that drizzle keeps the table names on every column inside them.
const networkCard = sql`(select coalesce(json_agg(n order by n."name"), '[]'::json) from (
  select ${networks.id} as "id", ${networks.name} as "name",
    (select ${organisations.name} from ${organisations} where ${organisations.id} = ${networks.ownerOrganisationId}) as "ownerName"
  from ${networks} where ${visibleNetworks}
  order by ${networks.name} limit ${NETWORKS_SHOWN}) n)`;

const meetingCard = sql`(select coalesce(json_agg(m order by m."startsAt"), '[]'::json) from (
  select ${meetings.id} as "id", ${meetings.title} as "title", ${meetings.startsAt} as "startsAt", ${meetingInvitees.response} as "response",
    (select ${networks.name} from ${networks} where ${networks.id} = ${meetings.networkId}) as "networkName"
  from ${meetingInvitees} join ${meetings} on ${meetings.id} = ${meetingInvitees.meetingId}
  where ${meetingInvitees.userId} = ${sql.placeholder("actorId")}::uuid and ${meetings.endsAt} > now() and ${meetings.status} = 'planerat'
  order by ${meetings.startsAt} limit ${MEETINGS_SHOWN}) m)`;

// Time polls still open that wait for the person's answer (being asked is what `poll.view` admits).
const pollCard = sql`(select coalesce(json_agg(p order by p."closesAt"), '[]'::json) from (
  select ${polls.id} as "id", ${polls.title} as "title", ${polls.closesAt} as "closesAt",
    (select ${networks.name} from ${networks} where ${networks.id} = ${polls.networkId}) as "networkName"
  from ${pollParticipants} join ${polls} on ${polls.id} = ${pollParticipants.pollId}
  where ${pollParticipants.userId} = ${sql.placeholder("actorId")}::uuid and ${pollParticipants.answeredAt} is null
    and ${polls.status} = 'oppen' and ${polls.closesAt} > now()
  order by ${polls.closesAt} limit ${MEETINGS_SHOWN}) p)`;

// Invitations to coming meetings that the person has not answered yet.
const awaitingCard = sql`(select coalesce(json_agg(a order by a."startsAt"), '[]'::json) from (
  select ${meetings.id} as "id", ${meetings.title} as "title", ${meetings.startsAt} as "startsAt",
    (select ${networks.name} from ${networks} where ${networks.id} = ${meetings.networkId}) as "networkName"
  from ${meetingInvitees} join ${meetings} on ${meetings.id} = ${meetingInvitees.meetingId}
  where ${meetingInvitees.userId} = ${sql.placeholder("actorId")}::uuid and ${meetingInvitees.response} is null
    and ${meetings.endsAt} > now() and ${meetings.status} = 'planerat'
  order by ${meetings.startsAt} limit ${MEETINGS_SHOWN}) a)`;

// Kunskapsdagar the person has registered for with the address of their account (registration
// needs no account, so the address is what links the two).
const registrationCard = sql`(select coalesce(json_agg(r order by r."startsAt"), '[]'::json) from (
  select ${kunskapsdagar.id} as "id", ${kunskapsdagar.title} as "title", ${kunskapsdagar.startsAt} as "startsAt", ${kunskapsdagRegistrations.status} as "status"
  from ${kunskapsdagRegistrations} join ${kunskapsdagar} on ${kunskapsdagar.id} = ${kunskapsdagRegistrations.kunskapsdagId}
  where lower(${kunskapsdagRegistrations.email}) = lower(${users.email}) and ${kunskapsdagRegistrations.status} <> 'avbokad'
    and ${kunskapsdagar.endsAt} > now() and ${kunskapsdagar.status} in ('publicerad', 'stangd')
  order by ${kunskapsdagar.startsAt} limit ${MEETINGS_SHOWN}) r)`;

const ACTIONS_SHOWN = 8;

// Åtgärder where the person is the contact or their organisation is responsible, not finished, in
// lists they see (the `actionList.view` scope), by deadline with the undated last. Overdue is
// derived against today's date in Stockholm.
const actionCard = sql`(select coalesce(json_agg(x order by x."deadline" nulls last, x."number"), '[]'::json) from (
  select ${actionItems.id} as "id", ${actionItems.number} as "number", ${actionItems.title} as "title", ${actionItems.deadline} as "deadline",
    ${actionItems.status} as "status", ${actionLists.id} as "listId", ${actionLists.title} as "listTitle",
    (${actionItems.deadline} < (now() at time zone 'Europe/Stockholm')::date) as "overdue"
  from ${actionItems} join ${actionLists} on ${actionLists.id} = ${actionItems.listId}
  where ${actionItems.deletedAt} is null and ${actionItems.status} not in ('klar', 'stoppad') and ${actionLists.archivedAt} is null
    and (${actionItems.contactUserId} = ${sql.placeholder("actorId")}::uuid or ${actionItems.responsibleOrganisationId} = any(${sql.placeholder("organisationIds")}::uuid[]))
    and (${sql.placeholder("seesAll")}::boolean or ${actionLists.ownerOrganisationId} = any(${sql.placeholder("organisationIds")}::uuid[])
      or ${actionLists.sharedWithOrganisationIds} && ${sql.placeholder("organisationIds")}::uuid[])
  order by ${actionItems.deadline} nulls last, ${actionItems.number} limit ${ACTIONS_SHOWN}) x)`;

const startPageQuery = reusedStatement<{ networks: StartNetwork[]; meetings: StartMeeting[]; awaiting: AwaitingAnswer[]; polls: StartPoll[]; registrations: StartRegistration[]; actions: StartAction[] }>("start_page", (db) =>
  db
    .select({
      networks: sql<StartNetwork[]>`${networkCard}`,
      meetings: sql<StartMeeting[]>`${meetingCard}`,
      awaiting: sql<AwaitingAnswer[]>`${awaitingCard}`,
      polls: sql<StartPoll[]>`${pollCard}`,
      registrations: sql<StartRegistration[]>`${registrationCard}`,
      actions: sql<StartAction[]>`${actionCard}`,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("actorId"))),
);

/** The start page's cards: the first networks the person sees, their next meetings and the invitations awaiting their answer. */
export async function startPage(db: Db, actor: Actor) {
  const [row] = await startPageQuery(db, visibilityParams(actor));
  return {
    networks: row?.networks ?? [],
    meetings: (row?.meetings ?? []).map((meeting) => ({ ...meeting, startsAt: new Date(meeting.startsAt) })),
    awaiting: (row?.awaiting ?? []).map((meeting) => ({ ...meeting, startsAt: new Date(meeting.startsAt) })),
    polls: (row?.polls ?? []).map((poll) => ({ ...poll, closesAt: new Date(poll.closesAt) })),
    registrations: (row?.registrations ?? []).map((registration) => ({ ...registration, startsAt: new Date(registration.startsAt) })),
    actions: row?.actions ?? [],
  };
}
