import { date, index, uniqueIndex, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { agreementGoals, agreementProblems, agreements } from "./agreements";
import { networks } from "./networks";
import { organisations, users } from "./organisations";

export const actionStatus = pgEnum("action_status", ["ej_paborjad", "pagar", "klar", "stoppad"]);

/** The green / yellow / red judgement of an åtgärd. */
export const actionJudgement = pgEnum("action_judgement", ["gron", "gul", "rod"]);

/** Exactly the four fokusområden of domain.md. */
export const focusArea = pgEnum("focus_area", [
  "forebyggande_arbete",
  "riktade_sociala_insatser",
  "stadens_offentliga_miljo",
  "stadsutveckling",
]);

export const perspective = pgEnum("perspective", ["jamstalldhet", "barn", "funktionshinder", "hbtqi", "aldre"]);

export const preventionType = pgEnum("prevention_type", ["social", "situationell"]);

/**
 * A joint action list (åtgärdslista). Belongs to a network, an agreement or only to its owning
 * organisation, and is shared with chosen organisations; its items inherit that sharing.
 */
export const actionLists = pgTable(
  "action_lists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    networkId: uuid("network_id").references(() => networks.id, { onDelete: "set null" }),
    agreementId: uuid("agreement_id").references(() => agreements.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set while the list is archived: read and exported, not changed, left out of digests and start pages. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (table) => [
    index("action_lists_owner").on(table.ownerOrganisationId),
    index("action_lists_shared_with").using("gin", table.sharedWithOrganisationIds),
    index("action_lists_network").on(table.networkId),
    index("action_lists_agreement").on(table.agreementId),
  ],
);

/**
 * One åtgärd, following Brå's action-plan row: orsak → åtgärd → operativt mål → när → vem →
 * uppföljning, with status and a green/yellow/red judgement. Overdue is derived from the
 * deadline and status, never stored. `fieldVersions` holds a version number per field so that
 * two people writing the same field are told instead of one silently overwriting the other.
 */
export const actionItems = pgTable(
  "action_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    listId: uuid("list_id")
      .notNull()
      .references(() => actionLists.id, { onDelete: "cascade" }),
    /** Running number within the list, shown as the row number. */
    number: integer("number").notNull(),
    cause: text("cause").notNull().default(""),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    operationalGoal: text("operational_goal").notNull().default(""),
    startDate: date("start_date"),
    deadline: date("deadline"),
    responsibleOrganisationId: uuid("responsible_organisation_id").references(() => organisations.id),
    contactUserId: uuid("contact_user_id").references(() => users.id, { onDelete: "set null" }),
    contributingOrganisationIds: uuid("contributing_organisation_ids").array().notNull().default([]),
    followUpMethod: text("follow_up_method").notNull().default(""),
    followUpComment: text("follow_up_comment").notNull().default(""),
    status: actionStatus("status").notNull().default("ej_paborjad"),
    judgement: actionJudgement("judgement"),
    judgementReason: text("judgement_reason").notNull().default(""),
    focusArea: focusArea("focus_area"),
    perspectives: perspective("perspectives").array().notNull().default([]),
    preventionType: preventionType("prevention_type"),
    agreementId: uuid("agreement_id").references(() => agreements.id, { onDelete: "set null" }),
    agreementProblemId: uuid("agreement_problem_id").references(() => agreementProblems.id, { onDelete: "set null" }),
    agreementGoalId: uuid("agreement_goal_id").references(() => agreementGoals.id, { onDelete: "set null" }),
    /** Per-field version numbers, e.g. { title: 3, status: 1 }; a missing field is version 0. */
    fieldVersions: jsonb("field_versions").$type<Record<string, number>>().notNull().default({}),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set when the item is removed from the list; kept for history and follow-up. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("action_items_list_number").on(table.listId, table.number),
    index("action_items_responsible").on(table.responsibleOrganisationId),
    index("action_items_contact").on(table.contactUserId),
    index("action_items_deadline").on(table.deadline),
    index("action_items_agreement").on(table.agreementId),
  ],
);
