import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { io } from "socket.io-client";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { CollabProvider, type ProviderStatus } from "./collab-provider";
import { mentionSuggestion, type MentionCandidate } from "./mention-suggestion";
import { NOTES_FIELD, notesExtensions } from "./notes-extensions";
import { NotesToolbar, type Tool } from "./notes-toolbar";
import { ActionBadges, canConvertTask, ConvertTaskForm, meetingIdOf, useActionStatuses } from "./action-links";
import { PresenceList, type PresentPerson } from "./presence-list";
import { SaveState } from "./save-state";
import { SOCKET_OPTIONS } from "../socket-options";

export type NotesPerson = { id: string; name: string; organisation: string; color: string };

/** `readOnly` is the page's view when it was loaded; once joined, the server's answer counts. */
type Props = { docName: string; person: NotesPerson; candidates: MentionCandidate[]; readOnly: boolean };

/** How long the saved copy in the browser may take to open before the page goes on without it. */
const LOCAL_COPY_WAIT_MS = 3000;

/**
 * The co-edited notes of a meeting. The document is kept in the browser (IndexedDB) as well, so
 * that nothing typed on a poor connection is lost; the server is reached over `/collab` once the
 * local copy has been read, and the editor appears when the server's state (or, offline, the
 * local copy) is in.
 */
export default function NotesEditor({ docName, person, candidates, readOnly }: Props) {
  const [session, setSession] = useState<{ doc: Y.Doc; provider: CollabProvider } | null>(null);
  const [status, setStatus] = useState<ProviderStatus | null>(null);
  const [localReady, setLocalReady] = useState(false);
  const [shown, setShown] = useState(false);

  useEffect(() => {
    const doc = new Y.Doc();
    let stopped = false;
    let provider: CollabProvider | undefined;
    let unsubscribe = () => {};
    // One copy per person, so that two people sharing a computer never mix their unsaved changes.
    const local = new IndexeddbPersistence(`samverkan:${person.id}:${docName}`, doc);
    const socket = io("/collab", { ...SOCKET_OPTIONS, autoConnect: false, reconnectionDelayMax: 5000 });
    const start = () => {
      if (stopped || provider) return;
      provider = new CollabProvider(socket, docName, doc);
      // Whatever was kept in the browser may hold changes the server has not acknowledged.
      if (doc.store.clients.size > 0) provider.markUnsent();
      unsubscribe = provider.subscribe(setStatus);
      setSession({ doc, provider });
      setLocalReady(true);
      socket.connect();
    };
    void local.whenSynced.then(start, start);
    const fallback = setTimeout(start, LOCAL_COPY_WAIT_MS);
    return () => {
      stopped = true;
      clearTimeout(fallback);
      unsubscribe();
      provider?.destroy();
      socket.disconnect();
      void local.destroy();
      doc.destroy();
    };
  }, [docName, person.id]);

  if (!session || !status) return <p className="muted">Öppnar anteckningarna…</p>;
  const refusal =
    status.connection === "forbidden" ? (shown ? "Du har inte längre behörighet till anteckningarna. Det du ser är ditt senaste läge; kopiera det du behöver." : "Du har inte behörighet att öppna anteckningarna.") : status.connection === "not_found" ? "Anteckningarna finns inte längre." : null;
  if (refusal && !shown) {
    return (
      <div className="alert alert--error" role="alert">
        {refusal}
      </div>
    );
  }
  const offline = status.connection === "offline" || status.connection === "unauthorized";
  // Once shown, the editor stays through reconnects; what is typed meanwhile is kept and sent later.
  const ready = shown || status.synced || (offline && localReady);
  if (ready && !shown) setShown(true);
  return (
    <>
      {refusal ? (
        <div className="alert alert--error" role="alert">
          {refusal}
        </div>
      ) : (
        <SaveState status={status} />
      )}
      {ready ? (
        <NotesSurface
          session={session}
          status={refusal || (readOnly && status.connection !== "connected") ? { ...status, readOnly: true } : status}
          person={person}
          candidates={candidates}
          meetingId={meetingIdOf(docName)}
        />
      ) : (
        <p className="muted" role="status">
          Hämtar anteckningarna…
        </p>
      )}
    </>
  );
}

function NotesSurface({
  session,
  status,
  person,
  candidates,
  meetingId,
}: {
  session: { doc: Y.Doc; provider: CollabProvider };
  status: ProviderStatus;
  person: NotesPerson;
  candidates: MentionCandidate[];
  meetingId: string | null;
}) {
  const [announcement, setAnnouncement] = useState("");
  const [converting, setConverting] = useState(false);
  const candidateList = useRef(candidates);
  candidateList.current = candidates;
  const extensions = useMemo(
    () => [
      ...notesExtensions({ mention: { suggestion: mentionSuggestion(() => candidateList.current, setAnnouncement) } }),
      Collaboration.configure({ document: session.doc, field: NOTES_FIELD }),
      ActionBadges,
      CollaborationCaret.configure({
        provider: session.provider,
        user: { id: person.id, name: person.name, organisation: person.organisation, color: person.color },
        render: renderCaret,
      }),
    ],
    [session, person, candidateList],
  );
  const editor = useEditor(
    {
      extensions,
      immediatelyRender: false,
      shouldRerenderOnTransaction: false,
      editable: !status.readOnly,
      editorProps: {
        // Alt+F10 moves to the toolbar, as in other rich-text editors; Escape there comes back.
        handleKeyDown: (_view, event) => {
          if (!(event.altKey && event.key === "F10")) return false;
          const button = document.querySelector<HTMLButtonElement>('.notes-toolbar button[tabindex="0"]');
          if (!button) return false;
          button.focus();
          return true;
        },
        attributes: {
          id: "notes-content",
          class: "notes-editor__content",
          role: "textbox",
          "aria-multiline": "true",
          "aria-label": "Anteckningar",
          "aria-describedby": "notes-guard-rail notes-keys",
        },
      },
    },
    [extensions],
  );

  const actionLinks = useActionStatuses(editor, meetingId);
  const actionTools: Tool[] = meetingId
    ? [{ key: "toAction", label: "Gör till åtgärd", text: "Gör till åtgärd", run: () => setConverting(true), enabled: canConvertTask }]
    : [];

  useEffect(() => {
    if (!editor) return;
    editor.setEditable(!status.readOnly);
    editor.view.dom.setAttribute("aria-readonly", String(status.readOnly));
  }, [editor, status.readOnly]);

  return (
    <div className={`notes-editor${status.readOnly ? " notes-editor--read-only" : ""}`}>
      {status.readOnly ? (
        <div className="alert alert--info" role="status">
          Du kan läsa anteckningarna men inte ändra dem.
        </div>
      ) : null}
      <Presence session={session} self={person} />
      {editor && !status.readOnly ? <NotesToolbar editor={editor} extraTools={actionTools} /> : null}
      {editor && meetingId && converting && !status.readOnly ? (
        <ConvertTaskForm
          editor={editor}
          meetingId={meetingId}
          lists={actionLinks.lists}
          onClose={() => setConverting(false)}
          onDone={(message) => {
            setAnnouncement(message);
            actionLinks.refresh();
          }}
        />
      ) : null}
      <EditorContent editor={editor} className="notes-editor__frame" />
      <p className="visually-hidden" id="notes-keys">
        Alt+F10 flyttar till verktygsfältet. Skriv @ för att nämna en person eller organisation.
      </p>
      {editor ? <EmptyHint editor={editor} readOnly={status.readOnly} /> : null}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function EmptyHint({ editor, readOnly }: { editor: Editor; readOnly: boolean }) {
  const empty = useEditorState({ editor, selector: ({ editor: current }) => current.isEmpty });
  if (!empty) return null;
  return <p className="muted">{readOnly ? "Inga anteckningar ännu." : "Inga anteckningar ännu. Skriv här; skriv @ för att nämna en inbjuden person eller organisation."}</p>;
}

function Presence({ session, self }: { session: { doc: Y.Doc; provider: CollabProvider }; self: NotesPerson }) {
  const [people, setPeople] = useState<PresentPerson[]>([]);
  useEffect(() => {
    const awareness = session.provider.awareness;
    const read = () => {
      const seen = new Map<string, PresentPerson>();
      for (const state of awareness.getStates().values()) {
        const user = (state as { user?: Partial<NotesPerson> }).user;
        if (!user?.id || !user.name || seen.has(user.id)) continue;
        seen.set(user.id, { id: user.id, name: user.name, organisation: user.organisation ?? "", color: user.color ?? "#555555", isSelf: user.id === self.id });
      }
      setPeople([...seen.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name, "sv")));
    };
    read();
    awareness.on("change", read);
    return () => awareness.off("change", read);
  }, [session, self.id]);
  return <PresenceList people={people} />;
}

function renderCaret(user: Record<string, unknown>) {
  const caret = document.createElement("span");
  caret.className = "collaboration-carets__caret";
  caret.style.borderColor = String(user.color);
  const label = document.createElement("span");
  label.className = "collaboration-carets__label";
  label.style.backgroundColor = String(user.color);
  label.textContent = String(user.name ?? "Okänd");
  caret.append(label);
  return caret;
}
