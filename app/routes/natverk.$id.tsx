import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { CommandForm, type CommandResult } from "../components/networks/command-form";
import { ConfirmButton } from "../components/ui/confirm-button";
import { usePostedResult } from "../components/ui/posted-result";
import { requireId } from "../domain/http-errors";
import { meetingStatusLabels } from "../domain/meetings/labels";
import { listNetworkMeetings, meetingWhen } from "../domain/meetings/meetings.server";
import { changeNetworkMembers, networkDetails, networkMemberIntents, searchPeopleToAdd, stillSeesNetwork } from "../domain/networks/network-members.server";
import { getNetwork, loadNetworkResource } from "../domain/networks/networks.server";
import { can } from "../domain/policy";
import { asFormResult, parseValues, readFormValues, sentFields } from "../server/forms.server";
import { lastAnswerDay, listOpenPolls } from "../domain/polls/polls.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.network.name ?? "Nätverk"} – Samverkansportalen` }];

const WITHOUT_ORGANISATION = "Utan organisation";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { network, members, sharedWith, resource } = await getNetwork(db(), user, requireId(params.id));
  const meetings = await listNetworkMeetings(db(), user, network.id);
  const { contacts, links } = await networkDetails(db(), user, { ...resource, id: network.id });
  const canManageMembers = can(user, "network.manageMembers", resource);
  const search = canManageMembers ? (new URL(request.url).searchParams.get("sok") ?? "").slice(0, 100) : "";
  const candidates = search ? await searchPeopleToAdd(db(), user, network.id, search) : [];
  const polls = await listOpenPolls(db(), user, network.id);
  const now = Date.now();
  const summary = (meeting: (typeof meetings.upcoming)[number]) => ({
    id: meeting.id,
    title: meeting.title,
    when: meetingWhen(meeting.startsAt, meeting.endsAt),
    place: meeting.place,
    status: meeting.status,
    past: meeting.endsAt.getTime() < now,
  });
  // Members by organisation; someone in several organisations is listed under all of them together.
  const groups = new Map<string, typeof members>();
  for (const member of members) {
    const key = member.organisations || WITHOUT_ORGANISATION;
    groups.set(key, [...(groups.get(key) ?? []), member]);
  }
  return {
    network,
    sharedWith,
    coordinators: members.filter((member) => member.role === "samordnare").map(({ id, name, organisations }) => ({ id, name, organisations })),
    memberCount: members.length,
    memberGroups: [...groups.entries()]
      .sort(([a], [b]) => (a === WITHOUT_ORGANISATION ? 1 : b === WITHOUT_ORGANISATION ? -1 : a.localeCompare(b, "sv")))
      .map(([organisation, people]) => ({
        organisation,
        people: people.map(({ id, name, title, role }) => ({ id, name, title, role, isSelf: id === user.userId })),
      })),
    contacts,
    links,
    search,
    candidates,
    meetings: { upcoming: meetings.upcoming.map(summary), past: meetings.past.map(summary) },
    can: {
      createMeeting: can(user, "meeting.create", resource),
      manageMembers: canManageMembers,
      manageLinks: can(user, "network.manageLinks", resource),
      leave: can(user, "network.leave", resource),
      createPoll: can(user, "poll.create", resource),
    },
    polls: polls.map((poll) => ({ id: poll.id, title: poll.title, lastAnswerDay: lastAnswerDay(poll.closesAt), participants: poll.participants, answered: poll.answered })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const networkId = requireId(params.id);
  const values = await readFormValues(request);
  // `sent` tells a page drawn without JavaScript which of its forms was posted (usePostedResult).
  const sent = sentFields(values);
  const parsed = parseValues(values, networkMemberIntents);
  if (!parsed.ok) {
    const message = Object.values(parsed.fieldErrors)[0] ?? "Kontrollera uppgifterna.";
    return data({ ok: false, message, fieldErrors: parsed.fieldErrors, sent }, { status: 400 });
  }
  return asFormResult(async () => {
    const message = await changeNetworkMembers(db(), user, networkId, parsed.data);
    if (parsed.data.intent === "leave") {
      const network = await loadNetworkResource(db(), networkId);
      if (!network || !stillSeesNetwork(user, network)) return redirect("/natverk");
    }
    return { ok: true, message, fieldErrors: {} as Record<string, string>, sent };
  }, { sent });
}

export default function NetworkPage() {
  const { network, sharedWith, coordinators, memberCount, memberGroups, contacts, links, search, candidates, meetings, polls, can } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.search.includes("sok=");
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
        <section className="card" aria-labelledby="lankar">
          <h2 id="lankar">Länkar och dokument</h2>
          {links.length ? (
            <ul className="list-plain">
              {links.map((link) => (
                <li key={link.id}>
                  <a href={link.url} rel="noopener noreferrer" target="_blank">
                    {link.title}
                    <span className="visually-hidden"> (öppnas i ett nytt fönster)</span>
                  </a>
                  {can.manageLinks ? (
                    <ConfirmButton
                      label={`Ta bort länken ${link.title}`}
                      title="Ta bort länken?"
                      description={`Länken ${link.title} tas bort från nätverkets sida. Dokumentet den pekar på påverkas inte.`}
                      confirmLabel="Ja, ta bort länken"
                      fields={{ intent: "removeLink", linkId: link.id }}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Inga länkar ännu.</p>
          )}
          {can.manageLinks ? (
            <details>
              <summary>Lägg till en länk</summary>
              <CommandForm intent="addLink" submitLabel="Lägg till länken">
                <div className="field">
                  <label htmlFor="lank-rubrik">Rubrik</label>
                  <input id="lank-rubrik" name="title" required minLength={2} maxLength={200} />
                </div>
                <div className="field">
                  <label htmlFor="lank-adress">
                    Webbadress
                    <span className="hint">Till exempel ett delat dokument. Börjar med https://.</span>
                  </label>
                  <input id="lank-adress" name="url" type="url" required maxLength={1000} placeholder="https://" />
                </div>
              </CommandForm>
            </details>
          ) : null}
        </section>
      </div>
      <section aria-labelledby="moten">
        <div className="section-heading">
          <h2 id="moten">Möten</h2>
          {can.createMeeting ? (
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
          {can.createPoll ? (
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
      <section aria-labelledby="natverk-medlemmar" className="stack">
        <h2 id="natverk-medlemmar">Medlemmar ({memberCount})</h2>
        {memberGroups.length ? (
          memberGroups.map((group) => (
            <section key={group.organisation} aria-label={group.organisation}>
              <h3>{group.organisation}</h3>
              <ul className="list-plain">
                {group.people.map((member) => (
                  <li key={member.id}>
                    {member.name}
                    {member.title ? `, ${member.title}` : ""}
                    {member.isSelf ? " (du)" : ""}
                    {member.role === "samordnare" ? <span className="badge badge--ok"> Samordnare</span> : null}
                    {can.manageMembers ? (
                      <div className="actions">
                        <CommandForm
                          intent="setRole"
                          hidden={{ userId: member.id, role: member.role === "samordnare" ? "medlem" : "samordnare" }}
                          submitLabel={member.role === "samordnare" ? `Ta bort ${member.name} som samordnare` : `Gör ${member.name} till samordnare`}
                          className="actions"
                          secondary
                          // Stepping down is the destructive one of the two.
                          tone={member.role === "samordnare" ? "danger" : undefined}
                        />
                        {!member.isSelf ? (
                          <ConfirmButton
                            label={`Ta bort ${member.name}`}
                            title={`Ta bort ${member.name} ur nätverket?`}
                            description={`${member.name} förlorar direkt åtkomsten till det som bara nätverkets medlemmar ser. Inbjudningar till nätverkets kommande möten dras tillbaka, och ${member.name} får en avbokning till sin kalender.`}
                            confirmLabel="Ja, ta bort"
                            fields={{ intent: "removeMember", userId: member.id }}
                          />
                        ) : null}
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))
        ) : (
          <p className="empty">Nätverket har inga medlemmar ännu.</p>
        )}
        {can.manageMembers ? (
          <section className="card" aria-labelledby="lagg-till-medlem">
            <h3 id="lagg-till-medlem">Lägg till medlem</h3>
            <Form method="get" role="search" className="actions" preventScrollReset>
              <label htmlFor="sok-person" className="visually-hidden">
                Sök person på namn eller e-postadress
              </label>
              <input id="sok-person" type="search" name="sok" defaultValue={search} minLength={2} maxLength={100} placeholder="Namn eller e-postadress" />
              <button type="submit" className="button button--secondary">
                {searching ? "Söker…" : "Sök person"}
              </button>
            </Form>
            <Candidates search={search} candidates={candidates} />
          </section>
        ) : null}
      </section>
      <section aria-labelledby="externa-kontakter" className="stack">
        <h2 id="externa-kontakter">Externa kontakter ({contacts.length})</h2>
        <p className="hint">Personer utan konto i portalen. De får nätverkets mötesinbjudningar via e-post.</p>
        {contacts.length ? (
          <ul className="list-plain">
            {contacts.map((contact) => (
              <li key={contact.id}>
                {contact.name}
                {contact.email ? <span className="hint">{contact.email}</span> : null}
                {can.manageMembers ? (
                  <ConfirmButton
                    label={`Ta bort ${contact.name}`}
                    title={`Ta bort ${contact.name} ur nätverket?`}
                    description={`${contact.name} får inte längre nätverkets mötesinbjudningar. Möten hen redan är inbjuden till påverkas inte.`}
                    confirmLabel="Ja, ta bort"
                    fields={{ intent: "removeContact", contactId: contact.id }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">Inga externa kontakter.</p>
        )}
        {can.manageMembers ? (
          <details>
            <summary>Lägg till en extern kontakt</summary>
            <CommandForm intent="addContact" submitLabel="Lägg till kontakten">
              <div className="field">
                <label htmlFor="kontakt-namn">Namn</label>
                <input id="kontakt-namn" name="name" required minLength={2} maxLength={120} autoComplete="off" />
              </div>
              <div className="field">
                <label htmlFor="kontakt-epost">E-postadress</label>
                <input id="kontakt-epost" name="email" type="email" required maxLength={254} autoComplete="off" />
              </div>
            </CommandForm>
          </details>
        ) : null}
      </section>
      {/* Leaving is the page's last and quietest action, not its first. */}
      {can.leave ? (
        <section aria-labelledby="ditt-medlemskap" className="stack">
          <h2 id="ditt-medlemskap">Ditt medlemskap</h2>
          <div className="actions">
            <ConfirmButton
              label="Lämna nätverket"
              title="Lämna nätverket?"
              description={`Du blir inte längre inbjuden till möten i ${network.name}, och dina inbjudningar till nätverkets kommande möten dras tillbaka, med en avbokning till din e-post. En samordnare kan lägga till dig igen.`}
              confirmLabel="Ja, lämna nätverket"
              fields={{ intent: "leave" }}
            />
          </div>
        </section>
      ) : null}
    </div>
  );
}

type MeetingSummary = { id: string; title: string; when: string; place: string; status: keyof typeof meetingStatusLabels; past: boolean };

const statusBadge = { planerat: "badge", installt: "badge badge--error", genomfort: "badge badge--ok" } as const;

function MeetingList({ meetings, empty }: { meetings: MeetingSummary[]; empty: string }) {
  if (meetings.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list-plain">
      {meetings.map((meeting) => (
        <li key={meeting.id}>
          <Link to={`/moten/${meeting.id}`} className={meeting.status === "installt" ? "meeting-cancelled" : undefined}>
            {meeting.title}
          </Link>{" "}
          <span className={statusBadge[meeting.status]}>{meetingStatusLabels[meeting.status]}</span>
          <span className="hint">
            {meeting.when}
            {meeting.place ? ` · ${meeting.place}` : ""}
            {meeting.past && meeting.status === "planerat" ? " · har ägt rum, inte markerat som genomfört" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

type Candidate = { id: string; name: string; organisations: string; email: string | null };

/** Search results with one form state, so that "added" is still told when the person leaves the results. */
function Candidates({ search, candidates }: { search: string; candidates: Candidate[] }) {
  const fetcher = useFetcher<CommandResult>();
  // Without JavaScript the page comes back with the answer (the person added has left the results).
  const posted = usePostedResult<CommandResult>("addMember");
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? (fetcher.data ?? posted) : undefined;
  return (
    <div aria-live="polite">
      {result ? (
        <p className={result.ok ? "muted" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {search ? (
        candidates.length ? (
          <ul className="list-plain">
            {candidates.map((person) => (
              <li key={person.id}>
                {person.name}
                <span className="hint">{[person.organisations || WITHOUT_ORGANISATION, person.email].filter(Boolean).join(" · ")}</span>
                <fetcher.Form method="post" className="actions">
                  <input type="hidden" name="intent" value="addMember" />
                  <input type="hidden" name="userId" value={person.id} />
                  <button type="submit" className="button button--secondary" aria-disabled={busy}>
                    {`Lägg till ${person.name}`}
                  </button>
                </fetcher.Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{search.trim().length < 2 ? "Skriv minst två tecken." : `Ingen som inte redan är medlem matchar "${search}".`}</p>
        )
      ) : null}
    </div>
  );
}
