import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useRevalidator, type FetcherWithComponents } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { liveStatusText, useLiveRoom } from "../components/live";
import { NotesExportLinks, NotesView } from "../components/notes-approval/notes-view";
import { FormOutcome } from "../components/ui/field";
import { usePostedResult } from "../components/ui/posted-result";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId } from "../domain/http-errors";
import { meetingRoom } from "../domain/meetings/labels";
import { meetingWhen } from "../domain/meetings/meetings.server";
import {
  answerApprovalSchema,
  answerNotesApproval,
  getNotesApproval,
  reopenNotes,
  reopenSchema,
  sendForApprovalSchema,
  sendNotesForApproval,
} from "../domain/notes/approval.server";
import { notesContentOf, readNotesState } from "../domain/notes/state.server";
import { notesOfMeeting } from "../domain/notes/versions.server";
import { notesStatusLabels } from "../domain/notes/labels";
import { formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues, sentFields } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Justering: ${data?.meeting.title ?? "Minnesanteckningar"} – Samverkansportalen` }];

type FormResult = { ok: boolean; message: string; fieldErrors: Record<string, string>; sent?: Record<string, string> };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const approval = await getNotesApproval(db(), user, meetingId);
  const { document } = await notesOfMeeting(db(), user, meetingId);
  const { json } = notesContentOf(await readNotesState(db(), document.id));
  return {
    meeting: { id: approval.meeting.id, title: approval.meeting.title, when: meetingWhen(approval.meeting.startsAt, approval.meeting.endsAt) },
    networkName: approval.networkName,
    status: approval.status,
    round: approval.round ? { id: approval.round.id, number: approval.round.number, sentAt: formatDateTime(approval.round.sentAt), approvedAt: approval.round.approvedAt ? formatDateTime(approval.round.approvedAt) : null } : null,
    approvers: approval.approvers.map((approver) => ({
      id: approver.id,
      name: approver.name,
      status: approver.status,
      comment: approver.comment,
      respondedAt: approver.respondedAt ? formatDateTime(approver.respondedAt) : null,
      isSelf: approver.userId === user.userId,
    })),
    candidates: approval.candidates.map((candidate) => ({ userId: candidate.userId!, name: candidate.name })),
    mine: approval.mine,
    history: approval.history
      .filter((round) => round.reopenedAt)
      .map((round) => ({ number: round.round, reopenedAt: formatDateTime(round.reopenedAt!), reopenedBy: round.reopenedBy ?? "Okänd", reason: round.reopenReason ?? "" })),
    content: json,
    can: approval.can,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const values = await readFormValues(request);
  // `sent` tells a page rendered without JavaScript which of its forms was posted (usePostedResult).
  const sent = { intent: typeof values.intent === "string" ? values.intent : "" };
  const done = (message: string): FormResult => ({ ok: true, message, fieldErrors: {}, sent });
  return asFormResult(async (): Promise<FormResult> => {
    switch (values.intent) {
      case "send": {
        const parsed = parseValues(values, sendForApprovalSchema);
        if (!parsed.ok) throw badRequest(parsed.fieldErrors.approverIds ?? "Kontrollera valet av justerare.", parsed.fieldErrors);
        const { names } = await sendNotesForApproval(db(), user, meetingId, parsed.data);
        return done(`Anteckningarna är skickade för justering till ${names.join(", ")}.`);
      }
      case "answer": {
        const parsed = parseValues(values, answerApprovalSchema);
        if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera ditt svar.", parsed.fieldErrors);
        const { approved } = await answerNotesApproval(db(), user, meetingId, parsed.data);
        return done(
          parsed.data.decision === "comment"
            ? "Din kommentar är sparad och syns för mötets samordnare."
            : approved
              ? "Du har justerat anteckningarna. Alla justerare är klara: anteckningarna är nu låsta och skickas till de inbjudna."
              : "Du har justerat anteckningarna. De andra justerarna har inte justerat ännu.",
        );
      }
      case "reopen": {
        const parsed = parseValues(values, reopenSchema);
        if (!parsed.ok) throw badRequest(parsed.fieldErrors.reason ?? "Skriv varför anteckningarna öppnas igen.", parsed.fieldErrors);
        await reopenNotes(db(), user, meetingId, parsed.data);
        return done("Anteckningarna är öppna för redigering igen.");
      }
      default:
        throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    }
  }, { sent: sentFields(values) });
}

const approverStatusLabels = { pending: "Väntar", approved: "Har justerat", commented: "Har kommenterat" } as const;

export default function NotesApprovalPage() {
  const { meeting, networkName, status, round, approvers, candidates, mine, history, content, can } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const live = useLiveRoom(meetingRoom(meeting.id), { "notes:changed": () => revalidator.revalidate() });
  // A form goes away when its step is done (sent, approved, reopened); its confirmation stays here.
  const sent = useStepResult("notes-send", "send");
  const answered = useStepResult("notes-answer", "answer");
  const reopened = useStepResult("notes-reopen", "reopen");
  const done = [sent?.ok && !can.send ? sent.message : null, answered?.ok && !can.answer ? answered.message : null, reopened?.ok && !can.reopen ? reopened.message : null].filter(Boolean);
  return (
    <div className="stack">
      <p>
        <Link to={`/moten/${meeting.id}`}>← {meeting.title}</Link>
      </p>
      <h1>Justering av minnesanteckningarna</h1>
      <dl className="details">
        <dt>Möte</dt>
        <dd>
          {meeting.title}, {meeting.when}
        </dd>
        <dt>Nätverk</dt>
        <dd>{networkName}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${status === "approved" ? "badge--ok" : status === "for_approval" ? "badge--warn" : ""}`}>{notesStatusLabels[status]}</span>
          {status === "approved" && round?.approvedAt ? ` ${round.approvedAt}. Anteckningarna är låsta och kan inte ändras.` : null}
          {status === "for_approval" ? " Anteckningarna är låsta medan de justeras, så att justerarna godkänner det de har läst. Behöver något ändras öppnas de igen nedan." : null}
        </dd>
      </dl>
      <p className="muted" role="status" aria-live="polite">
        {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
      </p>
      <div role="status" aria-live="polite">
        {done.map((message) => (
          <div key={message} className="alert alert--ok">
            {message}
          </div>
        ))}
      </div>
      <div className="actions">
        <Link className="button button--secondary" to={`/moten/${meeting.id}/anteckningar/versioner`}>
          Versioner
        </Link>
      </div>
      {can.export ? <NotesExportLinks meetingId={meeting.id} /> : null}

      {can.send ? <SendForm candidates={candidates} /> : null}
      {can.answer && round && mine ? <AnswerForm roundId={round.id} mine={mine} /> : null}

      {round ? (
        <section aria-labelledby="justerare">
          <h2 id="justerare">Justerare{round.number > 1 ? ` (omgång ${round.number})` : ""}</h2>
          <p>Skickat för justering {round.sentAt}.</p>
          <TableRegion label="Justerare">
            <table>
              <caption className="visually-hidden">Justerare och deras svar</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Svar</th>
                  <th scope="col">Kommentar</th>
                </tr>
              </thead>
              <tbody>
                {approvers.map((approver) => (
                  <tr key={approver.id}>
                    <td>
                      {approver.name}
                      {approver.isSelf ? " (du)" : ""}
                    </td>
                    <td>
                      {approverStatusLabels[approver.status]}
                      {approver.respondedAt ? <span className="muted"> ({approver.respondedAt})</span> : null}
                    </td>
                    <td className="pre-line">{approver.comment}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}

      {can.reopen ? <ReopenForm approved={status === "approved"} /> : null}

      {history.length ? (
        <section aria-labelledby="oppnad-igen">
          <h2 id="oppnad-igen">Öppnad igen</h2>
          <ul>
            {history.map((entry) => (
              <li key={entry.number}>
                {entry.reopenedAt} av {entry.reopenedBy}: <span className="pre-line">{entry.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="anteckningar">
        <h2 id="anteckningar">Anteckningarna</h2>
        <NotesView json={content} label="Minnesanteckningarna" />
      </section>
    </div>
  );
}

/** The answer to one of the page's forms: its fetcher's with JavaScript, the page's own without. */
function useFormResult(fetcher: FetcherWithComponents<FormResult>, intent: string) {
  const posted = usePostedResult<FormResult>(intent);
  return fetcher.state === "idle" ? (fetcher.data ?? posted) : undefined;
}

/** The same for the page, which tells a step's confirmation once the step's form has gone. */
function useStepResult(key: string, intent: string) {
  const fetcher = useFetcher<FormResult>({ key });
  return useFormResult(fetcher, intent);
}

function SendForm({ candidates }: { candidates: Array<{ userId: string; name: string }> }) {
  const fetcher = useFetcher<FormResult>({ key: "notes-send" });
  const result = useFormResult(fetcher, "send");
  const busy = fetcher.state !== "idle";
  const error = result?.fieldErrors?.approverIds;
  return (
    <section aria-labelledby="skicka" className="card">
      <h2 id="skicka">Skicka för justering</h2>
      {candidates.length === 0 ? (
        <p className="empty">Ingen av mötets inbjudna har konto i portalen. Justerare väljs bland de inbjudna som har konto.</p>
      ) : (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="send" />
          <FormOutcome result={result} />
          <fieldset aria-describedby={error ? "justerare-fel" : "justerare-hint"}>
            <legend>Välj justerare bland de inbjudna</legend>
            <p className="hint" id="justerare-hint">
              De valda får ett mejl med en länk. När alla har justerat låses anteckningarna och skickas som PDF till alla inbjudna.
            </p>
            {candidates.map((candidate) => (
              <label key={candidate.userId} className="checkbox">
                <input type="checkbox" name="approverIds" value={candidate.userId} />
                {candidate.name}
              </label>
            ))}
            {error ? (
              <p className="field-error" id="justerare-fel">
                {error}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Skickar…" : "Skicka för justering"}
          </button>
        </fetcher.Form>
      )}
    </section>
  );
}

function AnswerForm({ roundId, mine }: { roundId: string; mine: { status: string; comment: string } }) {
  const fetcher = useFetcher<FormResult>({ key: "notes-answer" });
  const result = useFormResult(fetcher, "answer");
  const busy = fetcher.state !== "idle";
  const error = result?.fieldErrors?.comment;
  return (
    <section aria-labelledby="ditt-svar" className="card">
      <h2 id="ditt-svar">Du är justerare</h2>
      <p>Läs anteckningarna nedan. Justera dem om de stämmer, eller skriv vad som behöver ändras.</p>
      {mine.status === "commented" ? <p className="muted">Du har kommenterat: {mine.comment}</p> : null}
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="answer" />
        <input type="hidden" name="roundId" value={roundId} />
        <FormOutcome result={result} />
        <div className="field">
          <label htmlFor="justering-kommentar">
            Kommentar
            <span className="hint" id="justering-kommentar-hint">
              Krävs om du kommenterar, valfri när du justerar. Högst 2000 tecken. Syns för mötets samordnare.
            </span>
          </label>
          <textarea
            id="justering-kommentar"
            name="comment"
            rows={3}
            maxLength={2000}
            defaultValue={result && !result.ok ? result.sent?.comment : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "justering-kommentar-hint justering-kommentar-error" : "justering-kommentar-hint"}
          />
          {error ? (
            <p className="field-error" id="justering-kommentar-error">
              {error}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button type="submit" name="decision" value="approve" className="button" aria-disabled={busy}>
            Justera anteckningarna
          </button>
          <button type="submit" name="decision" value="comment" className="button button--secondary" aria-disabled={busy}>
            Skicka kommentar
          </button>
        </div>
      </fetcher.Form>
    </section>
  );
}

function ReopenForm({ approved }: { approved: boolean }) {
  const fetcher = useFetcher<FormResult>({ key: "notes-reopen" });
  const result = useFormResult(fetcher, "reopen");
  const busy = fetcher.state !== "idle";
  const error = result?.fieldErrors?.reason;
  return (
    <section aria-labelledby="oppna-igen" className="card">
      <h2 id="oppna-igen">Öppna anteckningarna igen</h2>
      <p>
        {approved
          ? "De justerade anteckningarna låses upp och kan ändras igen. Den justerade versionen finns kvar bland versionerna. Anledningen sparas i loggen."
          : "Justeringen avbryts och anteckningarna kan ändras igen. Anledningen sparas i loggen."}
      </p>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="reopen" />
        <FormOutcome result={result} />
        <div className="field">
          <label htmlFor="oppna-anledning">
            Anledning (krävs)
            <span className="hint" id="oppna-anledning-hint">
              Minst 5 och högst 1000 tecken.
            </span>
          </label>
          <textarea
            id="oppna-anledning"
            name="reason"
            rows={2}
            maxLength={1000}
            required
            defaultValue={result && !result.ok ? result.sent?.reason : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "oppna-anledning-hint oppna-anledning-error" : "oppna-anledning-hint"}
          />
          {error ? (
            <p className="field-error" id="oppna-anledning-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--danger" aria-disabled={busy}>
          {busy ? "Öppnar…" : "Öppna för redigering"}
        </button>
      </fetcher.Form>
    </section>
  );
}
