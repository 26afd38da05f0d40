import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { meetings } from "./meetings";
import { users } from "./organisations";

/**
 * Invitations a coordinator withdrew. The invitation row is deleted (so every list of invitees
 * stays as it was) and kept here under its old id: the withdrawal mail is built from it at send
 * time and the person's old answer links get a clear answer instead of "not found".
 */
export const removedMeetingInvitees = pgTable(
  "removed_meeting_invitees",
  {
    /** The id the invitation had; the answer links carry it. */
    id: uuid("id").primaryKey(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    removedBy: uuid("removed_by").references(() => users.id, { onDelete: "set null" }),
    removedAt: timestamp("removed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("removed_meeting_invitees_meeting").on(table.meetingId)],
);
