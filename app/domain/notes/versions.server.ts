import { and, desc, eq, lte, sql } from "drizzle-orm";
import * as Y from "yjs";
import { z } from "zod";
import type { Db, Queryable, Tx } from "../../../db/client";
import { meetings, notesDocuments, notesVersions, users } from "../../../db/schema";
import { formatDateTime } from "../../format";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";
import { conflict, notFound } from "../http-errors";
import { visibleMeeting } from "../meetings/meetings.server";
import { authorize, can, type Actor } from "../policy";
import { versionKindLabels } from "./labels";
import { applyNotesChange, notesStatusChanged } from "./live.server";
import { ensureNotesDocument, notesContentOf, readNotesState } from "./state.server";

/** The Yjs field the editor binds its document to (tiptap's Collaboration default). */
const NOTES_FIELD = "default";

export { versionKindLabels } from "./labels";

export const VERSION_NOT_FOUND = "Versionen finns inte.";

/** Freezes the document's current state as a named version; call it inside the change's transaction. */
export async function freezeNotesVersion(
  tx: Tx,
  input: { documentId: string; kind: keyof typeof versionKindLabels; name: string; userId: string | null; state?: Uint8Array },
) {
  const state = input.state ?? (await readNotesState(tx, input.documentId));
  const { json, text } = notesContentOf(state);
  const [version] = await tx
    .insert(notesVersions)
    .values({ documentId: input.documentId, kind: input.kind, name: input.name, state, contentJson: json, plainText: text, createdBy: input.userId })
    .returning({ id: notesVersions.id, name: notesVersions.name });
  return version;
}

/** The document row, locked for the rest of the transaction so that status changes and versions happen one at a time. */
export async function lockNotesDocument(tx: Tx, documentId: string) {
  const [row] = await tx.select().from(notesDocuments).where(eq(notesDocuments.id, documentId)).for("update");
  return row;
}

/** The meeting (404 unless the person sees it) and its notes document, created if needed. */
export async function notesOfMeeting(db: Db, actor: Actor, meetingId: string) {
  const loaded = await visibleMeeting(db, actor, meetingId);
  const document = await ensureNotesDocument(db, meetingId);
  return { ...loaded, document };
}

export async function listNotesVersions(db: Db, actor: Actor, meetingId: string) {
  const { meeting, network, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.viewVersions", resource);
  const versions = await db
    .select({ id: notesVersions.id, name: notesVersions.name, kind: notesVersions.kind, createdAt: notesVersions.createdAt, createdBy: users.name })
    .from(notesVersions)
    .leftJoin(users, eq(users.id, notesVersions.createdBy))
    .where(eq(notesVersions.documentId, document.id))
    .orderBy(desc(notesVersions.createdAt), desc(notesVersions.id))
    .limit(500);
  return {
    meeting,
    networkName: network.name,
    status: document.status,
    versions,
    can: { manage: can(actor, "notes.manageVersions", resource), restore: can(actor, "notes.manageVersions", resource) && document.status === "open" },
  };
}

/** One version of this meeting's notes; an id from another meeting's notes is not found. */
export async function getNotesVersion(db: Db, actor: Actor, meetingId: string, versionId: string) {
  const { meeting, network, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.viewVersions", resource);
  const [version] = await db
    .select({ id: notesVersions.id, name: notesVersions.name, kind: notesVersions.kind, createdAt: notesVersions.createdAt, contentJson: notesVersions.contentJson, createdBy: users.name })
    .from(notesVersions)
    .leftJoin(users, eq(users.id, notesVersions.createdBy))
    .where(and(eq(notesVersions.id, versionId), eq(notesVersions.documentId, document.id)));
  if (!version) throw notFound(VERSION_NOT_FOUND);
  return {
    meeting,
    networkName: network.name,
    status: document.status,
    version,
    can: { restore: can(actor, "notes.manageVersions", resource) && document.status === "open" },
  };
}

export const versionNameSchema = z.object({
  name: z
    .string({ error: "Ge versionen ett namn." })
    .trim()
    .min(1, "Ge versionen ett namn.")
    .max(120, "Namnet får vara högst 120 tecken."),
});

/** A version taken by hand, e.g. "Efter arbetsgruppens genomgång". */
export async function takeNotesVersion(db: Db, actor: Actor, meetingId: string, input: z.infer<typeof versionNameSchema>) {
  const { meeting, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.manageVersions", resource);
  const version = await db.transaction(async (tx) => {
    await lockNotesDocument(tx, document.id);
    const created = await freezeNotesVersion(tx, { documentId: document.id, kind: "manual", name: input.name, userId: actor.userId });
    await recordAudit(tx, {
      actor,
      action: "notes.versionTaken",
      entityType: "notes",
      entityId: document.id,
      organisationId: meeting.ownerOrganisationId,
      summary: `Version "${input.name}" av anteckningarna till ${meeting.title} sparades`,
      after: { versionId: created.id, name: input.name },
    });
    return created;
  });
  await notesStatusChanged(meetingId);
  return version;
}

/**
 * The Yjs update that turns the current document into the old content: every current block is
 * deleted and the old blocks are inserted as new items, so connected editors receive it as an
 * ordinary change and the history up to now stays in the stored updates.
 */
export function restoreUpdate(current: Uint8Array, old: Uint8Array): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, current);
  const before = Y.encodeStateVector(doc);
  const oldDoc = new Y.Doc();
  Y.applyUpdate(oldDoc, old);
  const target = doc.getXmlFragment(NOTES_FIELD);
  const source = oldDoc.getXmlFragment(NOTES_FIELD);
  doc.transact(() => {
    if (target.length) target.delete(0, target.length);
    target.insert(0, source.toArray().flatMap((node) => (node instanceof Y.XmlElement || node instanceof Y.XmlText ? [node.clone()] : [])));
  });
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  oldDoc.destroy();
  return update;
}

/** Restores an older version as a new change; the content just before is kept as a version of its own. */
export async function restoreNotesVersion(db: Db, actor: Actor, meetingId: string, versionId: string) {
  const { meeting, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.manageVersions", resource);
  const [version] = await db
    .select({ id: notesVersions.id, name: notesVersions.name, state: notesVersions.state })
    .from(notesVersions)
    .where(and(eq(notesVersions.id, versionId), eq(notesVersions.documentId, document.id)));
  if (!version) throw notFound(VERSION_NOT_FOUND);
  // The content just before is the document as the notes server holds it (changes not yet stored
  // included), and the restore is computed from the same state, so everything it removes is in
  // the version saved first. The transaction ends before the notes server stores the change with
  // its own connection, which must not wait for the row lock held here.
  await applyNotesChange(meetingId, actor.userId, async (current) => {
    await db.transaction(async (tx) => {
      const locked = await lockNotesDocument(tx, document.id);
      if (locked.status !== "open") throw conflict(NOT_OPEN_MESSAGE);
      await freezeNotesVersion(tx, { documentId: document.id, kind: "restore", name: `Före återställning till "${version.name}"`, userId: actor.userId, state: current });
      await recordAudit(tx, {
        actor,
        action: "notes.versionRestored",
        entityType: "notes",
        entityId: document.id,
        organisationId: meeting.ownerOrganisationId,
        summary: `Anteckningarna till ${meeting.title} återställdes till versionen "${version.name}"`,
        after: { versionId: version.id, name: version.name },
      });
    });
    return restoreUpdate(current, version.state);
  });
  await notesStatusChanged(meetingId);
  return { name: version.name };
}

export const NOT_OPEN_MESSAGE = "Anteckningarna är skickade för justering eller justerade och kan inte ändras. Öppna dem igen först.";

/**
 * A version of the notes once each meeting has ended; safe to run twice and from several
 * instances (the document row is locked and the version looked for under the lock).
 */
export async function takeMeetingEndVersions(db: Db, now: Date) {
  const due = await db
    .select({ documentId: notesDocuments.id, title: meetings.title, endsAt: meetings.endsAt, ownerOrganisationId: meetings.ownerOrganisationId })
    .from(notesDocuments)
    .innerJoin(meetings, eq(meetings.id, notesDocuments.meetingId))
    .where(
      and(
        lte(meetings.endsAt, now),
        sql`not exists (select 1 from ${notesVersions} v where v.document_id = ${notesDocuments.id} and v.kind = 'meeting_end')`,
      ),
    )
    .limit(200);
  let taken = 0;
  for (const row of due) {
    const created = await db.transaction(async (tx) => {
      await lockNotesDocument(tx, row.documentId);
      const [existing] = await tx
        .select({ id: notesVersions.id })
        .from(notesVersions)
        .where(and(eq(notesVersions.documentId, row.documentId), eq(notesVersions.kind, "meeting_end")));
      if (existing) return false;
      const version = await freezeNotesVersion(tx, { documentId: row.documentId, kind: "meeting_end", name: `Vid mötets slut ${formatDateTime(row.endsAt)}`, userId: null });
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "notes.versionTaken",
        entityType: "notes",
        entityId: row.documentId,
        organisationId: row.ownerOrganisationId,
        summary: `Version av anteckningarna till ${row.title} sparades när mötet slutade`,
        after: { versionId: version.id, kind: "meeting_end" },
      });
      return true;
    });
    if (created) taken++;
  }
  return taken;
}

export async function versionContent(db: Queryable, documentId: string, versionId: string) {
  const [version] = await db
    .select({ name: notesVersions.name, kind: notesVersions.kind, createdAt: notesVersions.createdAt, contentJson: notesVersions.contentJson })
    .from(notesVersions)
    .where(and(eq(notesVersions.id, versionId), eq(notesVersions.documentId, documentId)));
  if (!version) throw notFound(VERSION_NOT_FOUND);
  return version;
}
