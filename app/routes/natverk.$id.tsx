import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { meetingStatusLabels } from "../domain/meetings/labels";
import { listNetworkMeetings, meetingWhen } from "../domain/meetings/meetings.server";
import { getNetwork } from "../domain/networks/networks.server";
import { can } from "../domain/policy";
import { lastAnswerDay, listOpenPolls } from "../domain/polls/polls.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.network.name ?? "Nätverk"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { network, members, sharedWith, resource } = await getNetwork(db(), user, requireId(params.id));
  const meetings = await listNetworkMeetings(db(), user, network.id);
  const polls = await listOpenPolls(db(), user, network.id);
  const summary = (meeting: (typeof meetings.upcoming)[number]) => ({
    id: meeting.id,
    title: meeting.title,
    when: meetingWhen(meeting.startsAt, meeting.endsAt),
    place: meeting.place,
    status: meeting.status,
  });
  return {
    network,
    members,
    sharedWith,
    meetings: { upcoming: meetings.upcoming.map(summary), past: meetings.past.map(summary) },
    canCreateMeeting: can(user, "meeting.create", resource),
    polls: polls.map((poll) => ({ id: poll.id, title: poll.title, lastAnswerDay: lastAnswerDay(poll.closesAt), participants: poll.participants, answered: poll.answered })),
    canCreatePoll: can(user, "poll.create", resource),
  };
}

export default function NetworkPage() {
  const { network, members, sharedWith, meetings, canCreateMeeting, polls, canCreatePoll } = useLoaderData<typeof loader>();
  const coordinators = members.filter((member) => member.role === "samordnare");
  return (
    <div className="stack">
      <p>
        <Link to="/natverk">← Alla nätverk</Link>
      </p>
      <h1>{network.name}</h1>
      {network.purpose ? <p>{network.purpose}</p> : null}
      <p className="muted">
        Ägs av <Link to={`/organisationer/${network.ownerId}`}>{network.ownerName}</Link>
        {sharedWith.length ? ` · delas med ${sharedWith.map((org) => org.name).join(", ")}` : " · delas inte med andra organisationer"}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="samordnare">
          <h2 id="samordnare">Samordnare</h2>
          {coordinators.length ? (
            <ul className="list-plain">
              {coordinators.map((member) => (
                <li key={member.id}>
                  {member.name}
                  <span className="hint">{member.organisations}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Nätverket har ingen samordnare.</p>
          )}
        </section>
      </div>
      <section aria-labelledby="moten">
        <div className="section-heading">
          <h2 id="moten">Möten</h2>
          {canCreateMeeting ? (
            <Link className="button" to={`/natverk/${network.id}/moten/nytt`}>
              Nytt möte
            </Link>
          ) : null}
        </div>
        <div className="grid">
          <section className="card" aria-labelledby="kommande-moten">
            <h3 id="kommande-moten">Kommande möten</h3>
            <MeetingList meetings={meetings.upcoming} empty="Inga möten är planerade." />
          </section>
          <section className="card" aria-labelledby="tidigare-moten">
            <h3 id="tidigare-moten">Tidigare möten</h3>
            <MeetingList meetings={meetings.past} empty="Inga tidigare möten." />
          </section>
        </div>
      </section>
      <section aria-labelledby="tidsforslag">
        <div className="section-heading">
          <h2 id="tidsforslag">Öppna tidsförslag</h2>
          {canCreatePoll ? (
            <Link className="button button--secondary" to={`/natverk/${network.id}/tidsforslag/nytt`}>
              Nytt tidsförslag
            </Link>
          ) : null}
        </div>
        {polls.length ? (
          <ul className="list-plain">
            {polls.map((poll) => (
              <li key={poll.id}>
                <Link to={`/tidsforslag/${poll.id}`}>{poll.title}</Link>
                <span className="hint">
                  Sista svarsdag {poll.lastAnswerDay} · {poll.answered} av {poll.participants} har svarat
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">Inga öppna tidsförslag som du är med i.</p>
        )}
      </section>
      <section aria-labelledby="natverk-medlemmar">
        <h2 id="natverk-medlemmar">Medlemmar ({members.length})</h2>
        {members.length ? (
          <ul className="list-plain">
            {members.map((member) => (
              <li key={member.id}>
                {member.name}
                {member.title ? `, ${member.title}` : ""}
                <span className="hint">{member.organisations}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">Nätverket har inga medlemmar ännu.</p>
        )}
      </section>
    </div>
  );
}

type MeetingSummary = { id: string; title: string; when: string; place: string; status: keyof typeof meetingStatusLabels };

function MeetingList({ meetings, empty }: { meetings: MeetingSummary[]; empty: string }) {
  if (meetings.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list-plain">
      {meetings.map((meeting) => (
        <li key={meeting.id}>
          <Link to={`/moten/${meeting.id}`} className={meeting.status === "installt" ? "meeting-cancelled" : undefined}>
            {meeting.title}
          </Link>
          {meeting.status === "installt" ? <span className="badge badge--error"> {meetingStatusLabels.installt}</span> : null}
          <span className="hint">
            {meeting.when}
            {meeting.place ? ` · ${meeting.place}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
