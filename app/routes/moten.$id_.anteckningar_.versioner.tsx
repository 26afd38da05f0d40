import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "../auth/guards.server";
import { liveStatusText, useLiveRoom } from "../components/live";
import { NotesExportLinks } from "../components/notes-approval/notes-view";
import { Field, FormOutcome } from "../components/ui/field";
import { usePostedResult } from "../components/ui/posted-result";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId } from "../domain/http-errors";
import { meetingRoom } from "../domain/meetings/labels";
import { listNotesVersions, takeNotesVersion, versionNameSchema } from "../domain/notes/versions.server";
import { notesStatusLabels, versionKindLabels } from "../domain/notes/labels";
import { formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues, sentFields } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versioner: ${data?.meeting.title ?? "Minnesanteckningar"} – Samverkansportalen` }];

type FormResult = { ok: boolean; message: string; fieldErrors: Record<string, string>; sent?: Record<string, string> };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const found = await listNotesVersions(db(), user, requireId(params.id));
  return {
    meeting: { id: found.meeting.id, title: found.meeting.title },
    status: found.status,
    versions: found.versions.map((version) => ({
      id: version.id,
      name: version.name,
      kind: version.kind,
      createdAt: formatDateTime(version.createdAt),
      createdAtIso: version.createdAt.toISOString(),
      createdBy: version.createdBy ?? "Portalen",
    })),
    can: found.can,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const values = await readFormValues(request);
  // `sent` lets the page drawn without JavaScript tell the outcome at the form (usePostedResult).
  const sent = sentFields(values);
  return asFormResult(async (): Promise<FormResult | ReturnType<typeof data<FormResult>>> => {
    if (values.intent !== "take") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, versionNameSchema);
    if (!parsed.ok) return data({ ok: false, message: parsed.fieldErrors.name ?? "Ge versionen ett namn.", fieldErrors: parsed.fieldErrors, sent }, { status: 400 });
    const version = await takeNotesVersion(db(), user, meetingId, parsed.data);
    return { ok: true, message: `Versionen "${version.name}" är sparad.`, fieldErrors: {}, sent };
  }, { sent });
}

export default function NotesVersionsPage() {
  const { meeting, status, versions, can } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const live = useLiveRoom(meetingRoom(meeting.id), { "notes:changed": () => revalidator.revalidate() });
  return (
    <div className="stack">
      <p>
        <Link to={`/moten/${meeting.id}`}>← {meeting.title}</Link>
      </p>
      <h1>Versioner av minnesanteckningarna</h1>
      <p>
        Status: {notesStatusLabels[status]}. <Link to={`/moten/${meeting.id}/anteckningar/justering`}>Justering</Link>
      </p>
      <p className="muted" role="status" aria-live="polite">
        {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
      </p>
      <NotesExportLinks meetingId={meeting.id} />
      {can.manage ? <TakeVersionForm /> : null}
      <section aria-labelledby="versioner">
        <h2 id="versioner">Sparade versioner ({versions.length})</h2>
        {versions.length ? (
          <TableRegion label="Sparade versioner">
            <table>
              <caption className="visually-hidden">Sparade versioner, nyast först</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Typ</th>
                  <th scope="col">Sparad</th>
                  <th scope="col">Av</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((version) => (
                  <tr key={version.id}>
                    <td>
                      <Link to={`/moten/${meeting.id}/anteckningar/versioner/${version.id}`}>{version.name}</Link>
                    </td>
                    <td>{versionKindLabels[version.kind]}</td>
                    <td>
                      <time dateTime={version.createdAtIso}>{version.createdAt}</time>
                    </td>
                    <td>{version.createdBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : (
          <p className="empty">Inga versioner ännu. En version sparas när mötet har slutat, när anteckningarna justeras och när någon sparar en för hand.</p>
        )}
      </section>
    </div>
  );
}

function TakeVersionForm() {
  const fetcher = useFetcher<FormResult>();
  const posted = usePostedResult<FormResult>("take");
  const result = fetcher.state === "idle" ? (fetcher.data ?? posted) : undefined;
  const busy = fetcher.state !== "idle";
  const error = result?.fieldErrors?.name;
  // A refused name stays in the field; a saved one leaves it empty for the next version.
  const kept = result && !result.ok ? result.sent?.name : undefined;
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <section aria-labelledby="ny-version" className="card">
      <h2 id="ny-version">Spara en version</h2>
      <fetcher.Form method="post" ref={form}>
        <input type="hidden" name="intent" value="take" />
        <FormOutcome result={result} />
        <Field
          label="Namn på versionen"
          name="name"
          id="version-namn"
          hint={'T.ex. "Efter arbetsgruppens genomgång". Högst 120 tecken.'}
          error={error}
          defaultValue={kept}
          maxLength={120}
          required
        />
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? "Sparar…" : "Spara version"}
        </button>
      </fetcher.Form>
    </section>
  );
}
