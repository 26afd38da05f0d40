import { date, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";

export const agreementLevel = pgEnum("agreement_level", ["stadsovergripande", "lokal"]);

export const agreementStatus = pgEnum("agreement_status", ["utkast", "for_beslut", "gallande", "upphord"]);

/**
 * A samverkansöverenskommelse. City-wide (stadsledningskontoret + Polisregion Stockholm) or
 * local (a stadsdelsnämnd + its lokalpolisområde). The parties see it; the central level sees
 * every agreement. Owned by one organisation and shared with its parties.
 */
export const agreements = pgTable(
  "agreements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    level: agreementLevel("level").notNull(),
    status: agreementStatus("status").notNull().default("utkast"),
    /** Year the agreement period starts and ends (inclusive), e.g. 2024–2027. */
    periodStartYear: integer("period_start_year").notNull(),
    periodEndYear: integer("period_end_year").notNull(),
    /** For a local agreement: the city-wide agreement it sits under. */
    parentAgreementId: uuid("parent_agreement_id"),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The parties other than the owner; the agreement is shared with them. */
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("agreements_owner").on(table.ownerOrganisationId),
    index("agreements_shared_with").using("gin", table.sharedWithOrganisationIds),
  ],
);

/** A prioritised problem of an agreement with its probable causes. Ids stay stable across revisions. */
export const agreementProblems = pgTable(
  "agreement_problems",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    probableCauses: text("probable_causes").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("agreement_problems_agreement").on(table.agreementId, table.position)],
);

/** A delimited, measurable goal of an agreement, optionally tied to one of its problems. */
export const agreementGoals = pgTable(
  "agreement_goals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    problemId: uuid("problem_id").references(() => agreementProblems.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("agreement_goals_agreement").on(table.agreementId, table.position)],
);

// ---------------------------------------------------------------------------------------------
// Brå's required content, parties, revisions, the five steps, indicators and medborgarlöften.

/** A source behind the lägesbild, e.g. Trygghet på karta or the city's safety survey. */
export type AgreementSourceLink = { label: string; url: string };

/**
 * The working copy of an agreement's structured content (Brå): lägesbild summary with its
 * sources, how the work is documented and how follow-up is done. Problems, goals and
 * signatories are rows of their own. A decided version is a frozen snapshot in
 * `agreement_revisions`; these columns are what the next version is drafted in.
 */
export const agreementContent = pgTable("agreement_content", {
  agreementId: uuid("agreement_id")
    .primaryKey()
    .references(() => agreements.id, { onDelete: "cascade" }),
  situationSummary: text("situation_summary").notNull().default(""),
  sourceLinks: jsonb("source_links").$type<AgreementSourceLink[]>().notNull().default([]),
  documentationMethod: text("documentation_method").notNull().default(""),
  followUpMethod: text("follow_up_method").notNull().default(""),
  /** The local area a local agreement covers, e.g. "Järva". */
  localArea: text("local_area").notNull().default(""),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A person who signs the agreement for one of its parties. */
export const agreementSignatories = pgTable(
  "agreement_signatories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    title: text("title").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (table) => [index("agreement_signatories_agreement").on(table.agreementId, table.position)],
);

/** The content of one version, as stored in a revision's snapshot. */
export type AgreementSnapshot = {
  title: string;
  periodStartYear: number;
  periodEndYear: number;
  localArea: string;
  situationSummary: string;
  sourceLinks: AgreementSourceLink[];
  documentationMethod: string;
  followUpMethod: string;
  parties: Array<{ id: string; name: string }>;
  signatories: Array<{ organisationName: string; name: string; title: string }>;
  problems: Array<{ id: string; title: string; description: string; probableCauses: string }>;
  goals: Array<{ id: string; problemId: string | null; title: string; description: string }>;
};

/**
 * One version of an agreement. A draft (decided_at null) has no snapshot yet; deciding it
 * ("fastställ") stores the working copy's snapshot and freezes the row: the database refuses
 * any later change or deletion (see the migration `agreement_revisions_frozen`).
 */
export const agreementRevisions = pgTable(
  "agreement_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "restrict" }),
    number: integer("number").notNull(),
    snapshot: jsonb("snapshot").$type<AgreementSnapshot>(),
    /** What changed, in the words of the person who decided it. */
    decisionNote: text("decision_note").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set when the draft is put forward for decision (för beslut); cleared by a later edit. */
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("agreement_revisions_number").on(table.agreementId, table.number)],
);

/** One "klart när" criterion of one of Brå's five steps, with its owner and date. */
export const agreementStepCriteria = pgTable(
  "agreement_step_criteria",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    /** 1 Initiera samverkan … 5 Uppföljning. */
    step: integer("step").notNull(),
    position: integer("position").notNull().default(0),
    text: text("text").notNull(),
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    dueDate: date("due_date"),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    completedBy: uuid("completed_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("agreement_step_criteria_agreement").on(table.agreementId, table.step, table.position)],
);

export const indicatorDirection = pgEnum("indicator_direction", ["hogre_ar_battre", "lagre_ar_battre"]);

/** A measurable indicator of a goal: unit, baseline, target and which way is better. */
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
    unit: text("unit").notNull(),
    baselineValue: doublePrecision("baseline_value").notNull(),
    /** The period the baseline was measured in, e.g. "2023". */
    baselinePeriod: text("baseline_period").notNull(),
    targetValue: doublePrecision("target_value").notNull(),
    direction: indicatorDirection("direction").notNull(),
    source: text("source").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("agreement_indicators_goal").on(table.goalId, table.position), index("agreement_indicators_agreement").on(table.agreementId)],
);

/**
 * One measured value of an indicator for a period: a year ("2025"), a tertial ("2025-T1"),
 * a quarter ("2025-Q3") or a month ("2025-03"). One value per indicator and period.
 */
export const agreementMeasurements = pgTable(
  "agreement_measurements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    indicatorId: uuid("indicator_id")
      .notNull()
      .references(() => agreementIndicators.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    value: doublePrecision("value").notNull(),
    comment: text("comment").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("agreement_measurements_period").on(table.indicatorId, table.period)],
);

/**
 * A medborgarlöfte: a yearly, public promise by the police and the stadsdelsnämnd for a local
 * area, with a quantified target ("minst 40 av 52 veckor": count 40, unit "veckor", of 52).
 * Owned by one party and shared with the other; public only while published.
 */
export const citizenPromises = pgTable(
  "citizen_promises",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agreementId: uuid("agreement_id").references(() => agreements.id, { onDelete: "set null" }),
    year: integer("year").notNull(),
    localArea: text("local_area").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    targetCount: integer("target_count").notNull(),
    targetUnit: text("target_unit").notNull(),
    /** "of N", e.g. 52 weeks; null when the target is a plain count. */
    targetOf: integer("target_of"),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("citizen_promises_owner").on(table.ownerOrganisationId),
    index("citizen_promises_shared_with").using("gin", table.sharedWithOrganisationIds),
    index("citizen_promises_agreement").on(table.agreementId),
  ],
);

/** One logged occurrence that counts towards a promise (a helginsats, a trygghetsvandring). */
export const citizenPromiseOccurrences = pgTable(
  "citizen_promise_occurrences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    promiseId: uuid("promise_id")
      .notNull()
      .references(() => citizenPromises.id, { onDelete: "cascade" }),
    occurredOn: date("occurred_on").notNull(),
    /** How many units this occurrence counts for; usually 1. */
    quantity: integer("quantity").notNull().default(1),
    /** Internal note; never shown on the public page. */
    note: text("note").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("citizen_promise_occurrences_promise").on(table.promiseId, table.occurredOn)],
);
