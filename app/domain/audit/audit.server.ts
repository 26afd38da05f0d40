import { and, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { auditEvents, type AuditChanges } from "../../../db/schema";
import { can, type Actor } from "../policy";

export type AuditInput = {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  organisationId?: string | null;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Writes one audit event; call it with the transaction that makes the change. */
export async function recordAudit(tx: Queryable, input: AuditInput) {
  const changes: AuditChanges = {};
  if (input.before !== undefined) changes.before = input.before;
  if (input.after !== undefined) changes.after = input.after;
  await tx.insert(auditEvents).values({
    actorUserId: input.actor.userId === SYSTEM_ACTOR.userId ? null : input.actor.userId,
    actorLabel: input.actor.name,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    organisationId: input.organisationId ?? null,
    summary: input.summary,
    changes,
  });
}

/** The actor for jobs and the operator's command line. */
export const SYSTEM_ACTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  name: "System",
  isSystemAdmin: true,
  memberships: [],
};

/** Only the fields that changed, for a compact before/after summary. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const beforeOut: Record<string, unknown> = {};
  const afterOut: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      beforeOut[key] = before[key];
      afterOut[key] = after[key];
    }
  }
  return { before: beforeOut, after: afterOut, changed: Object.keys(afterOut) };
}

export type AuditFilter = {
  query?: string;
  action?: string;
  organisationId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
};

export const AUDIT_PAGE_SIZE = 50;

/** Events the actor may read: all for a system admin, their organisations' for an org admin. */
export async function listAuditEvents(db: Queryable, actor: Actor, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (!can(actor, "system.viewAudit", { type: "system" })) {
    const adminOf = actor.memberships
      .filter((membership) => can(actor, "organisation.viewAudit", { type: "organisation", id: membership.organisationId }))
      .map((membership) => membership.organisationId);
    if (adminOf.length === 0) return [];
    conditions.push(inArray(auditEvents.organisationId, adminOf));
  }
  if (filter.organisationId) conditions.push(eq(auditEvents.organisationId, filter.organisationId));
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.from) conditions.push(gte(auditEvents.occurredAt, filter.from));
  if (filter.to) conditions.push(lt(auditEvents.occurredAt, filter.to));
  if (filter.beforeId) conditions.push(lt(auditEvents.id, filter.beforeId));
  if (filter.query) {
    const pattern = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(auditEvents.summary, pattern), ilike(auditEvents.actorLabel, pattern))!);
  }
  return db
    .select()
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : sql`true`)
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE);
}

export async function listAuditActions(db: Queryable) {
  const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(auditEvents.action);
  return rows.map((row) => row.action);
}
