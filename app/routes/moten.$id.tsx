import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { describeReminders } from "../domain/meetings/reminder-choices";
import { liveStatusText, useLiveRoom } from "../components/live";
import { ConfirmButton } from "../components/ui/confirm-button";
import { TableRegion } from "../components/ui/table-region";
import { FormError, FormSuccess } from "../components/ui/field";
import { usePostedResult } from "../components/ui/posted-result";
import { badRequest, requireId } from "../domain/http-errors";
import { answerLabels, meetingRoom, meetingStatusLabels } from "../domain/meetings/labels";
import { answerSchema, cancelMeeting, getMeeting, meetingWhen, respondToMeeting } from "../domain/meetings/meetings.server";
import { markMeetingHeld, removeInviteeSchema, removeMeetingInvitee } from "../domain/meetings/meeting-invitees.server";
import { cancelOccurrence, partOfSeries, seriesOverview } from "../domain/meetings/series.server";
import { SeriesSection } from "../components/meetings/series-section";
import { NotesLinks } from "../components/notes/notes-links";
import { formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues, sentFields } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.title ?? "Möte"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const found = await getMeeting(db(), user, requireId(params.id));
  const { meeting } = found;
  return {
    meeting: {
      id: meeting.id,
      networkId: meeting.networkId,
      title: meeting.title,
      description: meeting.description,
      when: meetingWhen(meeting.startsAt, meeting.endsAt),
      startsAtIso: meeting.startsAt.toISOString(),
      place: meeting.place,
      videoUrl: meeting.videoUrl,
      status: meeting.status,
      past: meeting.endsAt.getTime() < Date.now(),
      reminders: describeReminders(meeting.reminderOffsetsMinutes),
    },
    networkName: found.networkName,
    agenda: found.agenda.map(({ id, title, presenter, minutes }) => ({ id, title, presenter, minutes })),
    attendees: found.attendees.map((attendee) => ({
      id: attendee.id,
      name: attendee.name,
      organisation: attendee.organisation,
      response: attendee.response,
      // Comments are shown to those who run the meeting (and in their export), and to the person themself.
      comment: found.can.exportAttendees || attendee.userId === user.userId ? attendee.comment : "",
      isSelf: attendee.userId === user.userId,
    })),
    counts: found.counts,
    series: meeting.seriesId ? await seriesOverview(db(), meeting.seriesId) : null,
    mine: found.mine ? { response: found.mine.response, comment: found.mine.comment, respondedAt: found.mine.respondedAt ? formatDateTime(found.mine.respondedAt) : null } : null,
    can: found.can,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    switch (values.intent) {
      case "respond": {
        const parsed = parseValues(values, answerSchema);
        if (!parsed.ok) throw badRequest("Kontrollera ditt svar.", parsed.fieldErrors);
        await respondToMeeting(db(), user, meetingId, parsed.data);
        // `sent` lets the page drawn without JavaScript tell it at the answer form (usePostedResult).
        return { ok: true, message: `Ditt svar är sparat: ${answerLabels[parsed.data.response]}.`, fieldErrors: {}, sent: { intent: "respond" } };
      }
      case "cancel":
        if (await partOfSeries(db(), meetingId)) {
          const { scope } = await cancelOccurrence(db(), user, meetingId, values.scope);
          return { ok: true, message: scope === "this" ? "Mötet är inställt. De inbjudna får ett mejl om det." : "Mötet och de följande mötena i serien är inställda. De inbjudna får ett mejl om det.", fieldErrors: {} };
        }
        await cancelMeeting(db(), user, meetingId);
        return { ok: true, message: "Mötet är inställt. De inbjudna får ett mejl om det.", fieldErrors: {} };
      case "markHeld":
        await markMeetingHeld(db(), user, meetingId);
        return { ok: true, message: "Mötet är markerat som genomfört.", fieldErrors: {} };
      case "removeInvitee": {
        const parsed = parseValues(values, removeInviteeSchema);
        if (!parsed.ok) throw badRequest(parsed.fieldErrors.inviteeId ?? "Ogiltig inbjuden.");
        const { name } = await removeMeetingInvitee(db(), user, meetingId, parsed.data.inviteeId);
        return { ok: true, message: `${name} är borttagen från mötet och får ett mejl om det.`, fieldErrors: {} };
      }
      default:
        throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    }
  }, { sent: sentFields(values) });
}

export default function MeetingPage() {
  const { meeting, networkName, agenda, attendees, counts, mine, can, series } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const live = useLiveRoom(meetingRoom(meeting.id), {
    "meeting:attendees": () => revalidator.revalidate(),
    "meeting:changed": () => revalidator.revalidate(),
  });
  const cancelled = meeting.status === "installt";
  return (
    <div className="stack">
      <p>
        <Link to={`/natverk/${meeting.networkId}`}>← {networkName}</Link>
      </p>
      <h1>
        <span className={cancelled ? "meeting-cancelled" : undefined}>{meeting.title}</span>
        {cancelled ? <span className="badge badge--error"> Inställt</span> : null}
      </h1>
      {cancelled ? (
        <div className="alert alert--warn" role="status">
          Mötet är inställt.
        </div>
      ) : null}
      <dl className="details">
        <dt>Tid</dt>
        <dd>
          <time dateTime={meeting.startsAtIso}>{meeting.when}</time>
        </dd>
        {meeting.place ? (
          <>
            <dt>Plats</dt>
            <dd>{meeting.place}</dd>
          </>
        ) : null}
        {meeting.videoUrl ? (
          <>
            <dt>Videolänk</dt>
            <dd>
              <a href={meeting.videoUrl} rel="noopener noreferrer">
                {meeting.videoUrl}
              </a>
            </dd>
          </>
        ) : null}
        <dt>Nätverk</dt>
        <dd>
          <Link to={`/natverk/${meeting.networkId}`}>{networkName}</Link>
        </dd>
        <dt>Status</dt>
        <dd>{meeting.past && meeting.status === "planerat" ? "Har ägt rum (inte markerat som genomfört)" : meetingStatusLabels[meeting.status]}</dd>
        {!cancelled && !meeting.past ? (
          <>
            <dt>Påminnelser</dt>
            <dd>{meeting.reminders}</dd>
          </>
        ) : null}
      </dl>
      {meeting.description ? <p className="pre-line">{meeting.description}</p> : null}
      <p>
        <Link to={`/moten/${meeting.id}/anteckningar`}>Anteckningar från mötet</Link>
      </p>
      {can.edit || can.cancel || can.exportAttendees || can.markHeld ? (
        <div className="actions">
          {can.edit ? (
            <Link className="button button--secondary" to={`/moten/${meeting.id}/redigera`}>
              Ändra mötet
            </Link>
          ) : null}
          {can.exportAttendees ? (
            <a className="button button--secondary" href={`/moten/${meeting.id}/deltagare.csv`} download>
              Ladda ner deltagarlista (CSV)
            </a>
          ) : null}
          {can.markHeld ? (
            <ConfirmButton
              label="Markera som genomfört"
              title="Markera mötet som genomfört?"
              description={`${meeting.title} visas som genomfört och tar inte längre emot svar eller ändringar. Inga mejl skickas.`}
              confirmLabel="Ja, mötet är genomfört"
              fields={{ intent: "markHeld" }}
              danger={false}
            />
          ) : null}
          {can.cancel && series ? (
            <>
              <ConfirmButton
                label="Ställ in bara detta möte"
                title="Ställa in bara detta möte?"
                description={`Alla inbjudna får ett mejl om att mötet ${meeting.when} är inställt, och just det mötet tas bort ur deras kalendrar. De andra mötena i serien finns kvar. Det går inte att ångra.`}
                confirmLabel="Ja, ställ in detta möte"
                fields={{ intent: "cancel", scope: "this" }}
              />
              <ConfirmButton
                label="Ställ in detta och följande"
                title="Ställa in detta och alla följande möten?"
                description={`Serien avslutas före ${meeting.when}: detta och alla senare möten i serien ställs in och tas bort ur de inbjudnas kalendrar. Tidigare möten finns kvar. Det går inte att ångra.`}
                confirmLabel="Ja, ställ in detta och följande"
                fields={{ intent: "cancel", scope: "following" }}
              />
            </>
          ) : can.cancel ? (
            <ConfirmButton
              label="Ställ in mötet"
              title="Ställa in mötet?"
              description={`Alla inbjudna får ett mejl om att ${meeting.title} är inställt, och mötet tas bort ur deras kalendrar. Det går inte att ångra.`}
              confirmLabel="Ja, ställ in mötet"
              fields={{ intent: "cancel" }}
            />
          ) : null}
        </div>
      ) : null}

      {series ? <SeriesSection series={series} currentId={meeting.id} /> : null}

      <section aria-labelledby="dagordning">
        <h2 id="dagordning">Dagordning</h2>
        {agenda.length ? (
          <ol>
            {agenda.map((item) => (
              <li key={item.id}>
                {item.title}
                {item.presenter ? ` – ${item.presenter}` : ""}
                {item.minutes ? <span className="muted"> ({item.minutes} min)</span> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">Ingen dagordning ännu.</p>
        )}
      </section>

      <section aria-labelledby="minnesanteckningar">
        <h2 id="minnesanteckningar">Minnesanteckningar</h2>
        <NotesLinks meetingId={meeting.id} />
      </section>

      {mine ? <MyAnswer mine={mine} canRespond={can.respond} /> : null}

      <section aria-labelledby="deltagare">
        <h2 id="deltagare">Deltagare ({attendees.length})</h2>
        <p className="muted" role="status" aria-live="polite">
          {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
        </p>
        <h3>Svar per organisation</h3>
        <TableRegion label="Svar per organisation">
          <table className="responsive-table responsive-table--compact">
            <caption className="visually-hidden">Antal svar per organisation</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Ja</th>
                <th scope="col">Nej</th>
                <th scope="col">Kanske</th>
                <th scope="col">Inte svarat</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((count) => (
                <tr key={count.organisation}>
                  <th scope="row">{count.organisation}</th>
                  <td data-label="Ja">{count.ja}</td>
                  <td data-label="Nej">{count.nej}</td>
                  <td data-label="Kanske">{count.kanske}</td>
                  <td data-label="Inte svarat">{count.obesvarat}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        <h3>Inbjudna</h3>
        <TableRegion label="Inbjudna">
          <table className="responsive-table">
            <caption className="visually-hidden">Inbjudna och deras svar</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Organisation</th>
                <th scope="col">Svar</th>
                <th scope="col">Kommentar</th>
                {can.removeInvitee ? <th scope="col">Åtgärd</th> : null}
              </tr>
            </thead>
            <tbody>
              {attendees.map((attendee) => (
                <tr key={attendee.id}>
                  <th scope="row">
                    {attendee.name}
                    {attendee.isSelf ? " (du)" : ""}
                  </th>
                  <td data-label="Organisation">{attendee.organisation}</td>
                  <td data-label="Svar">{attendee.response ? answerLabels[attendee.response] : <span className="muted">Inte svarat</span>}</td>
                  {/* An empty comment is left out of the stacked row rather than shown as a bare label. */}
                  <td data-label={attendee.comment ? "Kommentar" : undefined}>{attendee.comment}</td>
                  {can.removeInvitee ? (
                    <td>
                      <ConfirmButton
                        label={`Ta bort ${attendee.name}`}
                        title={`Ta bort ${attendee.name} från mötet?`}
                        description={`${attendee.name} får ett mejl om att hen inte längre är inbjuden, mötet tas bort ur hens kalender och svarslänkarna slutar fungera.`}
                        confirmLabel="Ja, ta bort"
                        fields={{ intent: "removeInvitee", inviteeId: attendee.id }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </div>
  );
}

type AnswerResult = { ok: boolean; message: string; fieldErrors?: Record<string, string>; sent?: Record<string, string> };

function MyAnswer({ mine, canRespond }: { mine: { response: "ja" | "nej" | "kanske" | null; comment: string; respondedAt: string | null }; canRespond: boolean }) {
  const fetcher = useFetcher<AnswerResult>();
  const posted = usePostedResult<AnswerResult>("respond");
  const result = fetcher.state === "idle" ? (fetcher.data ?? posted) : undefined;
  const kept = result && !result.ok ? result.sent : undefined;
  const busy = fetcher.state !== "idle";
  return (
    <section aria-labelledby="mitt-svar" className="card narrow-wide">
      <h2 id="mitt-svar">Ditt svar</h2>
      <p>
        {mine.response ? `Du har svarat ${answerLabels[mine.response]}${mine.respondedAt ? ` (${mine.respondedAt})` : ""}.` : "Du har inte svarat ännu."}
      </p>
      {canRespond ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="respond" />
          {result && !result.ok ? <FormError message={result.message} /> : null}
          {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
          <fieldset aria-describedby={result?.fieldErrors?.response ? "svar-fel" : undefined}>
            <legend>Kommer du?</legend>
            {(["ja", "nej", "kanske"] as const).map((answer) => (
              <label key={answer} className="checkbox">
                <input type="radio" name="response" value={answer} defaultChecked={(kept?.response ?? mine.response) === answer} required />
                {answerLabels[answer]}
              </label>
            ))}
            {result?.fieldErrors?.response ? (
              <p className="field-error" id="svar-fel">
                {result.fieldErrors.response}
              </p>
            ) : null}
          </fieldset>
          <div className="field">
            <label htmlFor="svar-kommentar">
              Kommentar
              <span className="hint">Valfri, högst 500 tecken. Visas för mötets samordnare.</span>
            </label>
            <textarea
              id="svar-kommentar"
              name="comment"
              rows={2}
              maxLength={500}
              defaultValue={kept?.comment ?? mine.comment}
              aria-invalid={result?.fieldErrors?.comment ? true : undefined}
              aria-describedby={result?.fieldErrors?.comment ? "svar-kommentar-error" : undefined}
            />
            {result?.fieldErrors?.comment ? (
              <p className="field-error" id="svar-kommentar-error">
                {result.fieldErrors.comment}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Sparar…" : "Spara svar"}
          </button>
        </fetcher.Form>
      ) : null}
    </section>
  );
}
