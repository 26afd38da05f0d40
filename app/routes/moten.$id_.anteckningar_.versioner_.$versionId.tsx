import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { NotesExportLinks, NotesView } from "../components/notes-approval/notes-view";
import { ConfirmButton } from "../components/ui/confirm-button";
import { badRequest, requireId } from "../domain/http-errors";
import { getNotesVersion, restoreNotesVersion } from "../domain/notes/versions.server";
import { versionKindLabels } from "../domain/notes/labels";
import { formatDateTime } from "../format";
import { asFormResult, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.version.name ?? "Version"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const found = await getNotesVersion(db(), user, requireId(params.id), requireId(params.versionId));
  return {
    meeting: { id: found.meeting.id, title: found.meeting.title },
    version: {
      id: found.version.id,
      name: found.version.name,
      kind: found.version.kind,
      createdAt: formatDateTime(found.version.createdAt),
      createdBy: found.version.createdBy ?? "Portalen",
      content: found.version.contentJson as unknown,
    },
    can: found.can,
    status: found.status,
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const versionId = requireId(params.versionId);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    if (values.intent !== "restore") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const { name } = await restoreNotesVersion(db(), user, meetingId, versionId);
    return { ok: true, message: `Anteckningarna är återställda till "${name}". Innehållet från före återställningen finns kvar som en egen version.` };
  });
}

export default function NotesVersionPage() {
  const { meeting, version, can, status } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to={`/moten/${meeting.id}/anteckningar/versioner`}>← Alla versioner</Link>
      </p>
      <h1>{version.name}</h1>
      <dl className="details">
        <dt>Möte</dt>
        <dd>
          <Link to={`/moten/${meeting.id}`}>{meeting.title}</Link>
        </dd>
        <dt>Typ</dt>
        <dd>{versionKindLabels[version.kind]}</dd>
        <dt>Sparad</dt>
        <dd>
          {version.createdAt} av {version.createdBy}
        </dd>
      </dl>
      <p className="muted">Du läser en sparad version. Den kan inte ändras.</p>
      <NotesExportLinks meetingId={meeting.id} versionId={version.id} />
      {can.restore ? (
        <div className="actions">
          <ConfirmButton
            label="Återställ den här versionen"
            title="Återställa den här versionen?"
            description={`Anteckningarna får samma innehåll som i "${version.name}". Det som står där nu sparas först som en egen version, och alla som har anteckningarna öppna ser ändringen direkt.`}
            confirmLabel="Ja, återställ"
            fields={{ intent: "restore" }}
            danger={false}
          />
        </div>
      ) : status !== "open" ? (
        <p className="muted">Anteckningarna är skickade för justering eller justerade. Öppna dem igen för att kunna återställa en version.</p>
      ) : null}
      <section aria-labelledby="innehall">
        <h2 id="innehall">Innehåll</h2>
        <NotesView json={version.content} label={`Versionen ${version.name}`} />
      </section>
    </div>
  );
}
