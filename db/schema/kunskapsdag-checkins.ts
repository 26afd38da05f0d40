import { index, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./organisations";
import { kunskapsdagar, kunskapsdagRegistrations } from "./kunskapsdagar";

/**
 * Who was present on a kunskapsdag: one row per checked-in registration. Checking in twice is a
 * no-op (the primary key), and unticking deletes the row, so concurrent organisers never conflict.
 */
export const kunskapsdagCheckins = pgTable(
  "kunskapsdag_checkins",
  {
    registrationId: uuid("registration_id")
      .primaryKey()
      .references(() => kunskapsdagRegistrations.id, { onDelete: "cascade" }),
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull().defaultNow(),
    checkedInBy: uuid("checked_in_by").references(() => users.id, { onDelete: "set null" }),
  },
  (table) => [index("kunskapsdag_checkins_day").on(table.kunskapsdagId)],
);
