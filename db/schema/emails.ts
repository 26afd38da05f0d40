import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const emailStatus = pgEnum("email_status", ["queued", "sending", "sent", "dead"]);
export const emailTransport = pgEnum("email_transport", ["resend", "outbox"]);

/**
 * One row per mail. Props hold what the template needs to be rendered again at send time;
 * secrets (sign-in links) are derived at render time and never stored.
 */
export const emails = pgTable(
  "emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    template: text("template").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    props: jsonb("props").$type<Record<string, unknown>>().notNull(),
    status: emailStatus("status").notNull().default("queued"),
    transport: emailTransport("transport").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (table) => [index("emails_status").on(table.status), index("emails_created").on(table.createdAt)],
);
