import { sql } from "drizzle-orm";
import { boolean, index, uniqueIndex, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const organisationType = pgEnum("organisation_type", [
  "stad_central",
  "stadsdelsnamnd",
  "facknamnd_bolag",
  "polis",
  "region_stat",
  "civilsamhalle",
  "naringsliv",
]);

export const membershipRole = pgEnum("membership_role", ["admin", "samordnare", "medlem"]);

export const userStatus = pgEnum("user_status", ["invited", "active", "deactivated", "anonymised"]);

export const organisations = pgTable("organisations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  type: organisationType("type").notNull(),
  parentId: uuid("parent_id"),
  description: text("description").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type NotificationSettings = {
  meetingReminders: boolean;
  actionDigest: boolean;
  mentions: boolean;
};

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-cased; unique among people who have not been anonymised. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    title: text("title").notNull().default(""),
    phone: text("phone").notNull().default(""),
    isSystemAdmin: boolean("is_system_admin").notNull().default(false),
    status: userStatus("status").notNull().default("invited"),
    notificationSettings: jsonb("notification_settings")
      .$type<NotificationSettings>()
      .notNull()
      .default({ meetingReminders: true, actionDigest: true, mentions: true }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email).where(sql`status <> 'anonymised'`)],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    role: membershipRole("role").notNull().default("medlem"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.organisationId] }), index("memberships_org").on(table.organisationId)],
);
