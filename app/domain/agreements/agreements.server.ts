import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../../db/client";
import {
  agreementContent,
  agreementGoals,
  agreementIndicators,
  agreementProblems,
  agreementRevisions,
  agreements,
  agreementSignatories,
  agreementStepCriteria,
  organisations,
  type AgreementSnapshot,
} from "../../../db/schema";
import { changedFields, recordAudit, type AuditInput } from "../audit/audit.server";
import { badRequest, conflict, notFound } from "../http-errors";
import { authorize, can, organisationIdsOf, type Actor, type AgreementResource } from "../policy";
import { diffAgreementVersions } from "./agreement-diff";
import type {
  AgreementContentInput,
  GoalInput,
  NewAgreementInput,
  ProblemInput,
  SignatoryInput,
} from "./agreements.schema";
import { FIVE_STEPS } from "./labels";

export type AgreementRow = typeof agreements.$inferSelect;

export const AGREEMENT_NOT_FOUND = "Överenskommelsen finns inte, eller så har du inte tillgång till den.";
const ENDED = "Överenskommelsen har upphört och kan inte ändras.";

// ---------------------------------------------------------------------------------------------
// Access.

/** Organisations of the city's central level (stadsledningskontoret), which see every agreement. */
export async function centralOrganisationIds(db: Queryable) {
  const rows = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.type, "stad_central"));
  return rows.map((row) => row.id);
}

export function agreementResource(agreement: Pick<AgreementRow, "ownerOrganisationId" | "sharedWithOrganisationIds">, central: readonly string[]): AgreementResource {
  return {
    type: "agreement",
    ownerOrganisationId: agreement.ownerOrganisationId,
    sharedWithOrganisationIds: agreement.sharedWithOrganisationIds,
    centralOrganisationIds: central,
  };
}

export async function loadAgreementResource(db: Queryable, agreementId: string) {
  const [agreement] = await db.select().from(agreements).where(eq(agreements.id, agreementId));
  if (!agreement) return null;
  return { agreement, resource: agreementResource(agreement, await centralOrganisationIds(db)) };
}

/** The agreement if the actor may see it; a 404 (not a 403) for everyone else, so its existence is not told. */
export async function requireVisibleAgreement(db: Queryable, actor: Actor, agreementId: string) {
  const loaded = await loadAgreementResource(db, agreementId);
  if (!loaded || !can(actor, "agreement.view", loaded.resource)) throw notFound(AGREEMENT_NOT_FOUND);
  return loaded;
}

/** The SQL twin of `agreement.view` for lists: the parties, and everyone at the central level. */
export async function agreementScope(db: Queryable, actor: Actor) {
  if (actor.isSystemAdmin) return sql`true`;
  const own = organisationIdsOf(actor);
  const central = await centralOrganisationIds(db);
  if (own.some((id) => central.includes(id))) return sql`true`;
  const ids = `{${own.join(",")}}`;
  return sql`(${agreements.ownerOrganisationId} = any(${ids}::uuid[]) or ${agreements.sharedWithOrganisationIds} && ${ids}::uuid[])`;
}

// ---------------------------------------------------------------------------------------------
// Reading.

export async function listAgreements(db: Db, actor: Actor) {
  const scope = await agreementScope(db, actor);
  const rows = await db
    .select({
      id: agreements.id,
      title: agreements.title,
      level: agreements.level,
      status: agreements.status,
      periodStartYear: agreements.periodStartYear,
      periodEndYear: agreements.periodEndYear,
      ownerName: organisations.name,
      sharedWithOrganisationIds: agreements.sharedWithOrganisationIds,
    })
    .from(agreements)
    .innerJoin(organisations, eq(organisations.id, agreements.ownerOrganisationId))
    .where(scope)
    .orderBy(asc(agreements.level), desc(agreements.periodStartYear), asc(agreements.title))
    .limit(500);
  const names = await organisationNames(db, rows.flatMap((row) => row.sharedWithOrganisationIds));
  return rows.map(({ sharedWithOrganisationIds, ...row }) => ({ ...row, partyNames: [row.ownerName, ...sharedWithOrganisationIds.map((id) => names.get(id) ?? "")] }));
}

async function organisationNames(db: Queryable, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * The working copy as a version snapshot: what would be decided now. One query after the other:
 * inside a transaction they share one connection, which takes a single query at a time.
 */
export async function workingSnapshot(db: Queryable, agreement: AgreementRow): Promise<AgreementSnapshot> {
  const [content] = await db.select().from(agreementContent).where(eq(agreementContent.agreementId, agreement.id));
  const problems = await db
    .select()
    .from(agreementProblems)
    .where(eq(agreementProblems.agreementId, agreement.id))
    .orderBy(asc(agreementProblems.position), asc(agreementProblems.createdAt));
  const goals = await db.select().from(agreementGoals).where(eq(agreementGoals.agreementId, agreement.id)).orderBy(asc(agreementGoals.position), asc(agreementGoals.createdAt));
  const signatories = await db
    .select({ name: agreementSignatories.name, title: agreementSignatories.title, organisationName: organisations.name })
    .from(agreementSignatories)
    .innerJoin(organisations, eq(organisations.id, agreementSignatories.organisationId))
    .where(eq(agreementSignatories.agreementId, agreement.id))
    .orderBy(asc(agreementSignatories.position), asc(agreementSignatories.name));
  const names = await organisationNames(db, [agreement.ownerOrganisationId, ...agreement.sharedWithOrganisationIds]);
  return {
    title: agreement.title,
    periodStartYear: agreement.periodStartYear,
    periodEndYear: agreement.periodEndYear,
    localArea: content?.localArea ?? "",
    situationSummary: content?.situationSummary ?? "",
    sourceLinks: content?.sourceLinks ?? [],
    documentationMethod: content?.documentationMethod ?? "",
    followUpMethod: content?.followUpMethod ?? "",
    parties: [agreement.ownerOrganisationId, ...agreement.sharedWithOrganisationIds].map((id) => ({ id, name: names.get(id) ?? "" })),
    signatories,
    problems: problems.map((problem) => ({ id: problem.id, title: problem.title, description: problem.description, probableCauses: problem.probableCauses })),
    goals: goals.map((goal) => ({ id: goal.id, problemId: goal.problemId, title: goal.title, description: goal.description })),
  };
}

export async function listRevisionRows(db: Queryable, agreementId: string) {
  return db.select().from(agreementRevisions).where(eq(agreementRevisions.agreementId, agreementId)).orderBy(asc(agreementRevisions.number));
}

/** The version in force: the latest decided revision, or null before the first decision. */
export async function decidedRevision(db: Queryable, agreementId: string) {
  const [revision] = await db
    .select()
    .from(agreementRevisions)
    .where(and(eq(agreementRevisions.agreementId, agreementId), isNotNull(agreementRevisions.decidedAt)))
    .orderBy(desc(agreementRevisions.number))
    .limit(1);
  return revision ?? null;
}

export async function draftRevision(db: Queryable, agreementId: string) {
  const [revision] = await db
    .select()
    .from(agreementRevisions)
    .where(and(eq(agreementRevisions.agreementId, agreementId), isNull(agreementRevisions.decidedAt)))
    .orderBy(desc(agreementRevisions.number))
    .limit(1);
  return revision ?? null;
}

/**
 * Everything the agreement page shows: the version in force (or the draft before any decision),
 * the open draft with its differences from the decided version, and what the actor may do.
 */
export async function getAgreement(db: Db, actor: Actor, agreementId: string) {
  const { agreement, resource } = await requireVisibleAgreement(db, actor, agreementId);
  const [decided, draft, working, parent] = await Promise.all([
    decidedRevision(db, agreementId),
    draftRevision(db, agreementId),
    workingSnapshot(db, agreement),
    agreement.parentAgreementId
      ? db.select({ id: agreements.id, title: agreements.title }).from(agreements).where(eq(agreements.id, agreement.parentAgreementId))
      : Promise.resolve([]),
  ]);
  const shown = decided?.snapshot ?? working;
  const parentVisible = parent[0] ? (await loadAgreementResource(db, parent[0].id))?.resource : undefined;
  return {
    agreement,
    shown,
    decided: decided ? { number: decided.number, decidedAt: decided.decidedAt!, snapshot: decided.snapshot! } : null,
    draft: draft ? { number: draft.number, submittedAt: draft.submittedAt, createdAt: draft.createdAt } : null,
    working,
    changes: decided && draft ? diffAgreementVersions(decided.snapshot!, working) : [],
    parent: parent[0] && parentVisible && can(actor, "agreement.view", parentVisible) ? parent[0] : null,
    can: {
      edit: can(actor, "agreement.edit", resource) && agreement.status !== "upphord",
      decide: can(actor, "agreement.decide", resource) && agreement.status !== "upphord",
      recordProgress: can(actor, "agreement.recordProgress", resource),
    },
  };
}

/** Every decided version, newest first, each with its differences from the one before. */
export async function listRevisions(db: Db, actor: Actor, agreementId: string) {
  const { agreement } = await requireVisibleAgreement(db, actor, agreementId);
  const revisions = await listRevisionRows(db, agreementId);
  const decided = revisions.filter((revision) => revision.decidedAt && revision.snapshot);
  const draft = revisions.find((revision) => !revision.decidedAt) ?? null;
  const versions = decided.map((revision, index) => ({
    number: revision.number,
    decidedAt: revision.decidedAt!,
    decisionNote: revision.decisionNote,
    changes: index === 0 ? null : diffAgreementVersions(decided[index - 1].snapshot!, revision.snapshot!),
  }));
  return { agreement, versions: versions.reverse(), draftNumber: draft?.number ?? null };
}

// ---------------------------------------------------------------------------------------------
// Creating.

/** Organisations in which the actor may start an agreement, and all organisations to choose parties from. */
export async function agreementFormChoices(db: Db, actor: Actor) {
  const all = await db.select({ id: organisations.id, name: organisations.name, type: organisations.type }).from(organisations).orderBy(asc(organisations.name));
  const scope = await agreementScope(db, actor);
  const cityWide = await db
    .select({ id: agreements.id, title: agreements.title })
    .from(agreements)
    .where(and(eq(agreements.level, "stadsovergripande"), scope))
    .orderBy(desc(agreements.periodStartYear));
  return {
    owners: all.filter((org) => can(actor, "agreement.create", { type: "organisation", id: org.id })),
    organisations: all,
    cityWideAgreements: cityWide,
  };
}

export async function createAgreement(db: Db, actor: Actor, input: NewAgreementInput) {
  authorize(actor, "agreement.create", { type: "organisation", id: input.ownerOrganisationId });
  const parties = [...new Set(input.partyOrganisationIds.filter((id) => id !== input.ownerOrganisationId))];
  return db.transaction(async (tx) => {
    const known = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, [input.ownerOrganisationId, ...parties]));
    if (known.length !== parties.length + 1) throw badRequest("En av de valda parterna finns inte.", { partyOrganisationIds: "Välj parter ur listan." });
    if (input.parentAgreementId) {
      const parent = await loadAgreementResource(tx, input.parentAgreementId);
      if (!parent || parent.agreement.level !== "stadsovergripande" || !can(actor, "agreement.view", parent.resource)) {
        throw badRequest("Den övergripande överenskommelsen finns inte.", { parentAgreementId: "Välj en stadsövergripande överenskommelse ur listan." });
      }
    }
    const [agreement] = await tx
      .insert(agreements)
      .values({
        title: input.title,
        level: input.level,
        periodStartYear: input.periodStartYear,
        periodEndYear: input.periodEndYear,
        parentAgreementId: input.level === "lokal" ? (input.parentAgreementId ?? null) : null,
        ownerOrganisationId: input.ownerOrganisationId,
        sharedWithOrganisationIds: parties,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(agreementContent).values({ agreementId: agreement.id, localArea: input.localArea });
    await tx.insert(agreementRevisions).values({ agreementId: agreement.id, number: 1, createdBy: actor.userId });
    await tx.insert(agreementStepCriteria).values(
      FIVE_STEPS.flatMap((step) => step.criteria.map((text, position) => ({ agreementId: agreement.id, step: step.step, position, text }))),
    );
    await recordAudit(tx, {
      actor,
      action: "agreement.create",
      entityType: "agreement",
      entityId: agreement.id,
      organisationId: agreement.ownerOrganisationId,
      summary: `Överenskommelsen ”${agreement.title}” skapades som utkast.`,
      after: { title: agreement.title, level: agreement.level, period: `${agreement.periodStartYear}–${agreement.periodEndYear}`, parties },
    });
    return agreement;
  });
}

// ---------------------------------------------------------------------------------------------
// Editing the working copy. A decided version is never touched: the first change after a
// decision opens a new draft revision, and only deciding that draft makes it the version in force.

/** `audit` records a change to this agreement in the same transaction. */
type EditContext = { tx: Tx; agreement: AgreementRow; draftNumber: number; audit: (change: Pick<AuditInput, "action" | "summary" | "before" | "after">) => Promise<void> };

async function editWorkingCopy<T>(db: Db, actor: Actor, agreementId: string, run: (context: EditContext) => Promise<T>) {
  return db.transaction(async (tx) => {
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for("update");
    if (!agreement) throw notFound(AGREEMENT_NOT_FOUND);
    const resource = agreementResource(agreement, await centralOrganisationIds(tx));
    if (!can(actor, "agreement.view", resource)) throw notFound(AGREEMENT_NOT_FOUND);
    authorize(actor, "agreement.edit", resource);
    if (agreement.status === "upphord") throw conflict(ENDED);
    let draft = await draftRevision(tx, agreementId);
    if (!draft) {
      const latest = await tx
        .select({ number: agreementRevisions.number })
        .from(agreementRevisions)
        .where(eq(agreementRevisions.agreementId, agreementId))
        .orderBy(desc(agreementRevisions.number))
        .limit(1);
      [draft] = await tx
        .insert(agreementRevisions)
        .values({ agreementId, number: (latest[0]?.number ?? 0) + 1, createdBy: actor.userId })
        .returning();
      await recordAudit(tx, {
        actor,
        action: "agreement.draft",
        entityType: "agreement",
        entityId: agreementId,
        organisationId: agreement.ownerOrganisationId,
        summary: `Ett utkast till version ${draft.number} av ”${agreement.title}” påbörjades.`,
      });
    } else if (draft.submittedAt) {
      // A changed draft is no longer the one put forward for decision.
      await tx.update(agreementRevisions).set({ submittedAt: null }).where(eq(agreementRevisions.id, draft.id));
    }
    if (agreement.status === "for_beslut") await tx.update(agreements).set({ status: "utkast" }).where(eq(agreements.id, agreementId));
    const audit: EditContext["audit"] = (change) =>
      recordAudit(tx, { actor, entityType: "agreement", entityId: agreementId, organisationId: agreement.ownerOrganisationId, ...change });
    const result = await run({ tx, agreement, draftNumber: draft.number, audit });
    await tx.update(agreements).set({ updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    return result;
  });
}

export async function updateAgreementContent(db: Db, actor: Actor, agreementId: string, input: AgreementContentInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const [content] = await tx.select().from(agreementContent).where(eq(agreementContent.agreementId, agreementId));
    const before = {
      title: agreement.title,
      periodStartYear: agreement.periodStartYear,
      periodEndYear: agreement.periodEndYear,
      localArea: content?.localArea ?? "",
      situationSummary: content?.situationSummary ?? "",
      sourceLinks: content?.sourceLinks ?? [],
      documentationMethod: content?.documentationMethod ?? "",
      followUpMethod: content?.followUpMethod ?? "",
    };
    const diff = changedFields(before, input);
    if (diff.changed.length === 0) return { changed: [] as string[] };
    await tx
      .update(agreements)
      .set({ title: input.title, periodStartYear: input.periodStartYear, periodEndYear: input.periodEndYear })
      .where(eq(agreements.id, agreementId));
    const values = {
      localArea: input.localArea,
      situationSummary: input.situationSummary,
      sourceLinks: input.sourceLinks,
      documentationMethod: input.documentationMethod,
      followUpMethod: input.followUpMethod,
      updatedAt: new Date(),
    };
    await tx.insert(agreementContent).values({ agreementId, ...values }).onConflictDoUpdate({ target: agreementContent.agreementId, set: values });
    await audit({
      action: "agreement.editContent",
      summary: `Utkastet till ”${input.title}” ändrades.`,
      before: diff.before,
      after: diff.after,
    });
    return { changed: diff.changed };
  });
}

async function nextPosition(tx: Tx, table: typeof agreementProblems | typeof agreementGoals | typeof agreementSignatories, agreementId: string) {
  const [row] = await tx.select({ max: sql<number>`coalesce(max(${table.position}), -1)::int` }).from(table).where(eq(table.agreementId, agreementId));
  return row.max + 1;
}

export async function addProblem(db: Db, actor: Actor, agreementId: string, input: ProblemInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const [problem] = await tx
      .insert(agreementProblems)
      .values({ agreementId, ...input, position: await nextPosition(tx, agreementProblems, agreementId) })
      .returning();
    await audit({
      action: "agreement.addProblem",
      summary: `Problemet ”${problem.title}” lades till i utkastet.`,
      after: input,
    });
    return problem;
  });
}

async function problemOf(tx: Queryable, agreementId: string, problemId: string) {
  const [problem] = await tx.select().from(agreementProblems).where(and(eq(agreementProblems.id, problemId), eq(agreementProblems.agreementId, agreementId)));
  if (!problem) throw notFound("Problemet finns inte i den här överenskommelsen.");
  return problem;
}

async function goalOf(tx: Queryable, agreementId: string, goalId: string) {
  const [goal] = await tx.select().from(agreementGoals).where(and(eq(agreementGoals.id, goalId), eq(agreementGoals.agreementId, agreementId)));
  if (!goal) throw notFound("Målet finns inte i den här överenskommelsen.");
  return goal;
}

export async function updateProblem(db: Db, actor: Actor, agreementId: string, problemId: string, input: ProblemInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const problem = await problemOf(tx, agreementId, problemId);
    const diff = changedFields(problem, input);
    if (diff.changed.length === 0) return problem;
    const [updated] = await tx.update(agreementProblems).set(input).where(eq(agreementProblems.id, problemId)).returning();
    await audit({
      action: "agreement.editProblem",
      summary: `Problemet ”${updated.title}” ändrades i utkastet.`,
      before: diff.before,
      after: diff.after,
    });
    return updated;
  });
}

export async function removeProblem(db: Db, actor: Actor, agreementId: string, problemId: string) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const problem = await problemOf(tx, agreementId, problemId);
    const [goals] = await tx.select({ count: sql<number>`count(*)::int` }).from(agreementGoals).where(eq(agreementGoals.problemId, problemId));
    if (goals.count > 0) throw conflict("Problemet har mål kopplade till sig. Koppla loss eller ta bort målen först.");
    await tx.delete(agreementProblems).where(eq(agreementProblems.id, problemId));
    await audit({
      action: "agreement.removeProblem",
      summary: `Problemet ”${problem.title}” togs bort ur utkastet.`,
      before: { title: problem.title, description: problem.description, probableCauses: problem.probableCauses },
    });
  });
}

export async function addGoal(db: Db, actor: Actor, agreementId: string, input: GoalInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    if (input.problemId) await problemOf(tx, agreementId, input.problemId);
    const [goal] = await tx
      .insert(agreementGoals)
      .values({ agreementId, ...input, position: await nextPosition(tx, agreementGoals, agreementId) })
      .returning();
    await audit({
      action: "agreement.addGoal",
      summary: `Målet ”${goal.title}” lades till i utkastet.`,
      after: input,
    });
    return goal;
  });
}

export async function updateGoal(db: Db, actor: Actor, agreementId: string, goalId: string, input: GoalInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const goal = await goalOf(tx, agreementId, goalId);
    if (input.problemId) await problemOf(tx, agreementId, input.problemId);
    const diff = changedFields(goal, input);
    if (diff.changed.length === 0) return goal;
    const [updated] = await tx.update(agreementGoals).set(input).where(eq(agreementGoals.id, goalId)).returning();
    await audit({
      action: "agreement.editGoal",
      summary: `Målet ”${updated.title}” ändrades i utkastet.`,
      before: diff.before,
      after: diff.after,
    });
    return updated;
  });
}

export async function removeGoal(db: Db, actor: Actor, agreementId: string, goalId: string) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const goal = await goalOf(tx, agreementId, goalId);
    const [indicators] = await tx.select({ count: sql<number>`count(*)::int` }).from(agreementIndicators).where(eq(agreementIndicators.goalId, goalId));
    // Indicators carry measured values; they are never removed as a side effect.
    if (indicators.count > 0) throw conflict("Målet har indikatorer med mätvärden. Ta bort indikatorerna först.");
    await tx.delete(agreementGoals).where(eq(agreementGoals.id, goalId));
    await audit({
      action: "agreement.removeGoal",
      summary: `Målet ”${goal.title}” togs bort ur utkastet.`,
      before: { title: goal.title, description: goal.description },
    });
  });
}

export async function addSignatory(db: Db, actor: Actor, agreementId: string, input: SignatoryInput) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    if (![agreement.ownerOrganisationId, ...agreement.sharedWithOrganisationIds].includes(input.organisationId)) {
      throw badRequest("Undertecknaren måste företräda en av parterna.", { organisationId: "Välj en av parterna." });
    }
    const [signatory] = await tx
      .insert(agreementSignatories)
      .values({ agreementId, ...input, position: await nextPosition(tx, agreementSignatories, agreementId) })
      .returning();
    await audit({
      action: "agreement.addSignatory",
      summary: `${signatory.name} lades till som undertecknare i utkastet.`,
    });
    return signatory;
  });
}

export async function removeSignatory(db: Db, actor: Actor, agreementId: string, signatoryId: string) {
  return editWorkingCopy(db, actor, agreementId, async ({ tx, agreement, audit }) => {
    const [removed] = await tx
      .delete(agreementSignatories)
      .where(and(eq(agreementSignatories.id, signatoryId), eq(agreementSignatories.agreementId, agreementId)))
      .returning();
    if (!removed) throw notFound("Undertecknaren finns inte i den här överenskommelsen.");
    await audit({
      action: "agreement.removeSignatory",
      summary: `${removed.name} togs bort som undertecknare ur utkastet.`,
    });
  });
}

export async function listSignatories(db: Queryable, agreementId: string) {
  return db
    .select({ id: agreementSignatories.id, name: agreementSignatories.name, title: agreementSignatories.title, organisationName: organisations.name })
    .from(agreementSignatories)
    .innerJoin(organisations, eq(organisations.id, agreementSignatories.organisationId))
    .where(eq(agreementSignatories.agreementId, agreementId))
    .orderBy(asc(agreementSignatories.position));
}

// ---------------------------------------------------------------------------------------------
// Status: för beslut, fastställ (decide) and upphör.

async function lockForStatus(tx: Tx, actor: Actor, agreementId: string) {
  const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for("update");
  if (!agreement) throw notFound(AGREEMENT_NOT_FOUND);
  const resource = agreementResource(agreement, await centralOrganisationIds(tx));
  if (!can(actor, "agreement.view", resource)) throw notFound(AGREEMENT_NOT_FOUND);
  if (agreement.status === "upphord") throw conflict(ENDED);
  return { agreement, resource };
}

/** Puts the open draft forward for decision (status "för beslut" before the first decision). */
export async function submitForDecision(db: Db, actor: Actor, agreementId: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await lockForStatus(tx, actor, agreementId);
    authorize(actor, "agreement.edit", resource);
    const draft = await draftRevision(tx, agreementId);
    if (!draft) throw conflict("Det finns inget utkast att lämna för beslut. Ändra överenskommelsen först.");
    if (draft.submittedAt) throw conflict("Utkastet är redan lämnat för beslut.");
    await requireDecidableContent(tx, agreement);
    await tx.update(agreementRevisions).set({ submittedAt: new Date() }).where(eq(agreementRevisions.id, draft.id));
    if (agreement.status === "utkast") await tx.update(agreements).set({ status: "for_beslut", updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      actor,
      action: "agreement.submit",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Version ${draft.number} av ”${agreement.title}” lämnades för beslut.`,
    });
  });
}

async function requireDecidableContent(tx: Queryable, agreement: AgreementRow) {
  const snapshot = await workingSnapshot(tx, agreement);
  const missing: string[] = [];
  if (!snapshot.situationSummary.trim()) missing.push("en sammanfattning av lägesbilden");
  if (snapshot.problems.length === 0) missing.push("minst ett prioriterat problem");
  if (snapshot.goals.length === 0) missing.push("minst ett mål");
  if (!snapshot.followUpMethod.trim()) missing.push("hur uppföljningen görs");
  if (missing.length > 0) throw conflict(`Överenskommelsen saknar ${missing.join(", ")}.`);
  return snapshot;
}

/**
 * Fastställ: the open draft becomes the version in force. Its snapshot is written once and the
 * row is frozen from then on (by this code, and by a database trigger for any other path).
 */
export async function decideAgreement(db: Db, actor: Actor, agreementId: string, decisionNote: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await lockForStatus(tx, actor, agreementId);
    authorize(actor, "agreement.decide", resource);
    const draft = await draftRevision(tx, agreementId);
    if (!draft) throw conflict("Det finns inget utkast att fastställa. Den gällande versionen är redan fastställd.");
    const snapshot = await requireDecidableContent(tx, agreement);
    const decidedAt = new Date();
    await tx
      .update(agreementRevisions)
      .set({ snapshot, decidedAt, decidedBy: actor.userId, decisionNote, submittedAt: draft.submittedAt ?? decidedAt })
      .where(and(eq(agreementRevisions.id, draft.id), isNull(agreementRevisions.decidedAt)));
    await tx.update(agreements).set({ status: "gallande", updatedAt: decidedAt }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      actor,
      action: "agreement.decide",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Version ${draft.number} av ”${agreement.title}” fastställdes och gäller.`,
      after: { version: draft.number, decisionNote },
    });
    return { number: draft.number };
  });
}

/** The agreement ends (upphörd); its versions and follow-up stay readable. */
export async function endAgreement(db: Db, actor: Actor, agreementId: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await lockForStatus(tx, actor, agreementId);
    authorize(actor, "agreement.decide", resource);
    await tx.update(agreements).set({ status: "upphord", updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      actor,
      action: "agreement.end",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Överenskommelsen ”${agreement.title}” upphörde.`,
      before: { status: agreement.status },
      after: { status: "upphord" },
    });
  });
}

export async function listProblemsAndGoals(db: Queryable, agreementId: string) {
  const [problems, goals] = await Promise.all([
    db.select().from(agreementProblems).where(eq(agreementProblems.agreementId, agreementId)).orderBy(asc(agreementProblems.position), asc(agreementProblems.createdAt)),
    db.select().from(agreementGoals).where(eq(agreementGoals.agreementId, agreementId)).orderBy(asc(agreementGoals.position), asc(agreementGoals.createdAt)),
  ]);
  return { problems, goals };
}
