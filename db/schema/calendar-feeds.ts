import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./organisations";

/**
 * A person's calendar subscription. The URL's secret is derived from `nonce` with the server key
 * and only its hash is kept here, so the table alone opens no feed; a new nonce revokes the old URL.
 */
export const calendarFeeds = pgTable("calendar_feeds", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  nonce: text("nonce").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
