import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import { actionItems, actionLists, agreementGoals, agreementProblems, organisations } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { askNewOwnersSoon, runFollowupScanNow } from "../followup/requests.server";
import { badRequest } from "../http-errors";
import { authorize, organisationIdsOf, seesShared, type Actor } from "../policy";
import { requireVisibleAgreement } from "./agreements.server";
import type { LinkActionInput } from "./agreements.schema";
import { focusAreaLabels, perspectiveLabels } from "./labels";

type FocusArea = keyof typeof focusAreaLabels;
type Perspective = keyof typeof perspectiveLabels;

/** The SQL twin of seeing an action list: its owner and the organisations it is shared with. */
function listScope(actor: Actor) {
  if (actor.isSystemAdmin) return sql`true`;
  const ids = `{${organisationIdsOf(actor).join(",")}}`;
  return sql`(${actionLists.ownerOrganisationId} = any(${ids}::uuid[]) or ${actionLists.sharedWithOrganisationIds} && ${ids}::uuid[])`;
}

const itemColumns = {
  id: actionItems.id,
  number: actionItems.number,
  title: actionItems.title,
  status: actionItems.status,
  judgement: actionItems.judgement,
  judgementReason: actionItems.judgementReason,
  deadline: actionItems.deadline,
  focusArea: actionItems.focusArea,
  perspectives: actionItems.perspectives,
  agreementProblemId: actionItems.agreementProblemId,
  agreementGoalId: actionItems.agreementGoalId,
  listId: actionLists.id,
  listTitle: actionLists.title,
  responsibleName: organisations.name,
};

/**
 * The åtgärder linked to an agreement that the actor may see (through their list's sharing),
 * and how many more are linked in lists not shared with the actor.
 */
export async function linkedActions(db: Queryable, actor: Actor, agreementId: string) {
  const linked = and(eq(actionItems.agreementId, agreementId), isNull(actionItems.deletedAt));
  const [items, [total]] = await Promise.all([
    db
      .select(itemColumns)
      .from(actionItems)
      .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
      .leftJoin(organisations, eq(organisations.id, actionItems.responsibleOrganisationId))
      .where(and(linked, listScope(actor)))
      .orderBy(asc(actionLists.title), asc(actionItems.number)),
    db.select({ count: sql<number>`count(*)::int` }).from(actionItems).where(linked),
  ]);
  return { items, hiddenCount: total.count - items.length };
}

export type LinkedAction = Awaited<ReturnType<typeof linkedActions>>["items"][number];

/** Åtgärder grouped per fokusområde, and counted per perspektiv, for the agreement page and the report. */
export function groupActions(items: readonly LinkedAction[]) {
  const byFocusArea = (Object.keys(focusAreaLabels) as FocusArea[]).map((area): { key: FocusArea | null; label: string; items: LinkedAction[] } => ({
    key: area,
    label: focusAreaLabels[area],
    items: items.filter((item) => item.focusArea === area),
  }));
  const unclassified = items.filter((item) => !item.focusArea);
  if (unclassified.length > 0) byFocusArea.push({ key: null, label: "Utan fokusområde", items: unclassified });
  const byPerspective = (Object.keys(perspectiveLabels) as Perspective[]).map((perspective) => ({
    key: perspective,
    label: perspectiveLabels[perspective],
    items: items.filter((item) => item.perspectives.includes(perspective)),
  }));
  return { byFocusArea, byPerspective };
}

/** Åtgärder in lists the actor sees that can be linked to this agreement. */
export async function linkableActions(db: Queryable, actor: Actor, agreementId: string) {
  return db
    .select({ id: actionItems.id, number: actionItems.number, title: actionItems.title, listTitle: actionLists.title, agreementId: actionItems.agreementId })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(and(isNull(actionItems.deletedAt), listScope(actor), sql`(${actionItems.agreementId} is null or ${actionItems.agreementId} = ${agreementId}::uuid)`))
    .orderBy(asc(actionLists.title), asc(actionItems.number))
    .limit(500);
}

/** Links an åtgärd to the agreement and, optionally, one of its problems and goals. */
export async function linkActionToAgreement(db: Db, actor: Actor, agreementId: string, input: LinkActionInput) {
  const askNow = await db.transaction(async (tx) => {
    const { agreement, resource } = await requireVisibleAgreement(tx, actor, agreementId);
    authorize(actor, "agreement.edit", resource);
    const [item] = await tx
      .select({ item: actionItems, list: actionLists })
      .from(actionItems)
      .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
      .where(and(eq(actionItems.id, input.actionItemId), isNull(actionItems.deletedAt)))
      .for("update", { of: actionItems });
    if (!item || !(actor.isSystemAdmin || seesShared(actor, item.list))) {
      throw badRequest("Åtgärden finns inte i någon lista du har tillgång till.", { actionItemId: "Välj en åtgärd ur listan." });
    }
    if (item.item.agreementId && item.item.agreementId !== agreementId) {
      throw badRequest("Åtgärden hör redan till en annan överenskommelse.", { actionItemId: "Välj en annan åtgärd." });
    }
    if (input.problemId) {
      const [problem] = await tx.select().from(agreementProblems).where(and(eq(agreementProblems.id, input.problemId), eq(agreementProblems.agreementId, agreementId)));
      if (!problem) throw badRequest("Problemet finns inte i den här överenskommelsen.", { problemId: "Välj ett problem ur listan." });
    }
    if (input.goalId) {
      const [goal] = await tx.select().from(agreementGoals).where(and(eq(agreementGoals.id, input.goalId), eq(agreementGoals.agreementId, agreementId)));
      if (!goal) throw badRequest("Målet finns inte i den här överenskommelsen.", { goalId: "Välj ett mål ur listan." });
    }
    await tx
      .update(actionItems)
      .set({ agreementId, agreementProblemId: input.problemId, agreementGoalId: input.goalId, updatedAt: new Date() })
      .where(eq(actionItems.id, input.actionItemId));
    await recordAudit(tx, {
      actor,
      action: "agreement.linkAction",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Åtgärden ”${item.item.title}” kopplades till överenskommelsen ”${agreement.title}”.`,
      before: { agreementId: item.item.agreementId, problemId: item.item.agreementProblemId, goalId: item.item.agreementGoalId },
      after: { agreementId, problemId: input.problemId, goalId: input.goalId },
    });
    // A follow-up period already under way asks the åtgärd's owner too, not only those asked when it opened.
    return askNewOwnersSoon(tx, agreementId);
  });
  if (askNow) await runFollowupScanNow();
}

export async function unlinkActionFromAgreement(db: Db, actor: Actor, agreementId: string, actionItemId: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await requireVisibleAgreement(tx, actor, agreementId);
    authorize(actor, "agreement.edit", resource);
    const [item] = await tx
      .update(actionItems)
      .set({ agreementId: null, agreementProblemId: null, agreementGoalId: null, updatedAt: new Date() })
      .where(and(eq(actionItems.id, actionItemId), eq(actionItems.agreementId, agreementId)))
      .returning();
    if (!item) throw badRequest("Åtgärden är inte kopplad till den här överenskommelsen.");
    await recordAudit(tx, {
      actor,
      action: "agreement.unlinkAction",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Åtgärden ”${item.title}” kopplades loss från överenskommelsen ”${agreement.title}”.`,
    });
  });
}
