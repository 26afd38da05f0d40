import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type AuditChanges = { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };

/** Append-only: a trigger in the migrations refuses UPDATE and DELETE. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    /** Who acted, as shown then; "system" for jobs and the admin command. */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    organisationId: uuid("organisation_id"),
    summary: text("summary").notNull(),
    changes: jsonb("changes").$type<AuditChanges>().notNull().default({}),
  },
  (table) => [
    index("audit_events_occurred").on(table.occurredAt),
    index("audit_events_entity").on(table.entityType, table.entityId),
    index("audit_events_org").on(table.organisationId),
  ],
);
