import { integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { notesDocuments, notesVersions } from "./notes";
import { users } from "./organisations";

/**
 * One round of approval (justering) of a meeting's notes: sent by a coordinator to chosen
 * approvers, ended either by the last approval or by a reopening with a reason.
 */
export const notesApprovalRounds = pgTable(
  "notes_approval_rounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => notesDocuments.id, { onDelete: "cascade" }),
    /** 1, 2, … per document; the highest is the current round. */
    round: integer("round").notNull(),
    sentBy: uuid("sent_by").references(() => users.id, { onDelete: "set null" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    /** The version frozen when the last approver approved. */
    approvalVersionId: uuid("approval_version_id").references(() => notesVersions.id, { onDelete: "set null" }),
    reopenedBy: uuid("reopened_by").references(() => users.id, { onDelete: "set null" }),
    reopenedAt: timestamp("reopened_at", { withTimezone: true }),
    reopenReason: text("reopen_reason"),
  },
  (table) => [uniqueIndex("notes_approval_rounds_round").on(table.documentId, table.round)],
);

export const notesApproverStatus = pgEnum("notes_approver_status", ["pending", "approved", "commented"]);

/** A justerare of one round: pending until they approve, or comment (which the coordinator sees). */
export const notesApprovers = pgTable(
  "notes_approvers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => notesApprovalRounds.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: notesApproverStatus("status").notNull().default("pending"),
    comment: text("comment").notNull().default(""),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("notes_approvers_round_user").on(table.roundId, table.userId)],
);
