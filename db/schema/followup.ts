import { date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { actionItems, actionJudgement, actionStatus } from "./action-lists";
import { agreementGoals, agreements } from "./agreements";
import { users } from "./organisations";

// ---------------------------------------------------------------------------------------------
// The follow-up cycle.

/** T1 (jan–apr), T2 (maj–aug, delårsbokslut 31 augusti) and the yearly verksamhetsberättelse. */
export const followupPeriodKind = pgEnum("followup_period_kind", ["t1", "t2", "verksamhetsberattelse"]);

export const goalJudgement = pgEnum("goal_judgement", ["uppnas_helt", "uppnas_delvis", "uppnas_inte"]);

/**
 * One follow-up period of an agreement. The owners of its åtgärder are asked at `requestAt` and,
 * if they have not updated, reminded at `reminderAt`; `nextScanAt` is the first moment the scan
 * has work for the period (null when both have gone out), like a meeting's `next_reminder_at`.
 */
export const followupPeriods = pgTable(
  "followup_periods",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    kind: followupPeriodKind("kind").notNull(),
    year: integer("year").notNull(),
    /** The last day owners may update (Stockholm date). */
    deadline: date("deadline").notNull(),
    requestAt: timestamp("request_at", { withTimezone: true }).notNull(),
    reminderAt: timestamp("reminder_at", { withTimezone: true }).notNull(),
    requestsQueuedAt: timestamp("requests_queued_at", { withTimezone: true }),
    remindersQueuedAt: timestamp("reminders_queued_at", { withTimezone: true }),
    nextScanAt: timestamp("next_scan_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("followup_periods_agreement_kind_year").on(table.agreementId, table.kind, table.year),
    index("followup_periods_next_scan").on(table.nextScanAt),
  ],
);

/** An owner's update of one åtgärd for one period: the status and judgement they reported then. */
export const followupItemUpdates = pgTable(
  "followup_item_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    periodId: uuid("period_id")
      .notNull()
      .references(() => followupPeriods.id, { onDelete: "cascade" }),
    actionItemId: uuid("action_item_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    status: actionStatus("status").notNull(),
    judgement: actionJudgement("judgement").notNull(),
    judgementReason: text("judgement_reason").notNull().default(""),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("followup_item_updates_period_item").on(table.periodId, table.actionItemId)],
);

/** The judgement of one goal for one period (uppnås helt / delvis / inte) with its reasoning. */
export const followupGoalJudgements = pgTable(
  "followup_goal_judgements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    periodId: uuid("period_id")
      .notNull()
      .references(() => followupPeriods.id, { onDelete: "cascade" }),
    goalId: uuid("goal_id")
      .notNull()
      .references(() => agreementGoals.id, { onDelete: "cascade" }),
    judgement: goalJudgement("judgement").notNull(),
    reasoning: text("reasoning").notNull(),
    judgedBy: uuid("judged_by").references(() => users.id, { onDelete: "set null" }),
    judgedAt: timestamp("judged_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("followup_goal_judgements_period_goal").on(table.periodId, table.goalId)],
);
