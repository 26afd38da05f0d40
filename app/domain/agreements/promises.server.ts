import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../../db/client";
import { agreements, citizenPromiseOccurrences, citizenPromises, organisations, users } from "../../../db/schema";
import { changedFields, recordAudit } from "../audit/audit.server";
import { badRequest, conflict, notFound } from "../http-errors";
import { authorize, can, organisationIdsOf, type Actor, type CitizenPromiseResource } from "../policy";
import { centralOrganisationIds, loadAgreementResource } from "./agreements.server";
import type { NewPromiseInput, OccurrenceInput, PromiseInput } from "./agreements.schema";
import { promiseProgressText } from "./labels";

export type PromiseRow = typeof citizenPromises.$inferSelect;

export const PROMISE_NOT_FOUND = "Medborgarlöftet finns inte, eller så har du inte tillgång till det.";

function promiseResource(promise: Pick<PromiseRow, "ownerOrganisationId" | "sharedWithOrganisationIds">, central: readonly string[]): CitizenPromiseResource {
  return { type: "citizenPromise", ownerOrganisationId: promise.ownerOrganisationId, sharedWithOrganisationIds: promise.sharedWithOrganisationIds, centralOrganisationIds: central };
}

async function requireVisiblePromise(db: Queryable, actor: Actor, promiseId: string, lock = false) {
  const query = db.select().from(citizenPromises).where(eq(citizenPromises.id, promiseId));
  const [promise] = lock ? await query.for("update") : await query;
  if (!promise) throw notFound(PROMISE_NOT_FOUND);
  const resource = promiseResource(promise, await centralOrganisationIds(db));
  if (!can(actor, "citizenPromise.view", resource)) throw notFound(PROMISE_NOT_FOUND);
  return { promise, resource };
}

// The outer table is named in full: drizzle leaves a column unqualified in a select without joins.
const achievedColumn = sql<number>`coalesce((select sum(o.quantity)::int from ${citizenPromiseOccurrences} o where o.promise_id = "citizen_promises"."id"), 0)`;

/** Progress towards the target: share reached (0–1, capped) and the text "23 av minst 40 veckor (av 52)". */
export function promiseProgress(promise: Pick<PromiseRow, "targetCount" | "targetUnit" | "targetOf">, achieved: number) {
  return {
    achieved,
    share: Math.min(1, achieved / promise.targetCount),
    percent: Math.min(100, Math.round((achieved / promise.targetCount) * 100)),
    reached: achieved >= promise.targetCount,
    text: promiseProgressText({ achieved, targetCount: promise.targetCount, targetUnit: promise.targetUnit, targetOf: promise.targetOf }),
  };
}

/** The promises of one agreement with their progress (for the agreement page and the report). */
export async function promisesOfAgreement(db: Queryable, agreementId: string) {
  const rows = await db
    .select({ promise: citizenPromises, achieved: achievedColumn })
    .from(citizenPromises)
    .where(eq(citizenPromises.agreementId, agreementId))
    .orderBy(desc(citizenPromises.year), asc(citizenPromises.title));
  return rows.map(({ promise, achieved }) => ({ ...promise, progress: promiseProgress(promise, achieved) }));
}

export async function listPromises(db: Db, actor: Actor) {
  let scope = sql`true`;
  if (!actor.isSystemAdmin) {
    const own = organisationIdsOf(actor);
    const central = await centralOrganisationIds(db);
    if (!own.some((id) => central.includes(id))) {
      const ids = `{${own.join(",")}}`;
      scope = sql`(${citizenPromises.ownerOrganisationId} = any(${ids}::uuid[]) or ${citizenPromises.sharedWithOrganisationIds} && ${ids}::uuid[])`;
    }
  }
  const rows = await db
    .select({ promise: citizenPromises, achieved: achievedColumn, ownerName: organisations.name })
    .from(citizenPromises)
    .innerJoin(organisations, eq(organisations.id, citizenPromises.ownerOrganisationId))
    .where(scope)
    .orderBy(desc(citizenPromises.year), asc(citizenPromises.localArea), asc(citizenPromises.title))
    .limit(500);
  return rows.map(({ promise, achieved, ownerName }) => ({ ...promise, ownerName, progress: promiseProgress(promise, achieved) }));
}

/** Published promises for the public page: no names, no notes, only what was promised and how far it has come. */
export async function listPublishedPromises(db: Db) {
  const rows = await db
    .select({
      id: citizenPromises.id,
      year: citizenPromises.year,
      localArea: citizenPromises.localArea,
      title: citizenPromises.title,
      description: citizenPromises.description,
      targetCount: citizenPromises.targetCount,
      targetUnit: citizenPromises.targetUnit,
      targetOf: citizenPromises.targetOf,
      ownerName: organisations.name,
      sharedWithOrganisationIds: citizenPromises.sharedWithOrganisationIds,
      achieved: achievedColumn,
    })
    .from(citizenPromises)
    .innerJoin(organisations, eq(organisations.id, citizenPromises.ownerOrganisationId))
    .where(isNotNull(citizenPromises.publishedAt))
    .orderBy(desc(citizenPromises.year), asc(citizenPromises.localArea), asc(citizenPromises.title))
    .limit(500);
  const partyIds = [...new Set(rows.flatMap((row) => row.sharedWithOrganisationIds))];
  const names = partyIds.length
    ? new Map((await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, partyIds))).map((row) => [row.id, row.name]))
    : new Map<string, string>();
  return rows.map(({ sharedWithOrganisationIds, achieved, ...row }) => ({
    ...row,
    partyNames: [row.ownerName, ...sharedWithOrganisationIds.map((id) => names.get(id) ?? "")].filter(Boolean),
    progress: promiseProgress(row, achieved),
  }));
}

export async function getPromise(db: Db, actor: Actor, promiseId: string) {
  const { promise, resource } = await requireVisiblePromise(db, actor, promiseId);
  const [occurrences, [achieved], agreement, partyNames] = await Promise.all([
    db
      .select({
        id: citizenPromiseOccurrences.id,
        occurredOn: citizenPromiseOccurrences.occurredOn,
        quantity: citizenPromiseOccurrences.quantity,
        note: citizenPromiseOccurrences.note,
        recordedByName: users.name,
      })
      .from(citizenPromiseOccurrences)
      .leftJoin(users, eq(users.id, citizenPromiseOccurrences.recordedBy))
      .where(eq(citizenPromiseOccurrences.promiseId, promiseId))
      .orderBy(desc(citizenPromiseOccurrences.occurredOn), desc(citizenPromiseOccurrences.recordedAt)),
    db.select({ value: achievedColumn }).from(citizenPromises).where(eq(citizenPromises.id, promiseId)),
    promise.agreementId ? db.select({ id: agreements.id, title: agreements.title }).from(agreements).where(eq(agreements.id, promise.agreementId)) : Promise.resolve([]),
    db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(inArray(organisations.id, [promise.ownerOrganisationId, ...promise.sharedWithOrganisationIds])),
  ]);
  return {
    promise,
    occurrences,
    progress: promiseProgress(promise, achieved.value),
    agreement: agreement[0] ?? null,
    partyNames: partyNames.map((row) => row.name),
    can: {
      edit: can(actor, "citizenPromise.edit", resource),
      log: can(actor, "citizenPromise.logOccurrence", resource),
      publish: can(actor, "citizenPromise.publish", resource),
    },
  };
}

export async function promiseFormChoices(db: Db, actor: Actor) {
  const all = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name));
  const local = await db
    .select({ id: agreements.id, title: agreements.title, ownerOrganisationId: agreements.ownerOrganisationId, sharedWithOrganisationIds: agreements.sharedWithOrganisationIds })
    .from(agreements)
    .where(eq(agreements.level, "lokal"))
    .orderBy(desc(agreements.periodStartYear));
  const central = await centralOrganisationIds(db);
  return {
    owners: all.filter((org) => can(actor, "citizenPromise.create", { type: "organisation", id: org.id })),
    organisations: all,
    agreements: local
      .filter((agreement) => can(actor, "agreement.view", { type: "agreement", ...agreement, centralOrganisationIds: central }))
      .map(({ id, title }) => ({ id, title })),
  };
}

export async function createPromise(db: Db, actor: Actor, input: NewPromiseInput) {
  authorize(actor, "citizenPromise.create", { type: "organisation", id: input.ownerOrganisationId });
  const parties = [...new Set(input.partyOrganisationIds.filter((id) => id !== input.ownerOrganisationId))];
  return db.transaction(async (tx) => {
    const known = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, [input.ownerOrganisationId, ...parties]));
    if (known.length !== parties.length + 1) throw badRequest("En av de valda parterna finns inte.", { partyOrganisationIds: "Välj parter ur listan." });
    if (input.agreementId) {
      const loaded = await loadAgreementResource(tx, input.agreementId);
      if (!loaded || !can(actor, "agreement.view", loaded.resource)) throw badRequest("Överenskommelsen finns inte.", { agreementId: "Välj en överenskommelse ur listan." });
    }
    const [promise] = await tx
      .insert(citizenPromises)
      .values({
        agreementId: input.agreementId,
        year: input.year,
        localArea: input.localArea,
        title: input.title,
        description: input.description,
        targetCount: input.targetCount,
        targetUnit: input.targetUnit,
        targetOf: input.targetOf,
        ownerOrganisationId: input.ownerOrganisationId,
        sharedWithOrganisationIds: parties,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "citizenPromise.create",
      entityType: "citizenPromise",
      entityId: promise.id,
      organisationId: promise.ownerOrganisationId,
      summary: `Medborgarlöftet ”${promise.title}” (${promise.localArea} ${promise.year}) skapades.`,
    });
    return promise;
  });
}

async function changePromise<T>(db: Db, actor: Actor, promiseId: string, action: "citizenPromise.edit" | "citizenPromise.logOccurrence" | "citizenPromise.publish", run: (tx: Tx, promise: PromiseRow) => Promise<T>) {
  return db.transaction(async (tx) => {
    const { promise, resource } = await requireVisiblePromise(tx, actor, promiseId, true);
    authorize(actor, action, resource);
    const result = await run(tx, promise);
    await tx.update(citizenPromises).set({ updatedAt: new Date() }).where(eq(citizenPromises.id, promiseId));
    return result;
  });
}

export async function updatePromise(db: Db, actor: Actor, promiseId: string, input: PromiseInput) {
  return changePromise(db, actor, promiseId, "citizenPromise.edit", async (tx, promise) => {
    const diff = changedFields(promise, input);
    if (diff.changed.length === 0) return;
    await tx.update(citizenPromises).set(input).where(eq(citizenPromises.id, promiseId));
    await recordAudit(tx, {
      actor,
      action: "citizenPromise.edit",
      entityType: "citizenPromise",
      entityId: promiseId,
      organisationId: promise.ownerOrganisationId,
      summary: `Medborgarlöftet ”${input.title}” ändrades.`,
      before: diff.before,
      after: diff.after,
    });
  });
}

export async function setPromisePublished(db: Db, actor: Actor, promiseId: string, published: boolean) {
  return changePromise(db, actor, promiseId, "citizenPromise.publish", async (tx, promise) => {
    if (published === (promise.publishedAt !== null)) throw conflict(published ? "Löftet är redan publicerat." : "Löftet är inte publicerat.");
    await tx.update(citizenPromises).set({ publishedAt: published ? new Date() : null }).where(eq(citizenPromises.id, promiseId));
    await recordAudit(tx, {
      actor,
      action: published ? "citizenPromise.publish" : "citizenPromise.unpublish",
      entityType: "citizenPromise",
      entityId: promiseId,
      organisationId: promise.ownerOrganisationId,
      summary: `Medborgarlöftet ”${promise.title}” ${published ? "publicerades på den öppna sidan" : "togs bort från den öppna sidan"}.`,
    });
  });
}

export async function logOccurrence(db: Db, actor: Actor, promiseId: string, input: OccurrenceInput) {
  return changePromise(db, actor, promiseId, "citizenPromise.logOccurrence", async (tx, promise) => {
    const year = Number(input.occurredOn.slice(0, 4));
    if (year !== promise.year) throw badRequest(`Löftet gäller ${promise.year}. Välj ett datum det året.`, { occurredOn: `Välj ett datum under ${promise.year}.` });
    if (Number.isNaN(new Date(`${input.occurredOn}T12:00:00Z`).getTime())) throw badRequest("Datumet finns inte.", { occurredOn: "Datumet finns inte." });
    const [occurrence] = await tx.insert(citizenPromiseOccurrences).values({ promiseId, ...input, recordedBy: actor.userId }).returning();
    await recordAudit(tx, {
      actor,
      action: "citizenPromise.logOccurrence",
      entityType: "citizenPromise",
      entityId: promiseId,
      organisationId: promise.ownerOrganisationId,
      summary: `${input.quantity} ${promise.targetUnit} den ${input.occurredOn} räknades till ”${promise.title}”.`,
      after: { occurredOn: input.occurredOn, quantity: input.quantity },
    });
    return occurrence;
  });
}

export async function removeOccurrence(db: Db, actor: Actor, promiseId: string, occurrenceId: string) {
  return changePromise(db, actor, promiseId, "citizenPromise.logOccurrence", async (tx, promise) => {
    const [removed] = await tx
      .delete(citizenPromiseOccurrences)
      .where(and(eq(citizenPromiseOccurrences.id, occurrenceId), eq(citizenPromiseOccurrences.promiseId, promiseId)))
      .returning();
    if (!removed) throw notFound("Tillfället finns inte.");
    await recordAudit(tx, {
      actor,
      action: "citizenPromise.removeOccurrence",
      entityType: "citizenPromise",
      entityId: promiseId,
      organisationId: promise.ownerOrganisationId,
      summary: `Tillfället den ${removed.occurredOn} togs bort från ”${promise.title}”.`,
      before: { occurredOn: removed.occurredOn, quantity: removed.quantity, note: removed.note },
    });
  });
}
