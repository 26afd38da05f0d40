import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Button, Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import { requireUser } from "../auth/guards.server";
import { TextArea } from "../components/agreements/form-fields";
import { Field, FormError } from "../components/ui/field";
import { useHydrated } from "../components/ui/hydrated";
import { usePostedResult } from "../components/ui/posted-result";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId } from "../domain/http-errors";
import { getDashboard, messageRegistered, messageSchema } from "../domain/kunskapsdagar/dashboard.server";
import { moveRegistration, moveSchema } from "../domain/kunskapsdagar/moves.server";
import { can } from "../domain/policy";
import { loadKunskapsdagResource } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { asFormResult, parseValues, readFormValues, sentFields } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Översikt ${data?.day.title ?? "kunskapsdag"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const dashboard = await getDashboard(db(), user, requireId(params.id));
  const { day } = dashboard;
  const loaded = await loadKunskapsdagResource(db(), day.id);
  const movable = !!loaded && can(user, "kunskapsdag.moveRegistration", loaded.resource) && day.startsAt.getTime() > Date.now() && day.status !== "installd" && day.status !== "genomford";
  return {
    day: { id: day.id, title: day.title, when: meetingWhen(day.startsAt, day.endsAt) },
    ended: dashboard.ended,
    movable,
    // A seat offered to someone on the waitlist is held for them, so it is taken as the server
    // counts it when it decides whether a move overbooks the day.
    full: dashboard.totals.confirmed + dashboard.totals.offered >= dashboard.totals.capacity,
    registrations: dashboard.registrations,
    totals: dashboard.totals,
    perOrganisation: dashboard.perOrganisation,
    perDay: dashboard.perDay,
  };
}

/** `sent` (the posted fields) lets a page rendered without JavaScript tell which form was posted and keep what was typed. */
type Result = ({ ok: true; message: string } | { ok: false; message: string; fieldErrors: Record<string, string> }) & { sent?: Record<string, string> };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const values = await readFormValues(request);
  const sent = sentFields(values);
  return asFormResult(async (): Promise<Result> => {
    if (values.intent === "move") {
      const parsed = parseValues(values, moveSchema);
      if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera flytten.", parsed.fieldErrors);
      const moved = await moveRegistration(db(), user, id, parsed.data);
      const promoted = moved.promoted.length ? ` Den lediga platsen gick till nästa på väntelistan.` : "";
      return { ok: true, message: `${moved.name} flyttades från ${moved.from} till ${moved.to}. Ett mejl skickas till personen.${promoted}`, sent: { intent: "move", registrationId: parsed.data.registrationId } };
    }
    if (values.intent !== "message") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, messageSchema);
    if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera meddelandet.", parsed.fieldErrors);
    const { count } = await messageRegistered(db(), user, id, parsed.data);
    return { ok: true, message: `Meddelandet skickas till ${count} ${count === 1 ? "anmäld" : "anmälda"}.`, sent: { intent: "message" } };
  }, { sent });
}

export default function DashboardPage() {
  const { day, ended, totals, perOrganisation, perDay, registrations, movable, full } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to={`/kunskapsdagar/${day.id}/hantera`}>← Hantera kunskapsdagen</Link>
      </p>
      <h1>Översikt: {day.title}</h1>
      <p className="muted">{day.when}</p>
      <dl className="details">
        <dt>Platser</dt>
        <dd>{totals.capacity}</dd>
        <dt>Bekräftade</dt>
        <dd>{totals.confirmed}</dd>
        {totals.offered ? (
          <>
            <dt>Erbjudna, väntar på bekräftelse</dt>
            <dd>{totals.offered}</dd>
          </>
        ) : null}
        <dt>Väntelista</dt>
        <dd>{totals.waitlisted}</dd>
        <dt>Avbokade</dt>
        <dd>{totals.cancelled}</dd>
        <dt>Incheckade</dt>
        <dd>{totals.present}</dd>
        <dt>Uteblev</dt>
        <dd>{totals.noShows === null ? "Visas när kunskapsdagen är över" : totals.noShows}</dd>
      </dl>
      <div className="actions">
        <Link className="button" to={`/kunskapsdagar/${day.id}/incheckning`}>
          Incheckning
        </Link>
        <a className="button button--secondary" href={`/kunskapsdagar/${day.id}/anmalda.csv`} download>
          Exportera CSV
        </a>
        <a className="button button--secondary" href={`/kunskapsdagar/${day.id}/anmalda.xlsx`} download>
          Exportera Excel
        </a>
      </div>

      <section aria-labelledby="per-organisation">
        <h2 id="per-organisation">Anmälda per organisation</h2>
        {perOrganisation.length === 0 ? (
          <p className="empty">Ingen har anmält sig ännu.</p>
        ) : (
          <>
            <BarChart labelledBy="per-organisation" rows={perOrganisation.map((row) => ({ label: row.name, count: row.count }))} />
            <CountTable caption="Anmälda per organisation (avbokade räknas inte)" heading="Organisation" rows={perOrganisation.map((row) => ({ label: row.name, count: row.count }))} />
          </>
        )}
      </section>

      <section aria-labelledby="over-tid">
        <h2 id="over-tid">Anmälningar över tid</h2>
        {perDay.length === 0 ? (
          <p className="empty">Ingen har anmält sig ännu.</p>
        ) : (
          <>
            <BarChart labelledBy="over-tid" rows={perDay.map((row) => ({ label: row.date, count: row.count }))} />
            <CountTable caption="Anmälningar per dag (alla, även senare avbokade)" heading="Datum" rows={perDay.map((row) => ({ label: row.date, count: row.count }))} />
          </>
        )}
      </section>

      <section aria-labelledby="anmalda">
        <h2 id="anmalda">Anmälda och väntelista</h2>
        {registrations.length === 0 ? (
          <p className="empty">Ingen är anmäld ännu.</p>
        ) : (
          <ul className="list-plain registration-list">
            {registrations.map((registration) => (
              <RegistrationRow key={registration.id} registration={registration} movable={movable} full={full} offered={totals.offered} waitlistLength={totals.waitlisted} />
            ))}
          </ul>
        )}
      </section>

      {ended ? null : <MessageForm />}
    </div>
  );
}

type RegistrationItem = ReturnType<typeof useLoaderData<typeof loader>>["registrations"][number];

/** One registration with its history of moves and, before the day, a form to move it with a reason. */
function RegistrationRow({ registration, movable, full, offered, waitlistLength }: { registration: RegistrationItem; movable: boolean; full: boolean; offered: number; waitlistLength: number }) {
  const fetcher = useFetcher<Result>();
  const hydrated = useHydrated();
  // Without JavaScript the page itself is the answer to the post, told at the row it was about.
  const postedHere = usePostedResult<Result>("move", { registrationId: registration.id });
  const result = fetcher.state === "idle" ? (fetcher.data ?? postedHere) : undefined;
  const kept = postedHere && !postedHere.ok ? postedHere.sent : undefined;
  const seated = registration.status === "bekraftad";
  const [to, setTo] = useState<"plats" | "vantelista">(kept?.to === "plats" || kept?.to === "vantelista" ? kept.to : seated ? "vantelista" : "plats");
  const errors = result && !result.ok ? result.fieldErrors : {};
  const busy = fetcher.state !== "idle";
  const prefix = `flytt-${registration.id}`;
  const lastPlace = seated ? waitlistLength + 1 : waitlistLength;
  return (
    <li className="card">
      <h3>
        {registration.name} <span className="muted">· {registration.organisationName}</span>
      </h3>
      <p>{seated ? "Bekräftad plats" : registration.status === "erbjuden" ? "Erbjuden plats, väntar på bekräftelse" : `Väntelistan, plats ${registration.waitlistPosition}`}</p>
      {registration.history.length ? (
        <details>
          <summary>Historik ({registration.history.length})</summary>
          <ol>
            {registration.history.map((move) => (
              <li key={move.id}>
                {`${move.movedAt}: ${move.movedByName} flyttade från ${move.from} till ${move.to}.${move.reason ? ` Anledning: ${move.reason}` : ""}`}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {movable ? (
        <details open={postedHere ? true : undefined}>
          <summary>Flytta {registration.name}</summary>
          <fetcher.Form method="post" className="stack">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="registrationId" value={registration.id} />
            <div className="field">
              <label htmlFor={`${prefix}-to`}>Flytta till</label>
              <select id={`${prefix}-to`} name="to" value={to} onChange={(event) => setTo(event.target.value as "plats" | "vantelista")}>
                {seated ? null : <option value="plats">En plats på kunskapsdagen</option>}
                <option value="vantelista">{seated ? "Väntelistan" : "En annan plats på väntelistan"}</option>
              </select>
            </div>
            {/* Without JavaScript the form cannot follow the choice: every field it may need is shown. */}
            {to === "vantelista" || !hydrated ? (
              <Field
                label="Plats på väntelistan"
                name="position"
                id={`${prefix}-position`}
                hint={`1 är först i tur. Lämna tomt för sist (${lastPlace}).`}
                error={errors.position}
                type="number"
                inputMode="numeric"
                min={1}
                max={Math.max(1, lastPlace)}
                defaultValue={kept?.position}
              />
            ) : null}
            {(to === "plats" || !hydrated) && (full || errors.overbook) && registration.status !== "erbjuden" ? (
              <div className="alert alert--warn">
                <p>Kunskapsdagen är fullbokad. Om {registration.name} får en plats blir den överbokad med en plats.</p>
                {offered ? (
                  <p>
                    {offered === 1
                      ? "En plats är erbjuden till någon på väntelistan och räknas som tagen tills den bekräftas eller går vidare. Erbjudandet finns kvar om du överbokar."
                      : `${offered} platser är erbjudna till personer på väntelistan och räknas som tagna tills de bekräftas eller går vidare. Erbjudandena finns kvar om du överbokar.`}
                  </p>
                ) : null}
                <label className="checkbox">
                  <input name="overbook" type="checkbox" aria-invalid={errors.overbook ? true : undefined} />
                  Jag vill överboka kunskapsdagen
                </label>
              </div>
            ) : null}
            <TextArea
              label="Anledning"
              name="reason"
              id={`${prefix}-reason`}
              hint="Sparas i loggen och i anmälans historik. Skriv inte känsliga uppgifter om personen."
              error={errors.reason}
              rows={2}
              maxLength={500}
              required
              defaultValue={kept?.reason}
            />
            <div aria-live="polite">
              {result?.ok ? <div className="alert alert--ok">{result.message}</div> : null}
              {result && !result.ok ? <FormError message={result.message} /> : null}
            </div>
            <div className="actions">
              <button type="submit" className="button" disabled={busy}>
                {busy ? "Flyttar…" : "Flytta"}
              </button>
            </div>
          </fetcher.Form>
        </details>
      ) : null}
    </li>
  );
}

/** A horizontal bar chart; the table beside it carries the same numbers for screen readers. */
function BarChart({ rows, labelledBy }: { rows: { label: string; count: number }[]; labelledBy: string }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  const barHeight = 24;
  const gap = 8;
  const labelWidth = 200;
  const width = 640;
  const height = rows.length * (barHeight + gap);
  return (
    <svg className="bar-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={labelledBy} focusable="false">
      {rows.map((row, index) => {
        const y = index * (barHeight + gap);
        const barWidth = Math.max(2, ((width - labelWidth - 50) * row.count) / max);
        return (
          <g key={row.label} aria-hidden="true">
            <text x={labelWidth - 8} y={y + barHeight * 0.7} textAnchor="end" fontSize="14" fill="#1a1a1a">
              {row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label}
            </text>
            <rect x={labelWidth} y={y} width={barWidth} height={barHeight} fill="#005fa3" />
            <text x={labelWidth + barWidth + 6} y={y + barHeight * 0.7} fontSize="14" fill="#1a1a1a">
              {row.count}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function CountTable({ caption, heading, rows }: { caption: string; heading: string; rows: { label: string; count: number }[] }) {
  return (
    <TableRegion label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Antal</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td>{row.label}</td>
              <td>{row.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/**
 * One mail to everyone registered. The form posts `subject` and `text`; with JavaScript the send is
 * confirmed in a dialog, without it by a required tick box beside the button. A refusal marks the
 * field and keeps what was written.
 */
function MessageForm() {
  const fetcher = useFetcher<Result>();
  const hydrated = useHydrated();
  // Without JavaScript the page itself is the answer to the post.
  const postedHere = usePostedResult<Result>("message");
  const result = fetcher.state === "idle" ? (fetcher.data ?? postedHere) : undefined;
  const kept = postedHere && !postedHere.ok ? postedHere.sent : undefined;
  const [subject, setSubject] = useState(kept?.subject ?? "");
  const [text, setText] = useState(kept?.text ?? "");
  const [asking, setAsking] = useState(false);
  const errors = result && !result.ok ? result.fieldErrors : {};
  const busy = fetcher.state !== "idle";
  const send = () => {
    setAsking(false);
    fetcher.submit({ intent: "message", subject, text }, { method: "post" });
  };
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok) return;
    setSubject("");
    setText("");
  }, [fetcher.state, fetcher.data]);
  return (
    <section aria-labelledby="meddelande" className="card narrow-wide">
      <h2 id="meddelande">Skicka ett meddelande till alla anmälda</h2>
      <p className="muted">Alla med bekräftad plats eller på väntelistan får ett eget mejl. Avbokade får det inte.</p>
      <div aria-live="polite">{result?.ok ? <div className="alert alert--ok">{result.message}</div> : null}</div>
      {result && !result.ok ? <FormError message={result.message} fieldErrors={result.fieldErrors} fieldOrder={["subject", "text"]} /> : null}
      <form
        method="post"
        className="stack"
        noValidate
        onSubmit={(event) => {
          if (!hydrated) return;
          event.preventDefault();
          if (busy) return;
          // Nothing to confirm yet: the server says what is missing.
          if (subject.trim() && text.trim()) setAsking(true);
          else send();
        }}
      >
        <input type="hidden" name="intent" value="message" />
        <Field label="Ämne" name="subject" value={subject} maxLength={150} onChange={(event) => setSubject(event.target.value)} error={errors.subject} />
        <TextArea label="Meddelande" name="text" rows={6} value={text} maxLength={5000} onChange={(event) => setText(event.target.value)} error={errors.text} />
        {hydrated ? null : (
          <label className="checkbox">
            <input type="checkbox" name="confirmed" required />
            Ja, skicka meddelandet som mejl till alla anmälda. Det går inte att ångra.
          </label>
        )}
        <div>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Skickar…" : "Skicka till alla anmälda"}
          </button>
        </div>
      </form>
      <ModalOverlay className="modal-overlay" isDismissable isOpen={asking} onOpenChange={setAsking}>
        <Modal className="modal">
          <Dialog role="alertdialog" className="modal">
            <Heading slot="title">Skicka meddelandet?</Heading>
            <p>”{subject.trim()}” skickas som mejl till alla anmälda. Det går inte att ångra.</p>
            <div className="actions">
              <Button className="button" onPress={send}>
                Ja, skicka
              </Button>
              <Button className="button button--secondary" onPress={() => setAsking(false)}>
                Avbryt
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </section>
  );
}
