import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { kunskapsdagar } from "./kunskapsdagar";

/**
 * An anonymous evaluation answer. It holds no reference to the person or the registration: only
 * the day, the 1–5 scores and the free text. The day (not the moment) it was given is kept, so
 * the order of answers cannot be matched against the markers.
 */
export const kunskapsdagEvaluationAnswers = pgTable(
  "kunskapsdag_evaluation_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    overall: integer("overall").notNull(),
    content: integer("content").notNull(),
    speakers: integer("speakers").notNull(),
    organisation: integer("organisation").notNull(),
    comment: text("comment").notNull().default(""),
    answeredOn: text("answered_on").notNull(),
  },
  (table) => [index("kunskapsdag_evaluation_answers_day").on(table.kunskapsdagId)],
);

/**
 * "This link has been used": a keyed hash of the registration, so a link answers once, without
 * the answer pointing back to anyone. The hash cannot be computed without the portal's secret.
 */
export const kunskapsdagEvaluationMarkers = pgTable("kunskapsdag_evaluation_markers", {
  marker: text("marker").primaryKey(),
  kunskapsdagId: uuid("kunskapsdag_id")
    .notNull()
    .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
});
