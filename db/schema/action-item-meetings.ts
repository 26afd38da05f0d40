import { index, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { actionItems } from "./action-lists";
import { meetings } from "./meetings";
import { users } from "./organisations";

/**
 * Where an åtgärd was discussed: one row per item and meeting, written when a task line in the
 * meeting's notes is turned into the item. The item page lists these meetings (for those who may
 * see them); the notes keep the item's id on the task line itself.
 */
export const actionItemMeetings = pgTable(
  "action_item_meetings",
  {
    actionItemId: uuid("action_item_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  },
  (table) => [primaryKey({ columns: [table.actionItemId, table.meetingId] }), index("action_item_meetings_meeting").on(table.meetingId)],
);
