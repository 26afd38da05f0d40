import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { kunskapsdagar, kunskapsdagRegistrations, registrationStatus } from "./kunskapsdagar";
import { users } from "./organisations";

/**
 * An organiser's manual move of a registration (waitlist → seat, seat → waitlist, or to another
 * waitlist place), with the reason given. Shown as the row's history on the overview; the same
 * facts go to the audit log. The reason is cleared when the day's participants are anonymised.
 */
export const kunskapsdagRegistrationMoves = pgTable(
  "kunskapsdag_registration_moves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => kunskapsdagRegistrations.id, { onDelete: "cascade" }),
    movedBy: uuid("moved_by").references(() => users.id, { onDelete: "set null" }),
    /** The organiser's name when the move was made. */
    movedByName: text("moved_by_name").notNull(),
    fromStatus: registrationStatus("from_status").notNull(),
    /** The waitlist place before the move (null when the person had a seat). */
    fromPosition: integer("from_position"),
    toStatus: registrationStatus("to_status").notNull(),
    /** The waitlist place after the move (null when the person got a seat). */
    toPosition: integer("to_position"),
    reason: text("reason").notNull(),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("kunskapsdag_registration_moves_registration").on(table.registrationId, table.movedAt), index("kunskapsdag_registration_moves_day").on(table.kunskapsdagId)],
);
