import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { actionItems, actionLists } from "./action-lists";
import { users } from "./organisations";

/**
 * A comment on one åtgärd. The people and organisations it mentions are kept as resolved ids:
 * only those who could see the list when it was written, so that a mention never reaches anyone
 * else.
 */
export const actionItemComments = pgTable(
  "action_item_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    authorName: text("author_name").notNull(),
    body: text("body").notNull(),
    mentionedUserIds: uuid("mentioned_user_ids").array().notNull().default([]),
    mentionedOrganisationIds: uuid("mentioned_organisation_ids").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("action_item_comments_item").on(table.itemId, table.createdAt)],
);

export type ImportMapping = Record<string, number | null>;

/**
 * An uploaded import file waiting for the person to check the preview and confirm. The parsed
 * cells are kept here (not the file) so that the mapping can be changed without uploading again;
 * nothing reaches the list until the person confirms. Expires after a day.
 */
export const actionImports = pgTable(
  "action_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    listId: uuid("list_id")
      .notNull()
      .references(() => actionLists.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    /** Notes about the file itself, e.g. that it was read as Windows-1252. */
    fileNotes: jsonb("file_notes").$type<string[]>().notNull().default([]),
    headers: jsonb("headers").$type<string[]>().notNull(),
    rows: jsonb("rows").$type<string[][]>().notNull(),
    mapping: jsonb("mapping").$type<ImportMapping>().notNull(),
    rowCount: integer("row_count").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (table) => [index("action_imports_list").on(table.listId)],
);

/**
 * One row per ISO week whose Monday digest has been queued for everyone. A week without a row
 * is (still) due; the digest mails themselves carry a key per person and week.
 */
export const actionDigestWeeks = pgTable("action_digest_weeks", {
  isoWeek: text("iso_week").primaryKey(),
  completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
  mails: integer("mails").notNull().default(0),
});
