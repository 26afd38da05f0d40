import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import { agreementStepCriteria, agreements, memberships, users } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { badRequest, notFound } from "../http-errors";
import { authorize, can, type Actor } from "../policy";
import { AGREEMENT_NOT_FOUND, agreementResource, centralOrganisationIds, requireVisibleAgreement } from "./agreements.server";
import type { CriterionUpdateInput } from "./agreements.schema";
import { FIVE_STEPS } from "./labels";

/** The five steps with their criteria, owners and dates, and how far each step has come. */
export async function stepProgress(db: Queryable, agreementId: string) {
  const criteria = await db
    .select({
      id: agreementStepCriteria.id,
      step: agreementStepCriteria.step,
      text: agreementStepCriteria.text,
      ownerUserId: agreementStepCriteria.ownerUserId,
      ownerName: users.name,
      dueDate: agreementStepCriteria.dueDate,
      completedAt: agreementStepCriteria.completedAt,
    })
    .from(agreementStepCriteria)
    .leftJoin(users, eq(users.id, agreementStepCriteria.ownerUserId))
    .where(eq(agreementStepCriteria.agreementId, agreementId))
    .orderBy(asc(agreementStepCriteria.step), asc(agreementStepCriteria.position));
  const steps = FIVE_STEPS.map((step) => {
    const own = criteria.filter((criterion) => criterion.step === step.step);
    const done = own.filter((criterion) => criterion.completedAt).length;
    return { step: step.step, name: step.name, criteria: own, done, total: own.length, complete: own.length > 0 && done === own.length };
  });
  const done = criteria.filter((criterion) => criterion.completedAt).length;
  // The step the work stands in: the first one not yet complete.
  const current = steps.find((step) => !step.complete)?.step ?? null;
  return { steps, done, total: criteria.length, current };
}

/** People who may own a criterion: members of the agreement's parties. */
export async function criterionOwnerChoices(db: Queryable, partyOrganisationIds: readonly string[]) {
  if (partyOrganisationIds.length === 0) return [];
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(inArray(memberships.organisationId, [...partyOrganisationIds]), eq(users.status, "active")))
    .orderBy(asc(users.name));
}

export async function getSteps(db: Db, actor: Actor, agreementId: string) {
  const { agreement, resource } = await requireVisibleAgreement(db, actor, agreementId);
  const [progress, owners] = await Promise.all([
    stepProgress(db, agreementId),
    criterionOwnerChoices(db, [agreement.ownerOrganisationId, ...agreement.sharedWithOrganisationIds]),
  ]);
  return { agreement, progress, owners, can: { recordProgress: can(actor, "agreement.recordProgress", resource), edit: can(actor, "agreement.edit", resource) } };
}

export async function updateCriterion(db: Db, actor: Actor, agreementId: string, criterionId: string, input: CriterionUpdateInput) {
  return db.transaction(async (tx) => {
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId));
    if (!agreement) throw notFound(AGREEMENT_NOT_FOUND);
    const resource = agreementResource(agreement, await centralOrganisationIds(tx));
    if (!can(actor, "agreement.view", resource)) throw notFound(AGREEMENT_NOT_FOUND);
    authorize(actor, "agreement.recordProgress", resource);
    const [criterion] = await tx
      .select()
      .from(agreementStepCriteria)
      .where(and(eq(agreementStepCriteria.id, criterionId), eq(agreementStepCriteria.agreementId, agreementId)))
      .for("update");
    if (!criterion) throw notFound("Kriteriet finns inte i den här överenskommelsen.");
    if (input.ownerUserId) {
      const owners = await criterionOwnerChoices(tx, [agreement.ownerOrganisationId, ...agreement.sharedWithOrganisationIds]);
      if (!owners.some((owner) => owner.id === input.ownerUserId)) throw badRequest("Den ansvariga måste tillhöra en av parterna.", { ownerUserId: "Välj en person ur listan." });
    }
    const completedAt = input.done ? (criterion.completedAt ?? new Date()) : null;
    await tx
      .update(agreementStepCriteria)
      .set({ ownerUserId: input.ownerUserId, dueDate: input.dueDate, completedAt, completedBy: input.done ? (criterion.completedBy ?? actor.userId) : null, updatedAt: new Date() })
      .where(eq(agreementStepCriteria.id, criterionId));
    await recordAudit(tx, {
      actor,
      action: "agreement.updateCriterion",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Steg ${criterion.step}: ”${criterion.text}” ${input.done ? "är klart" : "är inte klart"}.`,
      before: { done: criterion.completedAt !== null, ownerUserId: criterion.ownerUserId, dueDate: criterion.dueDate },
      after: { done: input.done, ownerUserId: input.ownerUserId, dueDate: input.dueDate },
    });
  });
}

export async function addCriterion(db: Db, actor: Actor, agreementId: string, input: { step: number; text: string }) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await requireVisibleAgreement(tx, actor, agreementId);
    authorize(actor, "agreement.edit", resource);
    const [row] = await tx
      .select({ max: sql<number>`coalesce(max(${agreementStepCriteria.position}), -1)::int` })
      .from(agreementStepCriteria)
      .where(and(eq(agreementStepCriteria.agreementId, agreementId), eq(agreementStepCriteria.step, input.step)));
    await tx.insert(agreementStepCriteria).values({ agreementId, step: input.step, text: input.text, position: row.max + 1 });
    await recordAudit(tx, {
      actor,
      action: "agreement.addCriterion",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Steg ${input.step}: kriteriet ”${input.text}” lades till.`,
    });
  });
}
