import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import * as Y from "yjs";
import type { Db, Queryable } from "../../../db/client";
import { executeReusedWrite } from "../../../db/prepared";
import { notesDocuments, notesUpdates } from "../../../db/schema";
import { uuidPattern } from "../http-errors";
import { loadMeetingResource } from "../meetings/meetings.server";
import { can, type Actor, type NotesResource } from "../policy";
import { buildStartingContent, NOTES_FRAGMENT } from "./starting-content.server";

export type NotesStatus = "open" | "for_approval" | "approved";

export const notesDocName = (meetingId: string) => `meeting:${meetingId}:notes`;

/** The meeting a document name points at, or null for anything that is not `meeting:<uuid>:notes`. */
export function parseNotesDocName(name: unknown): { meetingId: string } | null {
  if (typeof name !== "string" || name.length > 100) return null;
  const match = /^meeting:([^:]+):notes$/.exec(name);
  if (!match || !uuidPattern.test(match[1])) return null;
  return { meetingId: match[1].toLowerCase() };
}

/**
 * Creates the document exactly once (concurrent callers get the same row) with the starting
 * content built from the meeting's agenda. The content is the row's snapshot, written by the
 * same insert that creates the row, so a losing caller's content is never stored.
 */
export async function ensureNotesDocument(db: Db, meetingId: string): Promise<{ id: string; status: NotesStatus }> {
  const existing = await db.select({ id: notesDocuments.id, status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
  if (existing[0]) return existing[0];
  const snapshot = await buildStartingContent(db, meetingId);
  const content = notesContentOf(snapshot);
  const inserted = await db
    .insert(notesDocuments)
    .values({ meetingId, snapshot, plainText: content.text, contentJson: content.json })
    .onConflictDoNothing({ target: notesDocuments.meetingId })
    .returning({ id: notesDocuments.id, status: notesDocuments.status });
  if (inserted[0]) return inserted[0];
  const [row] = await db.select({ id: notesDocuments.id, status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
  return row;
}

/** The document's full Yjs state: snapshot merged with every later update. */
export async function readNotesState(db: Queryable, documentId: string): Promise<Uint8Array> {
  const [document] = await db
    .select({ snapshot: notesDocuments.snapshot, through: notesDocuments.snapshotThroughUpdateId })
    .from(notesDocuments)
    .where(eq(notesDocuments.id, documentId));
  if (!document) throw new Error(`no notes document ${documentId}`);
  const later = await db
    .select({ data: notesUpdates.data })
    .from(notesUpdates)
    .where(and(eq(notesUpdates.documentId, documentId), gt(notesUpdates.id, document.through)))
    .orderBy(asc(notesUpdates.id));
  const parts = [...(document.snapshot ? [document.snapshot] : []), ...later.map((row) => row.data)];
  if (parts.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
}

export type PendingNotesUpdate = { documentId: string; update: Uint8Array; userId: string | null };

/**
 * Durably appends updates (group commit) in one statement, so one round trip and one commit. The
 * statement first holds each document's row with FOR SHARE (ids in order), and only then inserts:
 * the aggregate over the locked rows is complete before the first row reaches the insert, so no
 * update id is drawn before the lock. Compaction (FOR UPDATE) therefore never merges past an
 * update that is still being written. Rows get their ids in the order given. The statement is
 * prepared once per connection (on PGlite, parsing and planning it cost more than the insert).
 *
 * Only notes open for editing take updates: the updates of a document out for approval or
 * approved are not stored, and its id is returned among the refused. The status is read under the
 * same lock that sending for approval and approving take (FOR UPDATE), so an update is either
 * stored before the status changes or refused after; a server that has not yet heard of the
 * change (another instance, Redis away) cannot write into approved minutes.
 */
export async function appendNotesUpdates(db: Db, updates: readonly PendingNotesUpdate[]): Promise<{ refused: Set<string> }> {
  if (updates.length === 0) return { refused: new Set() };
  const documentIds = [...new Set(updates.map((update) => update.documentId))].sort();
  const rows = await executeReusedWrite(db, "notes_append", appendStatement, [
    documentIds,
    updates.map((update) => update.documentId),
    updates.map((update) => update.update),
    updates.map((update) => update.userId),
  ]);
  const open = new Set(rows.map((row) => String(row.document_id)));
  return { refused: new Set(documentIds.filter((id) => !open.has(id))) };
}

/**
 * The held documents ($1), then each update's document ($2), bytes ($3) and author ($4), in order.
 * Returns the ids of the held documents that are open (whose updates were stored).
 */
const appendStatement = {
  types: "text[], text[], bytea[], text[]",
  sql: `
    with held as (
      select id, status from notes_documents
      where id = any($1::uuid[])
      order by id
      for share
    ),
    locked as (
      select coalesce(array_agg(id) filter (where status = 'open'), '{}') as open_ids from held
    ),
    stored as (
      insert into notes_updates (document_id, data, user_id)
      select pending.document_id, pending.data, pending.user_id
      from unnest($2::uuid[], $3::bytea[], $4::uuid[]) with ordinality as pending (document_id, data, user_id, position)
      cross join locked
      where pending.document_id = any(locked.open_ids)
      order by pending.position
    )
    select unnest(open_ids)::text as document_id from locked`,
};

/** The notes' status (open, out for approval, approved), or undefined for an unknown document. */
export async function readNotesStatus(db: Db, documentId: string) {
  const [row] = await db.select({ status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.id, documentId));
  return row?.status;
}

/** Durably appends one Yjs update (the building block of ack-after-commit); false if the notes are not open. */
export async function appendNotesUpdate(db: Db, documentId: string, update: Uint8Array, userId: string | null): Promise<boolean> {
  const { refused } = await appendNotesUpdates(db, [{ documentId, update, userId }]);
  return !refused.has(documentId);
}

/**
 * Merges every stored update into the snapshot and deletes the merged rows. The document row is
 * locked FOR UPDATE, which waits for appends in progress and holds back new ones until the
 * merge commits, so no update is skipped. Returns how many rows were merged. `merge` may run
 * elsewhere (the hub merges on a worker thread).
 */
export async function compactNotesDocument(db: Db, documentId: string, merge: (parts: Uint8Array[]) => Uint8Array | Promise<Uint8Array> = Y.mergeUpdates): Promise<number> {
  return db.transaction(async (tx) => {
    const [document] = await tx
      .select({ snapshot: notesDocuments.snapshot, through: notesDocuments.snapshotThroughUpdateId })
      .from(notesDocuments)
      .where(eq(notesDocuments.id, documentId))
      .for("update");
    if (!document) return 0;
    const later = await tx
      .select({ id: notesUpdates.id, data: notesUpdates.data })
      .from(notesUpdates)
      .where(and(eq(notesUpdates.documentId, documentId), gt(notesUpdates.id, document.through)))
      .orderBy(asc(notesUpdates.id));
    if (later.length === 0) return 0;
    const through = later[later.length - 1].id;
    const snapshot = await merge([...(document.snapshot ? [document.snapshot] : []), ...later.map((row) => row.data)]);
    await tx.update(notesDocuments).set({ snapshot, snapshotThroughUpdateId: through }).where(eq(notesDocuments.id, documentId));
    await tx.delete(notesUpdates).where(and(eq(notesUpdates.documentId, documentId), lte(notesUpdates.id, through)));
    return later.length;
  });
}

/** Refreshes the plain-text and JSON copies of several documents in one transaction. */
export async function storeNotesContents(db: Db, contents: ReadonlyArray<{ documentId: string; content: NotesContent }>) {
  if (contents.length === 0) return;
  await db.transaction(async (tx) => {
    for (const { documentId, content } of contents) {
      await tx
        .update(notesDocuments)
        .set({ plainText: content.text, contentJson: content.json, updatedAt: sql`now()` })
        .where(eq(notesDocuments.id, documentId));
    }
  });
}

/** Refreshes the plain-text and JSON copies that search and export read. */
export async function storeNotesContent(db: Queryable, documentId: string, state: Uint8Array) {
  const content = notesContentOf(state);
  await db
    .update(notesDocuments)
    .set({ plainText: content.text, contentJson: content.json, updatedAt: sql`now()` })
    .where(eq(notesDocuments.id, documentId));
}

type PmNode = { type: string; attrs?: Record<string, unknown>; content?: PmNode[]; text?: string; marks?: Array<{ type: string; attrs?: Record<string, unknown> }> };

const BLOCKS_WITHOUT_BREAK = new Set(["bulletList", "orderedList", "taskList", "table", "tableRow"]);

function nodeOf(item: Y.XmlElement | Y.XmlText, lines: string[]): PmNode[] {
  if (item instanceof Y.XmlText) {
    const nodes: PmNode[] = [];
    for (const op of item.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      if (typeof op.insert !== "string") continue;
      const marks = Object.entries(op.attributes ?? {}).map(([type, attrs]) =>
        attrs && typeof attrs === "object" && Object.keys(attrs).length > 0 ? { type, attrs: attrs as Record<string, unknown> } : { type },
      );
      nodes.push(marks.length > 0 ? { type: "text", text: op.insert, marks } : { type: "text", text: op.insert });
    }
    return nodes;
  }
  const attrs = item.getAttributes() as Record<string, unknown>;
  const children = item.toArray().filter((child): child is Y.XmlElement | Y.XmlText => child instanceof Y.XmlElement || child instanceof Y.XmlText);
  const hasBlockChildren = children.some((child) => child instanceof Y.XmlElement);
  const content: PmNode[] = [];
  if (hasBlockChildren) {
    for (const child of children) content.push(...nodeOf(child, lines));
  } else {
    const textNodes = children.flatMap((child) => nodeOf(child, lines));
    content.push(...textNodes);
    const text = textNodes.map((node) => node.text ?? "").join("");
    const prefix = item.nodeName === "heading" ? "#".repeat(Number(attrs.level) || 1) + " " : "";
    if (!BLOCKS_WITHOUT_BREAK.has(item.nodeName)) lines.push(prefix + text);
  }
  const node: PmNode = { type: item.nodeName };
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  if (content.length > 0) node.content = content;
  return [node];
}

/** ProseMirror JSON and plain text of a Yjs state (tiptap's fragment name "default"). */
export function notesContentOf(state: Uint8Array): NotesContent {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return notesContentOfDoc(doc);
  } finally {
    doc.destroy();
  }
}

export type NotesContent = { json: unknown; text: string };

/** ProseMirror JSON and plain text of a live Yjs document, read in place. */
export function notesContentOfDoc(doc: Y.Doc): NotesContent {
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const lines: string[] = [];
  const content = fragment
    .toArray()
    .filter((child): child is Y.XmlElement | Y.XmlText => child instanceof Y.XmlElement || child instanceof Y.XmlText)
    .flatMap((child) => nodeOf(child, lines));
  return { json: { type: "doc", content }, text: lines.join("\n").trim() };
}

export type NotesAccess = { decision: "forbidden" | "not_found" } | { decision: "ok"; readOnly: boolean; resource: NotesResource };

/** Who may open a meeting's notes and whether they may write: the meeting's policy and the document's status. */
export async function notesAccess(db: Db, actor: Actor, meetingId: string, status?: NotesStatus): Promise<NotesAccess> {
  const loaded = await loadMeetingResource(db, meetingId);
  if (!loaded) return { decision: "not_found" };
  let current = status;
  if (!current) {
    const [row] = await db.select({ status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
    current = row?.status ?? "open";
  }
  const resource: NotesResource = { type: "notes", meeting: loaded.resource, status: current };
  if (!can(actor, "notes.read", resource)) return { decision: "forbidden" };
  return { decision: "ok", readOnly: !can(actor, "notes.edit", resource), resource };
}
