import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AwaitingAnswers } from "../components/meetings/awaiting-answers";
import { requireUser } from "../auth/guards.server";
import { answerLabels } from "../domain/meetings/labels";
import { startPage } from "../domain/start/start-page.server";
import { lastAnswerDay } from "../domain/polls/polls.server";
import { formatDate, formatDateTime } from "../format";
import { STATUS_LABELS, type ActionStatus } from "../domain/actions/fields";
import { roleLabels } from "../domain/people/people.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Start – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { networks, meetings, awaiting, polls, registrations, actions } = await startPage(db(), user);
  return {
    actions: actions.map((action) => ({ ...action, deadline: action.deadline ? formatDate(action.deadline) : null, statusLabel: STATUS_LABELS[action.status as ActionStatus] ?? action.status })),
    awaiting: awaiting.map((meeting) => ({ id: meeting.id, title: meeting.title, when: formatDateTime(meeting.startsAt), networkName: meeting.networkName })),
    meetings: meetings.map((meeting) => ({
      id: meeting.id,
      title: meeting.title,
      when: formatDateTime(meeting.startsAt),
      networkName: meeting.networkName,
      response: meeting.response,
    })),
    name: user.name,
    memberships: user.memberships.map((m) => ({ name: m.organisationName, role: roleLabels[m.role] })),
    networks,
    registrations: registrations.map((registration) => ({
      id: registration.id,
      title: registration.title,
      when: formatDateTime(registration.startsAt),
      waiting: registration.status === "vantelista",
      offered: registration.status === "erbjuden",
    })),
    polls: polls.map((poll) => ({ id: poll.id, title: poll.title, networkName: poll.networkName, lastAnswerDay: lastAnswerDay(poll.closesAt) })),
  };
}

export default function StartPage() {
  const { name, memberships, networks, meetings, awaiting, polls, registrations, actions } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{`Välkommen, ${name}`}</h1>
      <p className="muted">
        {memberships.length
          ? memberships.map((m) => `${m.role} i ${m.name}`).join(" · ")
          : "Du är inte medlem i någon organisation ännu."}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="mina-moten">
          <h2 id="mina-moten">Mina möten</h2>
          {meetings.length ? (
            <ul className="list-plain">
              {meetings.map((meeting) => (
                <li key={meeting.id}>
                  <Link to={`/moten/${meeting.id}`}>{meeting.title}</Link>
                  <br />
                  <span className="muted">
                    {meeting.when} · {meeting.networkName} · {meeting.response ? `Du har svarat ${answerLabels[meeting.response]}` : "Du har inte svarat"}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Du har inga kommande möten.</p>
          )}
        </section>
        <AwaitingAnswers invitations={awaiting} />
        <section className="card" aria-labelledby="oppna-tidsforslag">
          <h2 id="oppna-tidsforslag">Öppna tidsförslag</h2>
          {polls.length ? (
            <ul className="list-plain">
              {polls.map((poll) => (
                <li key={poll.id}>
                  <Link to={`/tidsforslag/${poll.id}`}>{poll.title}</Link>
                  <br />
                  <span className="muted">
                    {poll.networkName} · svara senast {poll.lastAnswerDay}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Inga tidsförslag väntar på ditt svar.</p>
          )}
        </section>
        <section className="card" aria-labelledby="mina-atgarder">
          <h2 id="mina-atgarder">Mina åtgärder</h2>
          {actions.length ? (
            <ul className="list-plain">
              {actions.map((action) => (
                <li key={action.id}>
                  <Link to={`/atgarder/${action.id}`}>{action.title}</Link>
                  {action.overdue ? (
                    <>
                      {" "}
                      <span className="badge badge--error">Försenad</span>
                    </>
                  ) : null}
                  <br />
                  <span className="muted">
                    {action.deadline ? `klart senast ${action.deadline}` : "inget slutdatum"} · {action.statusLabel} · {action.listTitle}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Du är inte ansvarig för några åtgärder.</p>
          )}
          <p>
            <Link to="/atgardslistor">Alla åtgärdslistor</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="mina-anmalningar">
          <h2 id="mina-anmalningar">Mina anmälningar</h2>
          {registrations.length ? (
            <ul className="list-plain">
              {registrations.map((registration) => (
                <li key={registration.id}>
                  <Link to={`/kunskapsdagar/${registration.id}`}>{registration.title}</Link>
                  <br />
                  <span className="muted">
                    {registration.when} · {registration.waiting ? "på väntelistan" : registration.offered ? "en plats väntar på din bekräftelse (se mejlet)" : "du har en plats"}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Du är inte anmäld till någon kunskapsdag.</p>
          )}
        </section>
        <section className="card" aria-labelledby="mina-natverk">
          <h2 id="mina-natverk">Mina nätverk</h2>
          {networks.length ? (
            <ul className="list-plain">
              {networks.map((network) => (
                <li key={network.id}>
                  <Link to={`/natverk/${network.id}`}>{network.name}</Link>
                  <br />
                  <span className="muted">{network.ownerName}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Inga nätverk är delade med dig ännu.</p>
          )}
        </section>
      </div>
    </div>
  );
}
