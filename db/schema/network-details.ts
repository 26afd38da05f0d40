import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { networks } from "./networks";
import { users } from "./organisations";

/**
 * A network's external contact: a name and an e-mail address, no account. Contacts get the
 * network's meeting invitations like members but never sign in.
 */
export const networkContacts = pgTable(
  "network_contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    networkId: uuid("network_id")
      .notNull()
      .references(() => networks.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("network_contacts_email").on(table.networkId, sql`lower(${table.email})`)],
);

/** A titled link (a document, a shared folder, a web page) on a network's page. */
export const networkLinks = pgTable(
  "network_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    networkId: uuid("network_id")
      .notNull()
      .references(() => networks.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    url: text("url").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("network_links_network").on(table.networkId, table.createdAt)],
);
