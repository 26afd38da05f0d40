import { and, asc, eq, gt } from "drizzle-orm";
import * as Y from "yjs";
import type { Db, Queryable, Tx } from "../../../db/client";
import { notesDocuments, notesUpdates } from "../../../db/schema";

/** The Yjs field the editor binds its ProseMirror document to. */
export const NOTES_FIELD = "default";

export const notesDocName = (meetingId: string) => `meeting:${meetingId}:notes`;

/** The meeting's notes document, created (empty) the first time it is asked for. */
export async function ensureNotesDocument(db: Db, meetingId: string): Promise<{ id: string; status: "open" | "for_approval" | "approved" }> {
  await db.insert(notesDocuments).values({ meetingId }).onConflictDoNothing({ target: notesDocuments.meetingId });
  const [row] = await db.select({ id: notesDocuments.id, status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
  return row;
}

/** The merged state: the snapshot and every update stored after it. */
export async function readNotesState(db: Queryable, documentId: string): Promise<Uint8Array> {
  const [document] = await db
    .select({ snapshot: notesDocuments.snapshot, through: notesDocuments.snapshotThroughUpdateId })
    .from(notesDocuments)
    .where(eq(notesDocuments.id, documentId));
  if (!document) return Y.encodeStateAsUpdate(new Y.Doc());
  const updates = await db
    .select({ data: notesUpdates.data })
    .from(notesUpdates)
    .where(and(eq(notesUpdates.documentId, documentId), gt(notesUpdates.id, document.through)))
    .orderBy(asc(notesUpdates.id));
  const parts = [...(document.snapshot ? [document.snapshot] : []), ...updates.map((update) => update.data)];
  return parts.length ? Y.mergeUpdates(parts) : Y.encodeStateAsUpdate(new Y.Doc());
}

/** Stores one update and refreshes the plain-text and JSON copies. */
export async function appendNotesUpdate(db: Db | Tx, documentId: string, update: Uint8Array, userId: string | null): Promise<void> {
  await db.insert(notesUpdates).values({ documentId, data: update, userId });
  const { json, text } = notesContentOf(await readNotesState(db, documentId));
  await db.update(notesDocuments).set({ contentJson: json, plainText: text, updatedAt: new Date() }).where(eq(notesDocuments.id, documentId));
}

type JsonNode = { type: string; attrs?: Record<string, unknown>; content?: JsonNode[]; text?: string; marks?: Array<{ type: string; attrs?: Record<string, unknown> }> };

function elementToJson(element: Y.XmlElement | Y.XmlText): JsonNode[] {
  if (element instanceof Y.XmlText) {
    const delta = element.toDelta() as Array<{ insert: unknown; attributes?: Record<string, Record<string, unknown> | true> }>;
    return delta
      .filter((part) => typeof part.insert === "string" && part.insert.length > 0)
      .map((part) => {
        const marks = Object.entries(part.attributes ?? {}).map(([type, attrs]) => (attrs && typeof attrs === "object" && Object.keys(attrs).length ? { type, attrs } : { type }));
        return { type: "text", text: part.insert as string, ...(marks.length ? { marks } : {}) };
      });
  }
  const attrs = element.getAttributes();
  const content = element.toArray().flatMap((child) => (child instanceof Y.XmlElement || child instanceof Y.XmlText ? elementToJson(child) : []));
  return [{ type: element.nodeName, ...(Object.keys(attrs).length ? { attrs } : {}), ...(content.length ? { content } : {}) }];
}

function textOf(node: JsonNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "mention") return `@${String(node.attrs?.label ?? node.attrs?.id ?? "")}`;
  const inner = (node.content ?? []).map(textOf);
  const blocks = new Set(["doc", "bulletList", "orderedList", "taskList", "table", "tableRow", "listItem", "taskItem", "blockquote"]);
  return blocks.has(node.type) ? inner.join("\n") : inner.join(node.type === "tableRow" ? "\t" : "");
}

/** ProseMirror JSON and plain text of a document state. */
export function notesContentOf(state: Uint8Array): { json: unknown; text: string } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const fragment = doc.getXmlFragment(NOTES_FIELD);
  const content = fragment.toArray().flatMap((child) => (child instanceof Y.XmlElement || child instanceof Y.XmlText ? elementToJson(child) : []));
  const json: JsonNode = { type: "doc", content };
  doc.destroy();
  return { json, text: textOf(json) };
}
