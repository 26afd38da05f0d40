import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import {
  actionItems,
  actionLists,
  agreementGoals,
  agreementIndicators,
  agreementProblems,
  agreements,
  citizenPromiseOccurrences,
  citizenPromises,
  emails,
  followupGoalJudgements,
  followupItemUpdates,
  followupPeriods,
  agreementMeasurements,
  memberships,
  organisations,
  users,
} from "../../../db/schema";
import { notFound } from "../http-errors";
import { stockholmToUtc } from "../meetings/time";
import type { AgreementResource, FollowupItemResource } from "../policy";
import { periodEndDate, periodRange } from "./labels";
import type { ReportSource } from "./report";

/**
 * Every read the follow-up makes of agreements, åtgärder, indicators and medborgarlöften lives
 * here, so that the report follows these tables wherever they go.
 */

export async function centralOrganisationIds(db: Queryable) {
  const rows = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.type, "stad_central"));
  return rows.map((row) => row.id);
}

/** The agreement and the resource the policy judges; 404 when there is no such agreement. */
export async function loadAgreement(db: Queryable, agreementId: string) {
  const [agreement] = await db.select().from(agreements).where(eq(agreements.id, agreementId));
  if (!agreement) throw notFound();
  const resource: AgreementResource = {
    type: "agreement",
    ownerOrganisationId: agreement.ownerOrganisationId,
    sharedWithOrganisationIds: agreement.sharedWithOrganisationIds,
    centralOrganisationIds: await centralOrganisationIds(db),
  };
  return { agreement, resource };
}

export async function loadPeriod(db: Queryable, agreementId: string, periodId: string) {
  const [period] = await db
    .select()
    .from(followupPeriods)
    .where(and(eq(followupPeriods.id, periodId), eq(followupPeriods.agreementId, agreementId)));
  if (!period) throw notFound();
  return period;
}

/** The åtgärder of an agreement: linked directly, or on an action list that belongs to it. */
function agreementItemsWhere(agreementId: string) {
  return and(
    isNull(actionItems.deletedAt),
    sql`(${actionItems.agreementId} = ${agreementId} or ${actionLists.agreementId} = ${agreementId})`,
  );
}

export type OwnedItem = { id: string; number: number; title: string; listTitle: string; status: typeof actionItems.$inferSelect.status; judgement: typeof actionItems.$inferSelect.judgement; judgementReason: string; resource: FollowupItemResource };

/** The agreement's åtgärder with who answers for them in the follow-up. */
export async function agreementItems(db: Queryable, agreementId: string, agreement: FollowupItemResource["agreement"]): Promise<OwnedItem[]> {
  const rows = await db
    .select({
      id: actionItems.id,
      number: actionItems.number,
      title: actionItems.title,
      listTitle: actionLists.title,
      status: actionItems.status,
      judgement: actionItems.judgement,
      judgementReason: actionItems.judgementReason,
      contactUserId: actionItems.contactUserId,
      responsibleOrganisationId: actionItems.responsibleOrganisationId,
    })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(agreementItemsWhere(agreementId))
    .orderBy(asc(actionLists.title), asc(actionItems.number));
  return rows.map(({ contactUserId, responsibleOrganisationId, ...row }) => ({
    ...row,
    resource: { type: "followupItem", contactUserId, responsibleOrganisationId, agreement },
  }));
}

/**
 * Who is asked about each åtgärd: its contact person while their account is in use, otherwise
 * the samordnare of its responsible organisation. Returns owner → item ids.
 */
export async function ownersOfItems(db: Queryable, agreementId: string) {
  const rows = await db
    .select({ id: actionItems.id, contactUserId: actionItems.contactUserId, contactStatus: users.status, responsibleOrganisationId: actionItems.responsibleOrganisationId })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .leftJoin(users, eq(users.id, actionItems.contactUserId))
    .where(agreementItemsWhere(agreementId));
  const owners = new Map<string, string[]>();
  const add = (userId: string, itemId: string) => owners.set(userId, [...(owners.get(userId) ?? []), itemId]);
  const withoutContact = rows.filter((row) => !row.contactUserId || !(row.contactStatus === "active" || row.contactStatus === "invited"));
  for (const row of rows) if (!withoutContact.includes(row)) add(row.contactUserId!, row.id);
  const organisationIds = [...new Set(withoutContact.map((row) => row.responsibleOrganisationId).filter((id): id is string => Boolean(id)))];
  if (organisationIds.length) {
    const coordinators = await db
      .select({ userId: memberships.userId, organisationId: memberships.organisationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(inArray(memberships.organisationId, organisationIds), eq(memberships.role, "samordnare"), eq(users.status, "active")));
    for (const row of withoutContact) {
      for (const coordinator of coordinators) if (coordinator.organisationId === row.responsibleOrganisationId) add(coordinator.userId, row.id);
    }
  }
  return owners;
}

/** The idempotency key of an owner's request for a period: the queued mail is the record that they were asked. */
export function followupRequestKey(periodId: string, userId: string) {
  return `followup-request:${periodId}:${userId}`;
}

/** A day (YYYY-MM-DD) so many days later, or earlier for a negative count. */
export function addDaysToDate(date: string, days: number) {
  const value = new Date(`${date}T12:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** The end of the deadline day in Stockholm: until then, new owners are still asked. */
export function followupClosesAt(deadline: string) {
  return stockholmToUtc(addDaysToDate(deadline, 1), "00:00")!;
}

export type OwnerRequest = { askedAt: Date; status: typeof emails.$inferSelect.status };

/** For each period, which of these people have been asked (their request is queued or sent), and when: one query. */
export async function requestsOfPeriods(db: Queryable, periodIds: readonly string[], userIds: readonly string[]) {
  const asked = new Map<string, Map<string, OwnerRequest>>(periodIds.map((periodId) => [periodId, new Map()]));
  if (periodIds.length === 0 || userIds.length === 0) return asked;
  const byKey = new Map(periodIds.flatMap((periodId) => userIds.map((userId) => [followupRequestKey(periodId, userId), { periodId, userId }] as const)));
  const rows = await db
    .select({ key: emails.idempotencyKey, createdAt: emails.createdAt, status: emails.status })
    .from(emails)
    .where(inArray(emails.idempotencyKey, [...byKey.keys()]));
  for (const row of rows) {
    const { periodId, userId } = byKey.get(row.key!)!;
    asked.get(periodId)!.set(userId, { askedAt: row.createdAt, status: row.status });
  }
  return asked;
}

/** Which of these people have been asked for the period, and when. */
export async function requestedOwners(db: Queryable, periodId: string, userIds: readonly string[]) {
  return (await requestsOfPeriods(db, [periodId], userIds)).get(periodId)!;
}

/** Everything the report counts, read in a handful of queries (no per-row lookups). */
export async function loadReportSource(db: Queryable, agreementId: string, periodId: string): Promise<ReportSource> {
  const { agreement } = await loadAgreement(db, agreementId);
  const period = await loadPeriod(db, agreementId, periodId);
  const problems = await db
    .select({ id: agreementProblems.id, title: agreementProblems.title })
    .from(agreementProblems)
    .where(eq(agreementProblems.agreementId, agreementId))
    .orderBy(asc(agreementProblems.position), asc(agreementProblems.createdAt));
  const goals = await db
    .select({ id: agreementGoals.id, title: agreementGoals.title, problemId: agreementGoals.problemId })
    .from(agreementGoals)
    .where(eq(agreementGoals.agreementId, agreementId))
    .orderBy(asc(agreementGoals.position), asc(agreementGoals.createdAt));
  const itemRows = await db
    .select({
      id: actionItems.id,
      number: actionItems.number,
      listTitle: actionLists.title,
      title: actionItems.title,
      responsible: sql<string>`coalesce(${organisations.name}, '')`,
      status: actionItems.status,
      judgement: actionItems.judgement,
      judgementReason: actionItems.judgementReason,
      focusArea: actionItems.focusArea,
      perspectives: actionItems.perspectives,
      goalId: actionItems.agreementGoalId,
      updateStatus: followupItemUpdates.status,
      updateJudgement: followupItemUpdates.judgement,
      updateReason: followupItemUpdates.judgementReason,
    })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .leftJoin(organisations, eq(organisations.id, actionItems.responsibleOrganisationId))
    .leftJoin(followupItemUpdates, and(eq(followupItemUpdates.actionItemId, actionItems.id), eq(followupItemUpdates.periodId, periodId)))
    .where(agreementItemsWhere(agreementId));
  const indicatorRows = await db
    .select()
    .from(agreementIndicators)
    .where(eq(agreementIndicators.agreementId, agreementId))
    .orderBy(asc(agreementIndicators.position), asc(agreementIndicators.createdAt));
  const measurementRows = indicatorRows.length
    ? await db
        .select({ indicatorId: agreementMeasurements.indicatorId, period: agreementMeasurements.period, value: agreementMeasurements.value })
        .from(agreementMeasurements)
        .innerJoin(agreementIndicators, eq(agreementIndicators.id, agreementMeasurements.indicatorId))
        .where(eq(agreementIndicators.agreementId, agreementId))
    : [];
  const judgementRows = await db
    .select({ goalId: followupGoalJudgements.goalId, judgement: followupGoalJudgements.judgement, reasoning: followupGoalJudgements.reasoning, judgedBy: sql<string>`coalesce(${users.name}, '')`, judgedAt: followupGoalJudgements.judgedAt })
    .from(followupGoalJudgements)
    .leftJoin(users, eq(users.id, followupGoalJudgements.judgedBy))
    .where(eq(followupGoalJudgements.periodId, periodId));
  const promiseRows = await db
    .select()
    .from(citizenPromises)
    .where(and(eq(citizenPromises.agreementId, agreementId), eq(citizenPromises.year, period.year)))
    .orderBy(asc(citizenPromises.title));
  const occurrenceRows = promiseRows.length
    ? await db
        .select({ promiseId: citizenPromiseOccurrences.promiseId, occurredOn: citizenPromiseOccurrences.occurredOn, quantity: citizenPromiseOccurrences.quantity })
        .from(citizenPromiseOccurrences)
        .where(inArray(citizenPromiseOccurrences.promiseId, promiseRows.map((row) => row.id)))
    : [];

  const byIndicator = new Map<string, ReportSource["indicators"][number]["measurements"]>();
  for (const row of measurementRows) {
    byIndicator.set(row.indicatorId, [...(byIndicator.get(row.indicatorId) ?? []), { period: row.period, periodEnd: periodEndDate(row.period), value: row.value }]);
  }
  return {
    agreement: { id: agreement.id, title: agreement.title, periodStartYear: agreement.periodStartYear, periodEndYear: agreement.periodEndYear },
    period: { id: period.id, kind: period.kind, year: period.year, deadline: period.deadline, ...periodRange(period.kind, period.year) },
    problems,
    goals,
    items: itemRows.map((row) => ({
      id: row.id,
      number: row.number,
      listTitle: row.listTitle,
      title: row.title,
      responsible: row.responsible,
      status: row.status,
      judgement: row.judgement,
      judgementReason: row.judgementReason,
      focusArea: row.focusArea,
      perspectives: row.perspectives,
      goalId: row.goalId,
      update: row.updateStatus && row.updateJudgement ? { status: row.updateStatus, judgement: row.updateJudgement, judgementReason: row.updateReason ?? "" } : null,
    })),
    indicators: indicatorRows.map((row) => ({
      id: row.id,
      goalId: row.goalId,
      name: row.name,
      unit: row.unit,
      baseline: row.baselineValue,
      target: row.targetValue,
      direction: row.direction,
      measurements: byIndicator.get(row.id) ?? [],
    })),
    goalJudgements: judgementRows.map((row) => ({ ...row, judgedAt: row.judgedAt.toISOString() })),
    promises: promiseRows.map((row) => ({
      id: row.id,
      title: row.title,
      area: row.localArea,
      year: row.year,
      targetCount: row.targetCount,
      targetDescription: `minst ${row.targetCount}${row.targetOf ? ` av ${row.targetOf}` : ""} ${row.targetUnit}`,
      occurrences: occurrenceRows.filter((occurrence) => occurrence.promiseId === row.id).map(({ occurredOn, quantity }) => ({ occurredOn, quantity })),
    })),
  };
}
