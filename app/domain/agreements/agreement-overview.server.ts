import type { Queryable } from "../../../db/client";
import { can, type Actor } from "../policy";
import { groupActions, linkedActions } from "./agreement-actions.server";
import { decidedRevision, listProblemsAndGoals, requireVisibleAgreement, workingSnapshot } from "./agreements.server";
import { indicatorStatus, indicatorsWithMeasurements } from "./indicators.server";
import { promisesOfAgreement } from "./promises.server";
import { stepProgress } from "./steps.server";

/**
 * One agreement with everything its follow-up is built from, as the actor may see it: the
 * version in force, problems and goals (live rows, whose ids åtgärder and indicators point to),
 * each goal's indicators with their measurements in time order, the five steps, the
 * medborgarlöften with progress and the linked åtgärder grouped per fokusområde and perspektiv.
 * The single read for the agreement page and the follow-up report.
 */
export async function readAgreementOverview(db: Queryable, actor: Actor, agreementId: string) {
  const { agreement, resource } = await requireVisibleAgreement(db, actor, agreementId);
  const [decided, working, { problems, goals }, indicators, steps, promises, actions] = await Promise.all([
    decidedRevision(db, agreementId),
    workingSnapshot(db, agreement),
    listProblemsAndGoals(db, agreementId),
    indicatorsWithMeasurements(db, agreementId),
    stepProgress(db, agreementId),
    promisesOfAgreement(db, agreementId),
    linkedActions(db, actor, agreementId),
  ]);
  const indicatorsWithStatus = indicators.map((indicator) => ({ ...indicator, status: indicatorStatus(indicator) }));
  return {
    agreement,
    resource,
    /** The decided version in force, or null before the first decision. */
    inForce: decided ? { number: decided.number, decidedAt: decided.decidedAt!, snapshot: decided.snapshot! } : null,
    working,
    problems,
    goals: goals.map((goal) => ({ ...goal, indicators: indicatorsWithStatus.filter((indicator) => indicator.goalId === goal.id) })),
    indicators: indicatorsWithStatus,
    steps,
    promises,
    actions: { ...actions, ...groupActions(actions.items) },
    can: {
      edit: can(actor, "agreement.edit", resource) && agreement.status !== "upphord",
      decide: can(actor, "agreement.decide", resource) && agreement.status !== "upphord",
      recordProgress: can(actor, "agreement.recordProgress", resource),
    },
  };
}

export type AgreementOverview = Awaited<ReturnType<typeof readAgreementOverview>>;
