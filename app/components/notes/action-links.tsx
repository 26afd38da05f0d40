import { Extension, type Editor } from "@tiptap/core";
import type { Node as PmNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { useEffect, useRef, useState } from "react";

/**
 * Task lines of the notes that were turned into åtgärder: each shows a small badge with the
 * item's status and judgement, linking to the item. The statuses are read for the ids present
 * in the document and only for items the viewer may see.
 */

export type TaskActionStatus =
  | { id: string; visible: true; number: number; title: string; status: string; statusLabel: string; judgement: string | null; judgementLabel: string | null }
  | { id: string; visible: false };

type ListChoice = { id: string; title: string };
type StatusAnswer = { ok: true; statuses: TaskActionStatus[]; lists: ListChoice[] } | { ok: false; message: string };

const badgeKey = new PluginKey<Map<string, TaskActionStatus>>("actionBadges");

/** The meeting id inside a notes document name (`meeting:<id>:notes`). */
export function meetingIdOf(docName: string) {
  return /^meeting:([0-9a-f-]{36}):notes$/i.exec(docName)?.[1] ?? null;
}

export function linkedActionIds(doc: PmNode) {
  const ids = new Set<string>();
  doc.descendants((node) => {
    if (node.type.name === "taskItem" && typeof node.attrs.actionItemId === "string") ids.add(node.attrs.actionItemId);
  });
  return [...ids].sort();
}

const JUDGEMENT_CLASS: Record<string, string> = { gron: "badge--ok", gul: "badge--warn", rod: "badge--error" };

function badge(id: string, status: TaskActionStatus | undefined) {
  const element = document.createElement(status?.visible ? "a" : "span");
  element.className = "badge notes-action-badge";
  element.contentEditable = "false";
  if (!status) {
    element.textContent = "åtgärd …";
  } else if (!status.visible) {
    element.textContent = "åtgärd (ingen behörighet)";
  } else {
    const anchor = element as HTMLAnchorElement;
    anchor.href = `/atgarder/${id}`;
    anchor.className += status.judgement ? ` ${JUDGEMENT_CLASS[status.judgement] ?? ""}` : "";
    anchor.textContent = `Åtgärd ${status.number}: ${status.statusLabel}${status.judgementLabel ? ` · ${status.judgementLabel}` : ""}`;
    anchor.title = status.title;
    anchor.setAttribute("aria-label", `Åtgärd ${status.number}, ${status.title}: ${status.statusLabel}${status.judgementLabel ? `, bedömning ${status.judgementLabel.toLowerCase()}` : ""}`);
  }
  return element;
}

/** Draws the badges; `setActionStatuses` hands it the statuses read from the server. */
export const ActionBadges = Extension.create({
  name: "actionBadges",
  addProseMirrorPlugins() {
    return [
      new Plugin<Map<string, TaskActionStatus>>({
        key: badgeKey,
        state: {
          init: () => new Map(),
          apply: (tr, value) => (tr.getMeta(badgeKey) as Map<string, TaskActionStatus> | undefined) ?? value,
        },
        props: {
          decorations(state) {
            const statuses = badgeKey.getState(state) ?? new Map();
            const decorations: Decoration[] = [];
            state.doc.descendants((node, pos) => {
              if (node.type.name !== "taskItem" || typeof node.attrs.actionItemId !== "string") return true;
              const id = node.attrs.actionItemId;
              const first = node.firstChild;
              // At the end of the task's first line, or at its start when it has no text block.
              const at = first && first.isTextblock ? pos + 1 + first.nodeSize - 1 : pos + 1;
              const status = statuses.get(id);
              decorations.push(Decoration.widget(at, () => badge(id, status), { side: 1, ignoreSelection: true, key: `${id}:${status ? JSON.stringify(status) : "loading"}` }));
              return true;
            });
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});

function setActionStatuses(editor: Editor, statuses: TaskActionStatus[]) {
  if (editor.isDestroyed) return;
  const tr = editor.state.tr.setMeta(badgeKey, new Map(statuses.map((status) => [status.id, status]))).setMeta("addToHistory", false);
  editor.view.dispatch(tr);
}

/** Keeps the badges' statuses current: on load, whenever the set of linked ids changes and on return to the tab. */
export function useActionStatuses(editor: Editor | null, meetingId: string | null) {
  const [lists, setLists] = useState<ListChoice[] | null>(null);
  const [refreshCount, setRefreshCount] = useState(0);
  const [ids, setIds] = useState<string>("");
  useEffect(() => {
    if (!editor) return;
    const read = () => setIds(linkedActionIds(editor.state.doc).join(","));
    read();
    editor.on("update", read);
    const onFocus = () => setRefreshCount((count) => count + 1);
    window.addEventListener("focus", onFocus);
    return () => {
      editor.off("update", read);
      window.removeEventListener("focus", onFocus);
    };
  }, [editor]);
  useEffect(() => {
    if (!editor || !meetingId) return;
    let stopped = false;
    const query = ids ? ids.split(",").map((id) => `id=${encodeURIComponent(id)}`).join("&") : "";
    fetch(`/moten/${meetingId}/anteckningar/atgarder${query ? `?${query}` : ""}`, { headers: { accept: "application/json" }, credentials: "same-origin" })
      .then((response) => response.json() as Promise<StatusAnswer>)
      .then((answer) => {
        if (stopped || !answer.ok) return;
        setLists(answer.lists);
        setActionStatuses(editor, answer.statuses);
      })
      .catch(() => {
        // Offline: the badges wait ("åtgärd …") until the next refresh.
      });
    return () => {
      stopped = true;
    };
  }, [editor, meetingId, ids, refreshCount]);
  return { lists, refresh: () => setRefreshCount((count) => count + 1) };
}

/** The task item the selection is in: its position, text and link, or null. */
export function currentTask(editor: Editor) {
  const { $from } = editor.state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.name === "taskItem") return { pos: $from.before(depth), text: (node.firstChild?.textContent ?? "").trim(), actionItemId: (node.attrs.actionItemId as string | null) ?? null };
  }
  return null;
}

/** Whether "Gör till åtgärd" applies: the cursor is in a task line not yet turned into an åtgärd. */
export function canConvertTask(editor: Editor) {
  const task = currentTask(editor);
  return task !== null && task.actionItemId === null;
}

/** Finds the task again after others may have edited the notes: same place if it still fits, else the same text. */
function findTask(editor: Editor, task: { pos: number; text: string }) {
  const doc = editor.state.doc;
  const fits = (node: PmNode | null | undefined) => node?.type.name === "taskItem" && !node.attrs.actionItemId && (node.firstChild?.textContent ?? "").trim() === task.text;
  if (task.pos < doc.content.size && fits(doc.nodeAt(task.pos))) return task.pos;
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (fits(node)) found = pos;
    return true;
  });
  return found;
}

type ConvertAnswer = { ok: true; item: { id: string; number: number; title: string } } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/**
 * The small form that turns the current task line into an åtgärd: choose a list, check the title,
 * create. On success the task line gets the item's id, which everyone editing the notes receives.
 */
export function ConvertTaskForm({
  editor,
  meetingId,
  lists,
  onClose,
  onDone,
}: {
  editor: Editor;
  meetingId: string;
  lists: ListChoice[] | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const task = useRef(currentTask(editor));
  const [listId, setListId] = useState("");
  const [title, setTitle] = useState(task.current?.text.slice(0, 300) ?? "");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const close = () => {
    onClose();
    editor.commands.focus();
  };
  if (!task.current) return null;
  return (
    <form
      className="notes-link-form notes-action-form"
      aria-label="Gör till åtgärd"
      onSubmit={async (event) => {
        event.preventDefault();
        if (busy) return;
        if (!listId) return setError("Välj en åtgärdslista.");
        if (!title.trim()) return setError("Åtgärden behöver en rubrik.");
        setBusy(true);
        setError("");
        try {
          const body = new URLSearchParams({ listId, title });
          const response = await fetch(`/moten/${meetingId}/anteckningar/atgarder`, { method: "POST", body, credentials: "same-origin", headers: { accept: "application/json" } });
          const answer = (await response.json().catch(() => ({ ok: false, message: "Åtgärden kunde inte skapas. Försök igen." }))) as ConvertAnswer;
          if (!answer.ok) {
            setError(answer.message);
            setBusy(false);
            return;
          }
          const pos = findTask(editor, task.current!);
          const listTitle = lists?.find((list) => list.id === listId)?.title ?? "listan";
          if (pos === null) {
            onDone(`Åtgärd ${answer.item.number} skapades i ${listTitle}, men punkten finns inte längre i anteckningarna.`);
          } else {
            editor.view.dispatch(editor.state.tr.setNodeAttribute(pos, "actionItemId", answer.item.id));
            onDone(`Åtgärd ${answer.item.number} skapades i ${listTitle} och är kopplad till punkten.`);
          }
          onClose();
          editor.commands.focus();
        } catch {
          setError("Ingen kontakt med servern. Inget skapades; försök igen när anslutningen är tillbaka.");
          setBusy(false);
        }
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") close();
      }}
    >
      <label htmlFor="notes-action-list">Åtgärdslista</label>
      {lists === null ? (
        <span className="muted">Hämtar listorna…</span>
      ) : lists.length === 0 ? (
        <span className="muted">Det finns ingen åtgärdslista som du kan lägga till åtgärder i.</span>
      ) : (
        <select id="notes-action-list" value={listId} autoFocus onChange={(event) => setListId(event.target.value)} aria-invalid={error && !listId ? true : undefined}>
          <option value="">Välj lista…</option>
          {lists.map((list) => (
            <option key={list.id} value={list.id}>
              {list.title}
            </option>
          ))}
        </select>
      )}
      <label htmlFor="notes-action-title">Åtgärd</label>
      <input id="notes-action-title" type="text" value={title} maxLength={300} onChange={(event) => setTitle(event.target.value)} aria-describedby={error ? "notes-action-error" : undefined} />
      <button type="submit" className="button button--small" aria-disabled={busy || !lists?.length}>
        {busy ? "Skapar…" : "Skapa åtgärd"}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={close}>
        Avbryt
      </button>
      {error ? (
        <p className="field-error" id="notes-action-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
