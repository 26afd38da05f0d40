import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { RichDescriptionView } from "../components/kunskapsdagar/rich-description-view";
import { liveStatusText, useLiveRoom } from "../components/live";
import { ConfirmButton } from "../components/ui/confirm-button";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId } from "../domain/http-errors";
import { descriptionDoc } from "../domain/kunskapsdagar/rich-description";
import { changeKunskapsdagStatus, getOrganiserView, statusChangeSchema } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { kunskapsdagStatusLabels, REGISTRATION_EVENT, registrationsRoom, registrationStatusLabels, SEATS_EVENT, seatsText } from "../domain/kunskapsdagar/labels";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Hantera ${data?.day.title ?? "kunskapsdag"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { day, registrations, seats, can } = await getOrganiserView(db(), user, requireId(params.id));
  return {
    day: {
      id: day.id,
      title: day.title,
      description: descriptionDoc(day),
      when: meetingWhen(day.startsAt, day.endsAt),
      status: day.status,
      started: day.startsAt.getTime() <= Date.now(),
      opens: formatDateTime(day.registrationOpensAt),
      closes: formatDateTime(day.registrationClosesAt),
    },
    seats,
    registrations: registrations.map((row) => ({ ...row, createdAt: formatDateTime(row.createdAt) })),
    can,
  };
}

const statusMessages = {
  publicerad: "Kunskapsdagen är publicerad och tar emot anmälningar när anmälan är öppen.",
  stangd: "Anmälan är stängd.",
  genomford: "Kunskapsdagen är markerad som genomförd.",
  installd: "Kunskapsdagen är inställd. Alla anmälda får ett mejl om det.",
} as const;

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    if (values.intent !== "status") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, statusChangeSchema);
    if (!parsed.ok) throw badRequest(parsed.fieldErrors.to ?? "Okänd status.");
    await changeKunskapsdagStatus(db(), user, id, parsed.data.to);
    return { ok: true, message: statusMessages[parsed.data.to] };
  });
}

export default function ManageKunskapsdagPage() {
  const { day, seats, registrations, can } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // The organisers' own room, not the public one: it admits them to a draft as the loader does.
  const live = useLiveRoom(registrationsRoom(day.id), { [SEATS_EVENT]: () => revalidator.revalidate(), [REGISTRATION_EVENT]: () => revalidator.revalidate() });
  const confirmed = registrations.filter((row) => row.status === "bekraftad");
  const waitlisted = registrations.filter((row) => row.status === "vantelista");
  const offered = registrations.filter((row) => row.status === "erbjuden");
  const cancelled = registrations.filter((row) => row.status === "avbokad");
  return (
    <div className="stack">
      <p>
        <Link to="/kunskapsdagar">← Kunskapsdagar</Link>
      </p>
      <h1>{day.title}</h1>
      <dl className="details">
        <dt>Tid</dt>
        <dd>{day.when}</dd>
        <dt>Status</dt>
        <dd>{kunskapsdagStatusLabels[day.status]}</dd>
        <dt>Anmälan</dt>
        <dd>
          {day.opens} – {day.closes}
        </dd>
        <dt>Platser</dt>
        <dd>
          {seats.confirmed} av {seats.capacity} bekräftade · {seatsText(seats)}
        </dd>
      </dl>
      {day.description.content.length ? (
        <details className="rich-description-details">
          <summary>Beskrivning som den visas för deltagarna</summary>
          <RichDescriptionView doc={day.description} />
        </details>
      ) : null}
      <div className="actions">
        <Link className="button button--secondary" to={`/kunskapsdagar/${day.id}`}>
          Visa den publika sidan
        </Link>
        {day.status !== "utkast" ? (
          <>
            <Link className="button button--secondary" to={`/kunskapsdagar/${day.id}/incheckning`}>
              Incheckning
            </Link>
            <Link className="button button--secondary" to={`/kunskapsdagar/${day.id}/oversikt`}>
              Översikt och export
            </Link>
          </>
        ) : null}
        {can.edit && day.status !== "genomford" && day.status !== "installd" ? (
          <Link className="button button--secondary" to={`/kunskapsdagar/${day.id}/redigera`}>
            Ändra kunskapsdagen
          </Link>
        ) : null}
        {can.edit ? (
          <Link className="button button--secondary" to={`/kunskapsdagar/ny?utifran=${day.id}`}>
            Ny kunskapsdag utifrån denna
          </Link>
        ) : null}
        {can.edit && (day.status === "utkast" || day.status === "stangd") ? (
          <ConfirmButton
            label={day.status === "utkast" ? "Publicera" : "Öppna anmälan igen"}
            title={day.status === "utkast" ? "Publicera kunskapsdagen?" : "Öppna anmälan igen?"}
            description={`${day.title} syns för alla på sidan Kunskapsdagar och tar emot anmälningar mellan ${day.opens} och ${day.closes}.`}
            confirmLabel="Ja, publicera"
            fields={{ intent: "status", to: "publicerad" }}
            danger={false}
          />
        ) : null}
        {can.edit && day.status === "publicerad" ? (
          <ConfirmButton
            label="Stäng anmälan"
            title="Stänga anmälan?"
            description="Inga nya anmälningar tas emot. De som redan är anmälda behåller sina platser, och väntelistan flyttas fortfarande fram vid avbokningar."
            confirmLabel="Ja, stäng anmälan"
            fields={{ intent: "status", to: "stangd" }}
          />
        ) : null}
        {can.edit && day.started && (day.status === "publicerad" || day.status === "stangd") ? (
          <ConfirmButton
            label="Markera som genomförd"
            title="Markera kunskapsdagen som genomförd?"
            description="Kunskapsdagen tar därefter inte emot anmälningar, ändringar eller avbokningar."
            confirmLabel="Ja, den är genomförd"
            fields={{ intent: "status", to: "genomford" }}
            danger={false}
          />
        ) : null}
        {can.edit && !day.started && (day.status === "publicerad" || day.status === "stangd") ? (
          <ConfirmButton
            label="Ställ in kunskapsdagen"
            title="Ställa in kunskapsdagen?"
            description="Alla anmälda, även de på väntelistan, får ett mejl om att kunskapsdagen är inställd och en kalenderfil som tar bort den ur kalendern. Det går inte att ångra."
            confirmLabel="Ja, ställ in"
            fields={{ intent: "status", to: "installd" }}
          />
        ) : null}
        {day.status === "genomford" || day.started ? (
          <Link className="button button--secondary" to={`/kunskapsdagar/${day.id}/utvardering`}>
            Utvärdering
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="anmalda">
        <h2 id="anmalda">Anmälda</h2>
        <p className="muted" role="status" aria-live="polite">
          {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
        </p>
        <RegistrationTable caption={`Bekräftade (${confirmed.length})`} rows={confirmed} />
        {offered.length ? <RegistrationTable caption={`Erbjuden plats, väntar på bekräftelse (${offered.length})`} rows={offered} /> : null}
        <RegistrationTable caption={`Väntelista (${waitlisted.length})`} rows={waitlisted} numbered />
        {cancelled.length ? <RegistrationTable caption={`Avbokade (${cancelled.length})`} rows={cancelled} /> : null}
      </section>
    </div>
  );
}

type Row = { id: string; name: string; email: string; organisationName: string; status: keyof typeof registrationStatusLabels; createdAt: string };

function RegistrationTable({ caption, rows, numbered = false }: { caption: string; rows: Row[]; numbered?: boolean }) {
  return (
    <>
      <h3>{caption}</h3>
      {rows.length === 0 ? (
        <p className="empty">Ingen ännu.</p>
      ) : (
        <TableRegion label={caption}>
          <table>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {numbered ? <th scope="col">Plats</th> : null}
                <th scope="col">Namn</th>
                <th scope="col">Organisation</th>
                <th scope="col">E-post</th>
                <th scope="col">Anmäld</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={row.id}>
                  {numbered ? <td>{index + 1}</td> : null}
                  <td>{row.name}</td>
                  <td>{row.organisationName}</td>
                  <td>{row.email}</td>
                  <td>{row.createdAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </>
  );
}
