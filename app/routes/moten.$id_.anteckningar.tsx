import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { NotesLinks } from "../components/notes/notes-links";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { getNotesPage } from "../domain/notes/notes-page.server";
import { db } from "../server/portal.server";

// The editor (tiptap, Yjs, IndexedDB, socket.io) exists only in the browser and loads in its own chunk.
const NotesEditor = lazy(() => import("../components/notes/notes-editor"));

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Anteckningar: ${data?.meeting.title ?? "Möte"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const page = await getNotesPage(db(), user, requireId(params.id));
  return {
    meeting: { id: page.meeting.id, title: page.meeting.title, networkName: page.meeting.networkName, when: meetingWhen(page.meeting.startsAt, page.meeting.endsAt), startsAtIso: page.meeting.startsAt.toISOString() },
    docName: page.docName,
    readOnly: page.readOnly,
    person: page.person,
    candidates: page.candidates,
  };
}

export default function MeetingNotesPage() {
  const { meeting, docName, person, candidates, readOnly } = useLoaderData<typeof loader>();
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  return (
    <div className="stack notes-page">
      <p>
        <Link to={`/moten/${meeting.id}`}>← {meeting.title}</Link>
      </p>
      <h1>Anteckningar: {meeting.title}</h1>
      <p className="muted">
        {meeting.networkName}, <time dateTime={meeting.startsAtIso}>{meeting.when}</time>
      </p>
      <nav aria-label="Justering, versioner och nedladdning">
        <NotesLinks meetingId={meeting.id} />
      </nav>
      <div className="alert alert--warn notes-guard-rail" id="notes-guard-rail">
        <strong>Skriv inte in uppgifter om enskilda personers ärenden</strong> och inga säkerhetsskyddsklassificerade uppgifter. Anteckningarna
        delas mellan organisationerna i mötet; de handlar om åtgärder, platser och beslut, inte om individer.
      </div>
      <section aria-label="Anteckningar" className="notes-area">
        {inBrowser ? (
          <Suspense fallback={<p className="muted">Öppnar anteckningarna…</p>}>
            <NotesEditor docName={docName} person={person} candidates={candidates} readOnly={readOnly} />
          </Suspense>
        ) : (
          <p className="muted">
            Öppnar anteckningarna… <noscript>Anteckningarna kräver JavaScript.</noscript>
          </p>
        )}
      </section>
    </div>
  );
}
