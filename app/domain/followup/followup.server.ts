import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { actionItems, agreementGoals, followupGoalJudgements, followupItemUpdates, followupPeriods, users } from "../../../db/schema";
import { portal } from "../../server/portal.server";
import { QUEUES, runNow } from "../../server/queue.server";
import { recordAudit } from "../audit/audit.server";
import { calendarDate } from "../calendar-date";
import { badRequest, conflict, notFound } from "../http-errors";
import { stockholmDate, stockholmToUtc } from "../meetings/time";
import { authorize, can, type Actor } from "../policy";
import { addDaysToDate, agreementItems, followupClosesAt, loadAgreement, loadPeriod, loadReportSource, ownersOfItems, requestedOwners, requestsOfPeriods } from "./data.server";
import { ACTION_JUDGEMENTS, ACTION_STATUSES, actionJudgementLabels, actionStatusLabels, GOAL_JUDGEMENTS, goalJudgementLabels, PERIOD_KINDS, periodTitle } from "./labels";
import { buildReport } from "./report";

/** Days before the deadline at which owners who have not updated are reminded. */
export const REMINDER_DAYS_BEFORE_DEADLINE = 3;
/** A period needs room for the request and the reminder before its deadline. */
export const MIN_DAYS_TO_DEADLINE = REMINDER_DAYS_BEFORE_DEADLINE + 1;

/** The reminder goes out at 08:00 Stockholm time, three days before the deadline. */
export function reminderTime(deadline: string) {
  return stockholmToUtc(addDaysToDate(deadline, -REMINDER_DAYS_BEFORE_DEADLINE), "08:00")!;
}

// ---------------------------------------------------------------------------------------------
// Periods.

export async function listPeriods(db: Db, actor: Actor, agreementId: string) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  const periods = await db.select().from(followupPeriods).where(eq(followupPeriods.agreementId, agreementId)).orderBy(sql`${followupPeriods.year} desc`, sql`${followupPeriods.kind} desc`);
  const ownerIds = [...(await ownersOfItems(db, agreementId)).keys()];
  const requests = await requestsOfPeriods(db, periods.map((period) => period.id), ownerIds);
  const withRequests = periods.map((period) => ({
    ...period,
    open: new Date() < followupClosesAt(period.deadline),
    owners: ownerIds.length,
    askedOwners: requests.get(period.id)?.size ?? 0,
  }));
  return { agreement, periods: withRequests, canManage: can(actor, "followup.manage", resource) };
}

export const periodSchema = z.object({
  kind: z.enum(PERIOD_KINDS, { error: "Välj period." }),
  year: z.coerce.number({ error: "Ange år." }).int("Ange ett helt år.").min(2000, "Ange ett år från 2000.").max(2100, "Ange ett år före 2100."),
  deadline: calendarDate("Ange sista dag som ett datum (ÅÅÅÅ-MM-DD).", "Sista dag finns inte i kalendern."),
});

/** Opens a follow-up period: the owners are asked at once (by the scan) and reminded before the deadline. */
export async function createPeriod(db: Db, actor: Actor, agreementId: string, input: z.infer<typeof periodSchema>, now = new Date()) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  authorize(actor, "followup.manage", resource);
  if (!stockholmToUtc(input.deadline, "08:00")) throw badRequest("Sista dag är inget giltigt datum.", { deadline: "Sista dag är inget giltigt datum." });
  if (input.deadline < addDaysToDate(stockholmDate(now), MIN_DAYS_TO_DEADLINE)) {
    const message = `Sista dag måste ligga minst ${MIN_DAYS_TO_DEADLINE} dagar fram, så att påminnelsen hinner gå ut.`;
    throw badRequest(message, { deadline: message });
  }
  const period = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(followupPeriods)
      .values({ agreementId, kind: input.kind, year: input.year, deadline: input.deadline, requestAt: now, reminderAt: reminderTime(input.deadline), nextScanAt: now, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict(`${periodTitle(input.kind, input.year)} finns redan för överenskommelsen.`, { kind: "Perioden finns redan." });
    await recordAudit(tx, {
      actor,
      action: "followup.createPeriod",
      entityType: "followup_period",
      entityId: created.id,
      organisationId: agreement.ownerOrganisationId,
      summary: `${actor.name} öppnade uppföljningen ${periodTitle(input.kind, input.year)} för ${agreement.title} med sista dag ${input.deadline}`,
      after: { kind: input.kind, year: input.year, deadline: input.deadline },
    });
    return created;
  });
  // Ask the owners now rather than at the next minute's scan.
  await runNow(portal().queue, QUEUES.followup);
  return period;
}

/** A period's state: who is asked, who has updated, the goals and their judgements. */
export async function getPeriodOverview(db: Db, actor: Actor, agreementId: string, periodId: string) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  const period = await loadPeriod(db, agreementId, periodId);
  const owners = await ownersOfItems(db, agreementId);
  const updated = new Set(
    (await db.select({ itemId: followupItemUpdates.actionItemId }).from(followupItemUpdates).where(eq(followupItemUpdates.periodId, periodId))).map((row) => row.itemId),
  );
  const people = owners.size
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...owners.keys()]))
    : [];
  const asked = await requestedOwners(db, periodId, [...owners.keys()]);
  const ownerRows = [...owners.entries()]
    .map(([userId, itemIds]) => ({
      name: people.find((person) => person.id === userId)?.name ?? "Okänd",
      items: itemIds.length,
      updated: itemIds.filter((id) => updated.has(id)).length,
      request: asked.get(userId) ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "sv"));
  const goals = await db
    .select({ id: agreementGoals.id, title: agreementGoals.title, judgement: followupGoalJudgements.judgement, reasoning: followupGoalJudgements.reasoning })
    .from(agreementGoals)
    .leftJoin(followupGoalJudgements, and(eq(followupGoalJudgements.goalId, agreementGoals.id), eq(followupGoalJudgements.periodId, periodId)))
    .where(eq(agreementGoals.agreementId, agreementId))
    .orderBy(agreementGoals.position, agreementGoals.createdAt);
  const items = await agreementItems(db, agreementId, resource);
  return {
    agreement,
    period,
    // Until the deadline has passed, an owner not asked yet is asked by the next scan.
    open: new Date() < followupClosesAt(period.deadline),
    owners: ownerRows,
    goals,
    canJudge: can(actor, "followup.judgeGoals", resource),
    ownsItems: items.some((item) => can(actor, "followup.updateItem", item.resource)),
  };
}

// ---------------------------------------------------------------------------------------------
// Goal judgements.

export const goalJudgementSchema = z.object({
  goalId: z.string().uuid("Välj ett mål."),
  judgement: z.enum(GOAL_JUDGEMENTS, { error: "Välj en bedömning." }),
  reasoning: z.string().trim().min(1, "Skriv en motivering.").max(5000, "Motiveringen får vara högst 5000 tecken."),
});

export async function judgeGoal(db: Db, actor: Actor, agreementId: string, periodId: string, input: z.infer<typeof goalJudgementSchema>) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  authorize(actor, "followup.judgeGoals", resource);
  const period = await loadPeriod(db, agreementId, periodId);
  const [goal] = await db.select().from(agreementGoals).where(and(eq(agreementGoals.id, input.goalId), eq(agreementGoals.agreementId, agreementId)));
  if (!goal) throw badRequest("Målet hör inte till överenskommelsen.", { goalId: "Målet hör inte till överenskommelsen." });
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(followupGoalJudgements).where(and(eq(followupGoalJudgements.periodId, periodId), eq(followupGoalJudgements.goalId, goal.id)));
    await tx
      .insert(followupGoalJudgements)
      .values({ periodId, goalId: goal.id, judgement: input.judgement, reasoning: input.reasoning, judgedBy: actor.userId })
      .onConflictDoUpdate({
        target: [followupGoalJudgements.periodId, followupGoalJudgements.goalId],
        set: { judgement: input.judgement, reasoning: input.reasoning, judgedBy: actor.userId, judgedAt: new Date() },
      });
    await recordAudit(tx, {
      actor,
      action: "followup.judgeGoal",
      entityType: "agreement_goal",
      entityId: goal.id,
      organisationId: agreement.ownerOrganisationId,
      summary: `${actor.name} bedömde målet ${goal.title} för ${periodTitle(period.kind, period.year)}: ${goalJudgementLabels[input.judgement]}`,
      before: before ? { judgement: before.judgement, reasoning: before.reasoning } : null,
      after: { judgement: input.judgement, reasoning: input.reasoning },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The owners' updates.

/** The åtgärder the actor answers for in this period, with what they have reported so far. */
export async function myItems(db: Db, actor: Actor, agreementId: string, periodId: string) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  const period = await loadPeriod(db, agreementId, periodId);
  const items = (await agreementItems(db, agreementId, resource)).filter((item) => can(actor, "followup.updateItem", item.resource));
  if (items.length === 0 && !can(actor, "followup.view", resource)) throw notFound();
  const updates = await db.select().from(followupItemUpdates).where(eq(followupItemUpdates.periodId, periodId));
  return {
    agreement: { id: agreement.id, title: agreement.title },
    period,
    items: items.map(({ resource: _resource, ...item }) => {
      const update = updates.find((row) => row.actionItemId === item.id);
      return { ...item, update: update ? { status: update.status, judgement: update.judgement, judgementReason: update.judgementReason, updatedAt: update.updatedAt.toISOString() } : null };
    }),
  };
}

export const itemUpdateSchema = z
  .object({
    itemId: z.string().uuid("Åtgärden saknas."),
    status: z.enum(ACTION_STATUSES, { error: "Välj status." }),
    judgement: z.enum(ACTION_JUDGEMENTS, { error: "Välj grön, gul eller röd." }),
    judgementReason: z.string().trim().max(5000, "Motiveringen får vara högst 5000 tecken."),
  })
  .refine((value) => value.judgement === "gron" || value.judgementReason.length > 0, {
    message: "Skriv varför åtgärden är gul eller röd.",
    path: ["judgementReason"],
  });

/** Records an owner's status and judgement for one åtgärd in this period, and on the åtgärd itself. */
export async function updateItem(db: Db, actor: Actor, agreementId: string, periodId: string, input: z.infer<typeof itemUpdateSchema>) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  const period = await loadPeriod(db, agreementId, periodId);
  const item = (await agreementItems(db, agreementId, resource)).find((row) => row.id === input.itemId);
  if (!item) throw notFound("Åtgärden finns inte i överenskommelsen.");
  authorize(actor, "followup.updateItem", item.resource);
  await db.transaction(async (tx) => {
    await tx
      .insert(followupItemUpdates)
      .values({ periodId, actionItemId: item.id, status: input.status, judgement: input.judgement, judgementReason: input.judgementReason, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: [followupItemUpdates.periodId, followupItemUpdates.actionItemId],
        set: { status: input.status, judgement: input.judgement, judgementReason: input.judgementReason, updatedBy: actor.userId, updatedAt: new Date() },
      });
    // The åtgärd shows the latest report too; its field versions move so an open editor is told.
    await tx
      .update(actionItems)
      .set({
        status: input.status,
        judgement: input.judgement,
        judgementReason: input.judgementReason,
        updatedAt: new Date(),
        fieldVersions: sql`${actionItems.fieldVersions}
          || jsonb_build_object('status', coalesce((${actionItems.fieldVersions}->>'status')::int, 0) + 1)
          || jsonb_build_object('judgement', coalesce((${actionItems.fieldVersions}->>'judgement')::int, 0) + 1)
          || jsonb_build_object('judgementReason', coalesce((${actionItems.fieldVersions}->>'judgementReason')::int, 0) + 1)`,
      })
      .where(eq(actionItems.id, item.id));
    await recordAudit(tx, {
      actor,
      action: "followup.updateItem",
      entityType: "action_item",
      entityId: item.id,
      organisationId: agreement.ownerOrganisationId,
      summary: `${actor.name} följde upp åtgärden ${item.title} för ${periodTitle(period.kind, period.year)}: ${actionStatusLabels[input.status]}, ${actionJudgementLabels[input.judgement]}`,
      before: { status: item.status, judgement: item.judgement, judgementReason: item.judgementReason },
      after: { status: input.status, judgement: input.judgement, judgementReason: input.judgementReason },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The report.

export async function getReport(db: Db, actor: Actor, agreementId: string, periodId: string) {
  const { resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  return buildReport(await loadReportSource(db, agreementId, periodId));
}
