import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable, Tx } from "../../../db/client";
import { actionItems, actionLists, actionListViews, auditEvents, memberships, networks, organisations, users } from "../../../db/schema";
import { portal } from "../../server/portal.server";
import { recordAudit } from "../audit/audit.server";
import { loadNetworkResource } from "../networks/networks.server";
import { badRequest, notFound, uuidPattern } from "../http-errors";
import { authorize, can, FORBIDDEN_MESSAGE, organisationIdsOf, refusalMessage, type Action, type ActionListResource, type Actor } from "../policy";
import {
  ITEM_FIELD_LABELS,
  ITEM_FIELD_SCHEMAS,
  isItemField,
  matchesFilter,
  stockholmToday,
  type ActionItemView,
  type ItemField,
  type ItemFilter,
  type ItemValues,
} from "./fields";
import { actionListRoom, ITEM_EVENT, type EditAnswer, type FieldConflict, type ItemEventPayload } from "./rooms";

/**
 * Joint action lists (åtgärdslistor) and their items. Every entry point (page, form, socket
 * handler, export) goes through `loadListForActor`, which asks the policy about the list;
 * items inherit the list's owner and sharing.
 */

export const LIST_NOT_FOUND = "Åtgärdslistan finns inte, eller så har du inte tillgång till den.";
export const ITEM_NOT_FOUND = "Åtgärden finns inte, eller så har du inte tillgång till den.";

type ListRow = typeof actionLists.$inferSelect;
type ItemRow = typeof actionItems.$inferSelect;

export function listResource(list: Pick<ListRow, "ownerOrganisationId" | "sharedWithOrganisationIds" | "archivedAt">): ActionListResource {
  return { type: "actionList", ownerOrganisationId: list.ownerOrganisationId, sharedWithOrganisationIds: list.sharedWithOrganisationIds, archived: list.archivedAt !== null };
}

/** The SQL twin of `actionList.view`, for list queries (never fetch-then-filter). */
export function visibleListsCondition(actor: Actor) {
  if (actor.isSystemAdmin) return sql`true`;
  const ids = organisationIdsOf(actor);
  if (ids.length === 0) return sql`false`;
  const array = `{${ids.join(",")}}`;
  return sql`(${actionLists.ownerOrganisationId} = any(${array}::uuid[]) or ${actionLists.sharedWithOrganisationIds} && ${array}::uuid[])`;
}

/** Ids of every list the actor may see (for exports, mentions and digests elsewhere). */
export async function visibleListIds(db: Queryable, actor: Actor): Promise<string[]> {
  const rows = await db.select({ id: actionLists.id }).from(actionLists).where(visibleListsCondition(actor));
  return rows.map((row) => row.id);
}

/**
 * One list, if the actor may take `action` on it. A list the actor may not even see is answered
 * as missing (404); one they see but may not change answers 403.
 */
export async function loadListForActor(db: Queryable, actor: Actor, listId: string, action: Extract<Action, `actionList.${string}` | "actionItem.edit"> = "actionList.view") {
  if (!uuidPattern.test(listId)) throw notFound(LIST_NOT_FOUND);
  const [list] = await db.select().from(actionLists).where(eq(actionLists.id, listId.toLowerCase()));
  if (!list) throw notFound(LIST_NOT_FOUND);
  const resource = listResource(list);
  if (!can(actor, "actionList.view", resource)) throw notFound(LIST_NOT_FOUND);
  authorize(actor, action as "actionList.view", resource);
  return { list, resource };
}

/** The list resource for a room decision; null when there is no such list. */
export async function loadListResource(db: Queryable, listId: string) {
  const [list] = await db
    .select({ ownerOrganisationId: actionLists.ownerOrganisationId, sharedWithOrganisationIds: actionLists.sharedWithOrganisationIds, archivedAt: actionLists.archivedAt })
    .from(actionLists)
    .where(eq(actionLists.id, listId));
  return list ? listResource(list) : null;
}

/** An item and its list, if the actor may take `action` on the list. */
export async function loadItemForActor(db: Queryable, actor: Actor, itemId: string, action: "actionList.view" | "actionItem.edit" | "actionItem.comment" | "actionList.manage" = "actionList.view") {
  if (!uuidPattern.test(itemId)) throw notFound(ITEM_NOT_FOUND);
  const [row] = await db
    .select({ item: actionItems, list: actionLists })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(and(eq(actionItems.id, itemId.toLowerCase()), isNull(actionItems.deletedAt)));
  if (!row) throw notFound(ITEM_NOT_FOUND);
  const resource = listResource(row.list);
  if (!can(actor, "actionList.view", resource)) throw notFound(ITEM_NOT_FOUND);
  authorize(actor, action, resource);
  return { item: row.item, list: row.list, resource };
}

export function itemView(row: ItemRow): ActionItemView {
  return {
    id: row.id,
    listId: row.listId,
    number: row.number,
    cause: row.cause,
    title: row.title,
    description: row.description,
    operationalGoal: row.operationalGoal,
    startDate: row.startDate,
    deadline: row.deadline,
    responsibleOrganisationId: row.responsibleOrganisationId,
    contactUserId: row.contactUserId,
    contributingOrganisationIds: [...row.contributingOrganisationIds].sort(),
    followUpMethod: row.followUpMethod,
    followUpComment: row.followUpComment,
    status: row.status,
    judgement: row.judgement,
    judgementReason: row.judgementReason,
    focusArea: row.focusArea,
    perspectives: [...row.perspectives].sort(),
    preventionType: row.preventionType,
    fieldVersions: row.fieldVersions ?? {},
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Lists

/** Lists the actor sees, newest first, with their counts (archived ones too); optionally of one network. */
export async function listActionLists(db: Db, actor: Actor, options: { networkId?: string } = {}) {
  const today = stockholmToday();
  return db
    .select({
      id: actionLists.id,
      title: actionLists.title,
      description: actionLists.description,
      ownerName: organisations.name,
      networkId: actionLists.networkId,
      networkName: networks.name,
      archivedAt: actionLists.archivedAt,
      // Item edits do not touch the list's row (so that edits of different items never wait for each other).
      updatedAt: sql<Date>`greatest(${actionLists.updatedAt}, (select max(${actionItems.updatedAt}) from ${actionItems} where ${actionItems.listId} = ${actionLists.id}))`.mapWith(actionLists.updatedAt),
      items: sql<number>`(select count(*)::int from ${actionItems} where ${actionItems.listId} = ${actionLists.id} and ${actionItems.deletedAt} is null)`,
      open: sql<number>`(select count(*)::int from ${actionItems} where ${actionItems.listId} = ${actionLists.id} and ${actionItems.deletedAt} is null and ${actionItems.status} not in ('klar', 'stoppad'))`,
      overdue: sql<number>`(select count(*)::int from ${actionItems} where ${actionItems.listId} = ${actionLists.id} and ${actionItems.deletedAt} is null and ${actionItems.status} not in ('klar', 'stoppad') and ${actionItems.deadline} < ${today}::date)`,
    })
    .from(actionLists)
    .innerJoin(organisations, eq(organisations.id, actionLists.ownerOrganisationId))
    .leftJoin(networks, eq(networks.id, actionLists.networkId))
    .where(and(visibleListsCondition(actor), options.networkId ? eq(actionLists.networkId, options.networkId) : undefined))
    .orderBy(desc(actionLists.updatedAt));
}

const uuidString = (message: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message).transform((v) => v.toLowerCase());

export const createListSchema = z.object({
  title: z.string().trim().min(3, "Ge listan ett namn (minst 3 tecken).").max(200, "Namnet får vara högst 200 tecken."),
  description: z.string().trim().max(5000, "Beskrivningen får vara högst 5000 tecken.").default(""),
  ownerOrganisationId: uuidString("Välj en ägande organisation."),
  sharedWithOrganisationIds: z.array(uuidString("Ogiltig organisation.")).max(100, "Högst 100 organisationer.").default([]),
  networkId: z.union([z.literal(""), uuidString("Ogiltigt nätverk.")]).optional().transform((v) => v || null),
});

async function checkOrganisationsExist(tx: Queryable, ids: string[]) {
  if (ids.length === 0) return;
  const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, ids));
  if (found.length !== ids.length) throw badRequest("En av de valda organisationerna finns inte.", { sharedWithOrganisationIds: "En av de valda organisationerna finns inte." });
}

export async function createActionList(db: Db, actor: Actor, input: z.infer<typeof createListSchema>) {
  authorize(actor, "actionList.create", { type: "organisation", id: input.ownerOrganisationId });
  if (input.networkId) {
    // Only a network the creator sees, by the same policy as the network pages.
    const network = await loadNetworkResource(db, input.networkId);
    if (!network || !can(actor, "network.view", network)) throw badRequest("Nätverket finns inte.", { networkId: "Nätverket finns inte." });
  }
  return db.transaction(async (tx) => {
    const sharedWith = [...new Set(input.sharedWithOrganisationIds)].filter((id) => id !== input.ownerOrganisationId);
    await checkOrganisationsExist(tx, [input.ownerOrganisationId, ...sharedWith]);
    const [list] = await tx
      .insert(actionLists)
      .values({ title: input.title, description: input.description, ownerOrganisationId: input.ownerOrganisationId, sharedWithOrganisationIds: sharedWith, networkId: input.networkId, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "actionList.create",
      entityType: "action_list",
      entityId: list.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} skapade åtgärdslistan ${list.title}`,
      after: { title: list.title, sharedWith },
    });
    return list;
  });
}

/** Everything the table view needs: the list, its items (filtered), and the choices for editing. */
export async function getActionList(db: Db, actor: Actor, listId: string, filter: ItemFilter = {}) {
  const { list, resource } = await loadListForActor(db, actor, listId, "actionList.view");
  const organisationIds = [list.ownerOrganisationId, ...list.sharedWithOrganisationIds];
  const [rows, orgs, people, owner, views] = await Promise.all([
    db.select().from(actionItems).where(and(eq(actionItems.listId, list.id), isNull(actionItems.deletedAt), ...filterConditions(filter))).orderBy(asc(actionItems.number)),
    db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, organisationIds)).orderBy(asc(organisations.name)),
    listPeopleOf(db, organisationIds),
    db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, list.ownerOrganisationId)),
    listSavedViews(db, actor, list.id),
  ]);
  const today = stockholmToday();
  // The query narrows by the simple filters; the shared test decides (it is what the browser applies to live items).
  const items = rows.map(itemView).filter((item) => matchesFilter(item, filter, today));
  const total = Object.keys(filter).length
    ? ((await db.select({ n: sql<number>`count(*)::int` }).from(actionItems).where(and(eq(actionItems.listId, list.id), isNull(actionItems.deletedAt))))[0]?.n ?? 0)
    : items.length;
  return {
    list: {
      id: list.id,
      title: list.title,
      description: list.description,
      ownerName: owner[0]?.name ?? "",
      networkId: list.networkId,
      archivedAt: list.archivedAt?.toISOString() ?? null,
    },
    items,
    total,
    organisations: orgs,
    people,
    views,
    today,
    canEdit: can(actor, "actionItem.edit", resource),
    canManage: can(actor, "actionList.manage", resource),
  };
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const enumValue = (value: string | undefined, allowed: readonly string[]) => (value !== undefined && allowed.includes(value) ? value : undefined);

/** The filter's simple parts as SQL, so a filtered view of a long list reads only its rows. */
function filterConditions(filter: ItemFilter) {
  const conditions = [];
  if (filter.organisation && uuidLike.test(filter.organisation)) {
    const id = filter.organisation.toLowerCase();
    conditions.push(sql`(${actionItems.responsibleOrganisationId} = ${id}::uuid or ${id}::uuid = any(${actionItems.contributingOrganisationIds}))`);
  }
  if (filter.person && uuidLike.test(filter.person)) conditions.push(eq(actionItems.contactUserId, filter.person.toLowerCase()));
  const status = enumValue(filter.status, actionItems.status.enumValues);
  if (status) conditions.push(eq(actionItems.status, status as ItemRow["status"]));
  const focus = enumValue(filter.focusArea, actionItems.focusArea.enumValues);
  if (focus) conditions.push(eq(actionItems.focusArea, focus as NonNullable<ItemRow["focusArea"]>));
  if (filter.deadlineBefore) conditions.push(sql`${actionItems.deadline} <= ${filter.deadlineBefore}::date`);
  return conditions;
}

/** Active people in the list's organisations: the choices for contact person. */
async function listPeopleOf(db: Queryable, organisationIds: string[]) {
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(inArray(memberships.organisationId, organisationIds), eq(users.status, "active")))
    .orderBy(asc(users.name), asc(users.id));
}

// ---------------------------------------------------------------------------------------------
// Items

export const createItemSchema = z.object({
  listId: uuidString("Ogiltig lista."),
  title: ITEM_FIELD_SCHEMAS.title,
  responsibleOrganisationId: ITEM_FIELD_SCHEMAS.responsibleOrganisationId.optional(),
  deadline: ITEM_FIELD_SCHEMAS.deadline.optional(),
});

/** `alsoInTransaction` writes what belongs with the new item (e.g. where it came from) atomically with it. */
export async function createActionItem(db: Db, actor: Actor, input: z.input<typeof createItemSchema>, alsoInTransaction?: (tx: Tx, item: ItemRow, list: ListRow) => Promise<void>) {
  const parsed = createItemSchema.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Åtgärden kunde inte läggas till.", issuesToFieldErrors(parsed.error.issues));
  const values = parsed.data;
  const result = await db.transaction(async (tx) => {
    const { list } = await loadListForActor(tx, actor, values.listId, "actionList.edit");
    // One writer at a time picks the next row number of a list.
    await tx.execute(sql`select 1 from ${actionLists} where ${actionLists.id} = ${list.id} for update`);
    if (values.responsibleOrganisationId) await checkReferences(tx, list, { responsibleOrganisationId: values.responsibleOrganisationId });
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${actionItems.number}), 0)::int + 1` })
      .from(actionItems)
      .where(eq(actionItems.listId, list.id));
    const [item] = await tx
      .insert(actionItems)
      .values({
        listId: list.id,
        number: next,
        title: values.title,
        responsibleOrganisationId: values.responsibleOrganisationId ?? null,
        deadline: values.deadline ?? null,
        createdBy: actor.userId,
        fieldVersions: { title: 1, ...(values.responsibleOrganisationId ? { responsibleOrganisationId: 1 } : {}), ...(values.deadline ? { deadline: 1 } : {}) },
      })
      .returning();
    await tx.update(actionLists).set({ updatedAt: sql`now()` }).where(eq(actionLists.id, list.id));
    const after: Record<string, unknown> = { title: item.title };
    if (item.responsibleOrganisationId) after.responsibleOrganisationId = item.responsibleOrganisationId;
    if (item.deadline) after.deadline = item.deadline;
    await recordAudit(tx, {
      actor,
      action: "actionItem.create",
      entityType: "action_item",
      entityId: item.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} lade till åtgärd ${item.number} ”${item.title}” i ${list.title}`,
      before: null,
      after,
    });
    await alsoInTransaction?.(tx, item, list);
    return item;
  });
  const view = itemView(result);
  publishItem({ listId: view.listId, kind: "created", item: view, fields: [], by: { userId: actor.userId, name: actor.name } });
  return view;
}

function issuesToFieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

/**
 * Responsible and contributing organisations and the contact person come from the list's own
 * organisations. Of the contributing organisations only those added are checked: one already
 * named (the list has since stopped being shared with it) stays until someone removes it.
 */
async function checkReferences(tx: Queryable, list: ListRow, values: Partial<ItemValues>, current?: Pick<ItemValues, "contributingOrganisationIds">): Promise<Record<string, string> | null> {
  const listOrganisations = new Set([list.ownerOrganisationId, ...list.sharedWithOrganisationIds]);
  if (values.responsibleOrganisationId && !listOrganisations.has(values.responsibleOrganisationId)) {
    return { responsibleOrganisationId: "Den ansvariga organisationen måste vara en av listans organisationer." };
  }
  const named = new Set(current?.contributingOrganisationIds ?? []);
  if (values.contributingOrganisationIds?.some((id) => !named.has(id) && !listOrganisations.has(id))) {
    return { contributingOrganisationIds: "Medverkande organisationer måste vara bland listans organisationer." };
  }
  if (values.contactUserId) {
    const [person] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(users.id, values.contactUserId), eq(users.status, "active"), inArray(memberships.organisationId, [...listOrganisations])))
      .limit(1);
    if (!person) return { contactUserId: "Kontaktpersonen måste vara en aktiv person i någon av listans organisationer." };
  }
  return null;
}

export type FieldChange = { value: unknown; version: number };
export type EditInput = { itemId: string; changes: Partial<Record<string, FieldChange>> };

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Writes one or more fields of an item. Each change carries the field's version the writer saw:
 * when that field has moved on since (and to another value), nothing is stored and the writer
 * gets the current value and who wrote it, to choose. Other fields are untouched by a change,
 * so two people writing different fields both keep their edits. Returns an answer, never
 * throws for bad input, conflicts or refusals (the socket handler sends it as it is).
 */
export async function editActionItem(db: Db, actor: Actor, input: EditInput): Promise<EditAnswer> {
  const entries = Object.entries(input.changes ?? {});
  if (typeof input.itemId !== "string" || !uuidPattern.test(input.itemId)) return { ok: false, error: "not_found", message: ITEM_NOT_FOUND };
  if (entries.length === 0 || entries.length > 20) return { ok: false, error: "invalid", message: "Ändringen saknar fält." };
  const parsed: Partial<ItemValues> = {};
  const versions: Partial<Record<ItemField, number>> = {};
  const fieldErrors: Record<string, string> = {};
  for (const [field, change] of entries) {
    if (!isItemField(field)) return { ok: false, error: "invalid", message: "Okänt fält i ändringen." };
    if (!change || typeof change !== "object" || !Number.isSafeInteger(change.version) || change.version < 0) {
      return { ok: false, error: "invalid", message: "Ändringen saknar fältets version. Ladda om sidan och försök igen." };
    }
    const result = ITEM_FIELD_SCHEMAS[field].safeParse(change.value);
    if (!result.success) fieldErrors[field] = result.error.issues[0]?.message ?? `${ITEM_FIELD_LABELS[field]} är ogiltigt.`;
    else (parsed as Record<string, unknown>)[field] = result.data;
    versions[field] = change.version;
  }
  if (Object.keys(fieldErrors).length) return { ok: false, error: "invalid", message: Object.values(fieldErrors)[0], fieldErrors };

  let outcome: { answer: EditAnswer; publish?: ItemEventPayload };
  try {
    outcome = await db.transaction(async (tx) => {
      // The item's row is locked for the rest of the transaction: concurrent writers of the same
      // item take turns, so each sees the versions the previous one left.
      const [found] = await tx
        .select({ item: actionItems, list: actionLists })
        .from(actionItems)
        .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
        .where(eq(actionItems.id, input.itemId.toLowerCase()))
        .for("update", { of: actionItems });
      if (!found || found.item.deletedAt || !can(actor, "actionList.view", listResource(found.list))) {
        return { answer: { ok: false, error: "not_found", message: ITEM_NOT_FOUND } as EditAnswer };
      }
      const resource = listResource(found.list);
      if (!can(actor, "actionItem.edit", resource)) return { answer: { ok: false, error: "forbidden", message: refusalMessage(actor, "actionItem.edit", resource) } as EditAnswer };
      const { item: row, list } = found;
      const current = itemView(row);
      const fieldVersions = { ...(row.fieldVersions ?? {}) };
      const conflicts: FieldConflict[] = [];
      const changed: ItemField[] = [];
      for (const field of Object.keys(parsed) as ItemField[]) {
        const value = parsed[field];
        if (sameValue(current[field], value)) continue;
        const version = fieldVersions[field] ?? 0;
        if (versions[field] !== version) {
          conflicts.push({ field, label: ITEM_FIELD_LABELS[field], yourValue: value, currentValue: current[field], currentVersion: version, changedBy: null, changedAt: null });
        } else changed.push(field);
      }
      if (conflicts.length) {
        for (const conflict of conflicts) Object.assign(conflict, await lastWriterOf(tx, row.id, conflict.field));
        return {
          answer: {
            ok: false,
            error: "conflict",
            message: `Någon annan har ändrat ${conflicts.map((c) => c.label.toLowerCase()).join(", ")} sedan du läste. Välj vilket värde som ska gälla.`,
            conflicts,
            item: current,
          } as EditAnswer,
        };
      }
      if (changed.length === 0) return { answer: { ok: true, item: current } as EditAnswer };
      const next = { ...current, ...parsed } as ItemValues;
      const referenceErrors = await checkReferences(tx, list, Object.fromEntries(changed.map((field) => [field, next[field]])) as Partial<ItemValues>, current);
      if (referenceErrors) return { answer: { ok: false, error: "invalid", message: Object.values(referenceErrors)[0], fieldErrors: referenceErrors } as EditAnswer };
      if (next.startDate && next.deadline && next.startDate > next.deadline) {
        const message = "Start kan inte vara efter datumet för klart senast.";
        return { answer: { ok: false, error: "invalid", message, fieldErrors: { [changed.includes("deadline") ? "deadline" : "startDate"]: message } } as EditAnswer };
      }
      const values = Object.fromEntries(changed.map((field) => [field, next[field]])) as Partial<ItemValues>;
      const publish = await writeItemFields(tx, actor, list, row, values, (fields, updated) => `${actor.name} ändrade ${fields} i åtgärd ${row.number} ”${updated.title}”`);
      return { answer: { ok: true, item: publish.item } as EditAnswer, publish };
    });
  } catch (error) {
    if (error instanceof Response && (error.status === 403 || error.status === 404)) {
      if (error.status === 404) return { ok: false, error: "not_found", message: ITEM_NOT_FOUND };
      const body = (await error.json().catch(() => ({}))) as { message?: string };
      return { ok: false, error: "forbidden", message: body.message ?? FORBIDDEN_MESSAGE };
    }
    throw error;
  }
  if (outcome.publish) publishItem(outcome.publish);
  return outcome.answer;
}

/**
 * Writes fields of a locked item as one edit: each field's version moves on (so whoever read the
 * old value is asked to choose, not overwritten), with an `actionItem.update` audit entry whose
 * summary `describe` words (it gets the changed fields' names and the stored row). Returns the
 * item event to publish after the commit.
 */
export async function writeItemFields(
  tx: Queryable,
  actor: Actor,
  list: Pick<ListRow, "id" | "ownerOrganisationId">,
  row: ItemRow,
  values: Partial<ItemValues>,
  describe: (fields: string, updated: ItemRow) => string,
): Promise<ItemEventPayload> {
  const fields = Object.keys(values) as ItemField[];
  const current = itemView(row);
  const fieldVersions = { ...(row.fieldVersions ?? {}) };
  for (const field of fields) fieldVersions[field] = (fieldVersions[field] ?? 0) + 1;
  const [updated] = await tx
    .update(actionItems)
    .set({ ...(values as Partial<ItemRow>), fieldVersions, updatedAt: sql`now()` })
    .where(eq(actionItems.id, row.id))
    .returning();
  await recordAudit(tx, {
    actor,
    action: "actionItem.update",
    entityType: "action_item",
    entityId: row.id,
    organisationId: list.ownerOrganisationId,
    summary: describe(fields.map((field) => ITEM_FIELD_LABELS[field].toLowerCase()).join(", "), updated),
    before: Object.fromEntries(fields.map((field) => [field, current[field]])),
    after: Object.fromEntries(fields.map((field) => [field, values[field]])),
  });
  return { listId: list.id, kind: "changed", item: itemView(updated), fields, by: { userId: actor.userId, name: actor.name } };
}

/** Who last wrote a field, read from the audit log (only needed when there is a conflict). */
async function lastWriterOf(tx: Queryable, itemId: string, field: ItemField) {
  const [event] = await tx
    .select({ actorLabel: auditEvents.actorLabel, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "action_item"), eq(auditEvents.entityId, itemId), sql`(${auditEvents.changes} -> 'after') -> ${field}::text is not null`))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return { changedBy: event?.actorLabel ?? null, changedAt: event ? event.occurredAt.toISOString() : null };
}

/** Removes an item from the list (kept for history); for the owning organisation's leads. */
export async function removeActionItem(db: Db, actor: Actor, itemId: string) {
  const result = await db.transaction(async (tx) => {
    const { item, list, resource } = await loadItemForActor(tx, actor, itemId, "actionList.manage");
    // Removing is changing the list's items as well, which an archived list does not take.
    authorize(actor, "actionItem.edit", resource);
    const [removed] = await tx.update(actionItems).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(actionItems.id, item.id)).returning();
    await recordAudit(tx, {
      actor,
      action: "actionItem.remove",
      entityType: "action_item",
      entityId: item.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} tog bort åtgärd ${item.number} ”${item.title}” ur ${list.title}`,
      before: { title: item.title },
      after: null,
    });
    return removed;
  });
  const view = itemView(result);
  publishItem({ listId: view.listId, kind: "removed", item: view, fields: [], by: { userId: actor.userId, name: actor.name } });
  return view;
}

function publishItem(payload: ItemEventPayload) {
  portal().publish(actionListRoom(payload.listId), ITEM_EVENT, payload);
}

/** One item with its list and the names the detail page shows. */
export async function getActionItem(db: Db, actor: Actor, itemId: string) {
  const { item, list, resource } = await loadItemForActor(db, actor, itemId, "actionList.view");
  const organisationIds = [list.ownerOrganisationId, ...list.sharedWithOrganisationIds];
  const [orgs, people] = await Promise.all([
    db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, organisationIds)).orderBy(asc(organisations.name)),
    listPeopleOf(db, organisationIds),
  ]);
  return {
    item: itemView(item),
    list: { id: list.id, title: list.title, archivedAt: list.archivedAt?.toISOString() ?? null },
    organisations: orgs,
    people,
    storedOutsideChoices: await storedOutsideChoices(db, item, organisationIds, people),
    today: stockholmToday(),
    canEdit: can(actor, "actionItem.edit", resource),
    canManage: can(actor, "actionList.manage", resource),
  };
}

export type StoredChoice = { id: string; name: string; note: string };

const CONTACT_NOTES: Record<(typeof users.$inferSelect)["status"], string> = {
  invited: "har inte loggat in än",
  active: "ser inte listan",
  deactivated: "inaktiv",
  anonymised: "inaktiv",
};

/**
 * What the item names that is not among the choices any more: a contact person who has not signed
 * in yet, was deactivated or left the list's organisations, an organisation the list is no longer
 * shared with. The detail form shows them as chosen, so saving other fields keeps them.
 */
async function storedOutsideChoices(db: Queryable, item: ItemRow, organisationIds: string[], people: Array<{ id: string }>) {
  const result: { organisations: StoredChoice[]; people: StoredChoice[] } = { organisations: [], people: [] };
  const contactId = item.contactUserId;
  if (contactId && !people.some((person) => person.id === contactId)) {
    const [person] = await db.select({ id: users.id, name: users.name, status: users.status }).from(users).where(eq(users.id, contactId));
    result.people.push(person ? { id: person.id, name: person.name, note: CONTACT_NOTES[person.status] } : { id: contactId, name: "Okänd person", note: "finns inte längre" });
  }
  const listOrganisations = new Set(organisationIds);
  const named = [item.responsibleOrganisationId, ...item.contributingOrganisationIds].filter((id): id is string => id !== null && !listOrganisations.has(id));
  if (named.length) {
    const found = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...new Set(named)]));
    result.organisations = [...new Set(named)].map((id) => {
      const organisation = found.find((candidate) => candidate.id === id);
      return organisation ? { ...organisation, note: "ser inte listan" } : { id, name: "Okänd organisation", note: "finns inte längre" };
    });
  }
  return result;
}

export type HistoryEntry = {
  id: number;
  at: string;
  by: string;
  action: string;
  changes: Array<{ field: string; label: string; before: unknown; after: unknown }>;
};

/** The item's full change history from the audit log, newest first. */
export async function itemHistory(db: Db, actor: Actor, itemId: string): Promise<HistoryEntry[]> {
  const { item } = await loadItemForActor(db, actor, itemId, "actionList.view");
  const events = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, "action_item"), eq(auditEvents.entityId, item.id)))
    .orderBy(desc(auditEvents.id));
  return events.map((event) => {
    const before = (event.changes.before ?? {}) as Record<string, unknown>;
    const after = (event.changes.after ?? {}) as Record<string, unknown>;
    // The item's own fields; what else an event records (such as the meeting a task came from) is
    // told by the event's label.
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(isItemField);
    return {
      id: event.id,
      at: event.occurredAt.toISOString(),
      by: event.actorLabel,
      action: event.action,
      changes: fields.map((field) => ({ field, label: ITEM_FIELD_LABELS[field], before: before[field] ?? null, after: after[field] ?? null })),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Saved views

export const savedViewSchema = z.object({
  name: z.string().trim().min(1, "Ge vyn ett namn.").max(80, "Namnet får vara högst 80 tecken."),
});

export async function listSavedViews(db: Queryable, actor: Actor, listId: string) {
  return db
    .select({ id: actionListViews.id, name: actionListViews.name, filter: actionListViews.filter })
    .from(actionListViews)
    .where(and(eq(actionListViews.listId, listId), eq(actionListViews.userId, actor.userId)))
    .orderBy(asc(actionListViews.name));
}

export async function saveView(db: Db, actor: Actor, listId: string, name: string, filter: ItemFilter) {
  const { list } = await loadListForActor(db, actor, listId, "actionList.view");
  const existing = await listSavedViews(db, actor, list.id);
  if (existing.length >= 30) throw badRequest("Du kan spara högst 30 vyer per lista.");
  if (existing.some((view) => view.name === name)) throw badRequest("Du har redan en vy med det namnet.", { name: "Du har redan en vy med det namnet." });
  const [view] = await db.insert(actionListViews).values({ listId: list.id, userId: actor.userId, name, filter: { ...filter } }).returning();
  return view;
}

export async function deleteView(db: Db, actor: Actor, viewId: string) {
  if (!uuidPattern.test(viewId)) throw notFound("Vyn finns inte.");
  const deleted = await db.delete(actionListViews).where(and(eq(actionListViews.id, viewId.toLowerCase()), eq(actionListViews.userId, actor.userId))).returning();
  if (deleted.length === 0) throw notFound("Vyn finns inte.");
}
