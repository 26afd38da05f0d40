import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
