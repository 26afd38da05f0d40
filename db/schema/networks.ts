import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";

export const networkRole = pgEnum("network_role", ["samordnare", "medlem"]);

/** A city-wide network (nätverk): owned by one organisation, shared with others. */
export const networks = pgTable(
  "networks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    purpose: text("purpose").notNull().default(""),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("networks_owner").on(table.ownerOrganisationId),
    index("networks_shared_with").using("gin", table.sharedWithOrganisationIds),
  ],
);

export const networkMembers = pgTable(
  "network_members",
  {
    networkId: uuid("network_id")
      .notNull()
      .references(() => networks.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: networkRole("role").notNull().default("medlem"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.networkId, table.userId] }), index("network_members_user").on(table.userId)],
);
