import { boolean, date, doublePrecision, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { actionItems, actionJudgement, actionStatus } from "./action-lists";
import { agreementGoals, agreements } from "./agreements";
import { organisations, users } from "./organisations";

// ---------------------------------------------------------------------------------------------
// Indicators and medborgarlöften: the minimal shape the follow-up report reads.

export const indicatorDirection = pgEnum("indicator_direction", ["hogre_ar_battre", "lagre_ar_battre"]);

/** A measurable indicator of an agreement goal: unit, baseline, target and which way is better. */
export const agreementIndicators = pgTable(
  "agreement_indicators",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    goalId: uuid("goal_id")
      .notNull()
      .references(() => agreementGoals.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    unit: text("unit").notNull().default(""),
    baseline: doublePrecision("baseline"),
    target: doublePrecision("target"),
    direction: indicatorDirection("direction").notNull().default("hogre_ar_battre"),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("agreement_indicators_goal").on(table.goalId, table.position), index("agreement_indicators_agreement").on(table.agreementId)],
);

/** One value of an indicator for one period, e.g. "2026-T1" or "2026". */
export const indicatorMeasurements = pgTable(
  "indicator_measurements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    indicatorId: uuid("indicator_id")
      .notNull()
      .references(() => agreementIndicators.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    /** The last day of the measured period; orders the series and decides what a report includes. */
    periodEnd: date("period_end").notNull(),
    value: doublePrecision("value").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("indicator_measurements_period").on(table.indicatorId, table.period)],
);

/** A yearly medborgarlöfte for a local area, with a quantified target counted by its occurrences. */
export const citizenPromises = pgTable(
  "citizen_promises",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id").references(() => agreements.id, { onDelete: "set null" }),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    year: integer("year").notNull(),
    area: text("area").notNull().default(""),
    title: text("title").notNull(),
    /** How many occurrences fulfil the promise, e.g. 40 (of 52 weeks). */
    targetCount: integer("target_count").notNull(),
    targetDescription: text("target_description").notNull().default(""),
    published: boolean("published").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("citizen_promises_agreement").on(table.agreementId, table.year)],
);

/** One logged occurrence that counts towards a medborgarlöfte. */
export const citizenPromiseOccurrences = pgTable(
  "citizen_promise_occurrences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    promiseId: uuid("promise_id")
      .notNull()
      .references(() => citizenPromises.id, { onDelete: "cascade" }),
    occurredOn: date("occurred_on").notNull(),
    note: text("note").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("citizen_promise_occurrences_promise").on(table.promiseId, table.occurredOn)],
);

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
