import { bigserial, index, pgEnum, pgTable, text, timestamp, uuid, jsonb, bigint } from "drizzle-orm/pg-core";
import { bytea } from "./columns";
import { meetings } from "./meetings";
import { users } from "./organisations";

/** open: being written · for_approval: sent to the justerare · approved: read-only minutes. */
export const notesStatus = pgEnum("notes_status", ["open", "for_approval", "approved"]);

export const notesVersionKind = pgEnum("notes_version_kind", ["approval", "meeting_end", "manual", "restore"]);

/**
 * The notes (minnesanteckningar) of one meeting: a Yjs document. Its state is the snapshot plus
 * every row of notes_updates with id > snapshot_through_update_id. Ownership and sharing are
 * the meeting's.
 */
export const notesDocuments = pgTable("notes_documents", {
  id: uuid("id").primaryKey().defaultRandom(),
  meetingId: uuid("meeting_id")
    .notNull()
    .unique()
    .references(() => meetings.id, { onDelete: "cascade" }),
  status: notesStatus("status").notNull().default("open"),
  /** Merged Yjs state (Y.encodeStateAsUpdate) of every update up to snapshot_through_update_id. */
  snapshot: bytea("snapshot"),
  snapshotThroughUpdateId: bigint("snapshot_through_update_id", { mode: "number" }).notNull().default(0),
  /** Plain-text and ProseMirror JSON copies for search and export, refreshed after changes. */
  plainText: text("plain_text").notNull().default(""),
  contentJson: jsonb("content_json"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only Yjs updates; an update is acknowledged to its sender only after its row committed. */
export const notesUpdates = pgTable(
  "notes_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => notesDocuments.id, { onDelete: "cascade" }),
    data: bytea("data").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("notes_updates_document").on(table.documentId, table.id)],
);

/** A named, frozen version of the notes (at approval, at the end of a meeting, or by hand). */
export const notesVersions = pgTable(
  "notes_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => notesDocuments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: notesVersionKind("kind").notNull(),
    state: bytea("state").notNull(),
    contentJson: jsonb("content_json"),
    plainText: text("plain_text").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("notes_versions_document").on(table.documentId, table.createdAt)],
);
