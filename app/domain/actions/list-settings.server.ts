import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { actionItems, actionLists, followupItemUpdates, memberships, organisations } from "../../../db/schema";
import { portal, refreshLiveAccess } from "../../server/portal.server";
import { recordAudit } from "../audit/audit.server";
import { badRequest } from "../http-errors";
import type { Actor } from "../policy";
import { loadListForActor, writeItemFields } from "./action-lists.server";
import { actionListRoom, ITEM_EVENT, LIST_EVENT, type ItemEventPayload, type ListEventPayload } from "./rooms";

/**
 * A list's settings (title, description, the organisations it is shared with) for the owning
 * organisation's leads (`actionList.manage`). A change of sharing is written to the audit log in
 * the same transaction, and whoever loses access is taken out of the list's live room at once.
 */

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "En av de valda organisationerna finns inte.")
  .transform((value) => value.toLowerCase());

export const listSettingsSchema = z.object({
  title: z.string().trim().min(3, "Ge listan ett namn (minst 3 tecken).").max(200, "Namnet får vara högst 200 tecken.").optional(),
  description: z.string().trim().max(5000, "Beskrivningen får vara högst 5000 tecken.").optional(),
  /** Organisations to share the list with from now on (already shared ones are left as they are). */
  share: z.array(uuid).max(100, "Högst 100 organisationer åt gången.").default([]),
  /** Organisations that lose access (ones no longer shared are left as they are). */
  unshare: z.array(uuid).max(100, "Högst 100 organisationer åt gången.").default([]),
  /** Removing sharing takes access away from people at once: it must be confirmed. */
  confirmed: z.boolean().default(false),
  /**
   * Items naming an organisation that loses access (responsible, contributing, or the contact
   * person's only organisation among the list's) drop that reference in the same change. Without
   * it such an unsharing is answered with a question, and nothing changes.
   */
  clearReferences: z.boolean().default(false),
});

export type ListSettingsInput = z.input<typeof listSettingsSchema>;

export const UNSHARE_NEEDS_CONFIRMATION = "Bekräfta att organisationerna ska förlora tillgången till listan.";

/** The answer (409) when sharing would be removed without confirmation: nothing was changed. */
export type NeedsConfirmation = { error: "needs_confirmation"; message: string; removedNames: string[] };

/** The answer (409) when organisations losing access are named in items and `clearReferences` was not given: nothing was changed. */
export type NamedInItems = { error: "named_in_items"; message: string; removedNames: string[]; itemNumbers: number[] };

/** What the settings page shows: the list, its organisations and every organisation to choose from. */
export async function getListSettings(db: Db, actor: Actor, listId: string) {
  const { list } = await loadListForActor(db, actor, listId, "actionList.manage");
  const all = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name));
  return {
    list: {
      id: list.id,
      title: list.title,
      description: list.description,
      ownerOrganisationId: list.ownerOrganisationId,
      ownerName: all.find((org) => org.id === list.ownerOrganisationId)?.name ?? "",
      sharedWithOrganisationIds: [...list.sharedWithOrganisationIds],
      archivedAt: list.archivedAt?.toISOString() ?? null,
      tiedToAgreement: await tiedToAgreement(db, list),
    },
    organisations: all.filter((org) => org.id !== list.ownerOrganisationId),
  };
}

/** Names of organisations, in the order given; unknown ids are left out. */
async function organisationNames(db: Queryable, ids: string[]) {
  return namesIn(await organisationNameMap(db, ids), ids);
}

async function organisationNameMap(db: Queryable, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

const namesIn = (names: Map<string, string>, ids: string[]) => ids.map((id) => names.get(id)).filter((name): name is string => Boolean(name));

/**
 * Items that would name an organisation outside the list if `removed` lost access: it is
 * responsible or contributing, or the contact person belongs to it and to none of the remaining
 * organisations. A list never names someone who cannot see it (ADR 0019). Locked, by number.
 */
async function itemsNaming(tx: Queryable, listId: string, removed: string[], remaining: string[]) {
  const removedArray = `{${removed.join(",")}}`;
  const remainingArray = `{${remaining.join(",")}}`;
  const contactLosesAccess = sql<boolean>`(exists (select 1 from ${memberships} where ${memberships.userId} = ${actionItems.contactUserId} and ${memberships.organisationId} = any(${removedArray}::uuid[]))
    and not exists (select 1 from ${memberships} where ${memberships.userId} = ${actionItems.contactUserId} and ${memberships.organisationId} = any(${remainingArray}::uuid[])))`;
  return tx
    .select({ item: actionItems, contactLosesAccess })
    .from(actionItems)
    .where(
      and(
        eq(actionItems.listId, listId),
        isNull(actionItems.deletedAt),
        or(sql`${actionItems.responsibleOrganisationId} = any(${removedArray}::uuid[])`, sql`${actionItems.contributingOrganisationIds} && ${removedArray}::uuid[]`, contactLosesAccess),
      ),
    )
    .orderBy(asc(actionItems.number))
    .for("update");
}

/**
 * Takes the organisations in `removed` out of the items naming them, as edits of those fields
 * (versions moved on, one audit entry per item); returns the item events to publish.
 */
async function clearItemReferences(
  tx: Queryable,
  actor: Actor,
  list: { id: string; ownerOrganisationId: string },
  named: Awaited<ReturnType<typeof itemsNaming>>,
  removed: string[],
  removedNames: string[],
) {
  const events: ItemEventPayload[] = [];
  for (const { item, contactLosesAccess } of named) {
    const next = {
      responsibleOrganisationId: item.responsibleOrganisationId && removed.includes(item.responsibleOrganisationId) ? null : item.responsibleOrganisationId,
      contributingOrganisationIds: item.contributingOrganisationIds.filter((id) => !removed.includes(id)),
      contactUserId: contactLosesAccess ? null : item.contactUserId,
    };
    const changed = Object.fromEntries(Object.entries(next).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(item[field as keyof typeof next])));
    const why = `när listan slutade delas med ${removedNames.length === 1 ? "organisationen" : "dem"}`;
    events.push(
      await writeItemFields(tx, actor, list, item, changed, (fields) => `${actor.name} tog bort ${removedNames.join(", ")} ur åtgärd ${item.number} ”${item.title}” (${fields}) ${why}`),
    );
  }
  return events;
}

/**
 * Changes a list's title, description and sharing. The changes are applied to the list as it is
 * now (its row locked), so two leads sharing with different organisations at once both keep theirs.
 * Nothing is changed when any part is refused.
 */
export async function updateListSettings(db: Db, actor: Actor, listId: string, input: ListSettingsInput) {
  const parsed = listSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "share" || issue.path[0] === "unshare" ? "sharedWithOrganisationIds" : String(issue.path[0] ?? "form");
      fieldErrors[key] ??= issue.message;
    }
    throw badRequest(Object.values(fieldErrors)[0] ?? "Inställningarna kunde inte sparas.", fieldErrors);
  }
  const values = parsed.data;
  const result = await db.transaction(async (tx) => {
    const { list } = await loadListForActor(tx, actor, listId, "actionList.manage");
    const [locked] = await tx.select().from(actionLists).where(eq(actionLists.id, list.id)).for("update");
    const share = [...new Set(values.share)].filter((id) => id !== locked.ownerOrganisationId);
    const unshare = [...new Set(values.unshare)];
    if (unshare.includes(locked.ownerOrganisationId)) {
      throw badRequest("Den ägande organisationen kan inte tas bort från listan.", { sharedWithOrganisationIds: "Den ägande organisationen kan inte tas bort från listan." });
    }
    if (share.some((id) => unshare.includes(id))) throw badRequest("En organisation kan inte både läggas till och tas bort.", { sharedWithOrganisationIds: "En organisation kan inte både läggas till och tas bort." });
    const mentioned = [...new Set([...share, ...unshare])];
    if (mentioned.length) {
      const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, mentioned));
      if (found.length !== mentioned.length) throw badRequest("En av de valda organisationerna finns inte.", { sharedWithOrganisationIds: "En av de valda organisationerna finns inte." });
    }

    const before = locked.sharedWithOrganisationIds;
    const removed = before.filter((id) => unshare.includes(id));
    const added = share.filter((id) => !before.includes(id));
    const after = [...before.filter((id) => !removed.includes(id)), ...added];
    let itemEvents: ItemEventPayload[] = [];
    if (removed.length) {
      const named = await itemsNaming(tx, locked.id, removed, [locked.ownerOrganisationId, ...after]);
      if (named.length && !values.clearReferences) {
        const removedNames = await organisationNames(tx, removed);
        const numbers = named.map((row) => row.item.number);
        const which = numbers.length === 1 ? `åtgärd ${numbers[0]}` : `åtgärd ${numbers.slice(0, 10).join(", ")}${numbers.length > 10 ? " m.fl." : ""}`;
        const message = `${removedNames.join(", ")} är ansvarig, medverkande eller kontaktpersonens organisation i ${which}. En lista pekar inte ut någon som inte kan se den: ändra åtgärderna först, eller ta bort organisationen ur dem när du slutar dela.`;
        throw Response.json({ error: "named_in_items", message, removedNames, itemNumbers: numbers } satisfies NamedInItems, { status: 409 });
      }
      if (!values.confirmed) {
        throw Response.json(
          { error: "needs_confirmation", message: UNSHARE_NEEDS_CONFIRMATION, removedNames: await organisationNames(tx, removed) } satisfies NeedsConfirmation,
          { status: 409 },
        );
      }
      if (named.length) itemEvents = await clearItemReferences(tx, actor, locked, named, removed, await organisationNames(tx, removed));
    }

    const set: Partial<typeof actionLists.$inferInsert> = {};
    const beforeAudit: Record<string, unknown> = {};
    const afterAudit: Record<string, unknown> = {};
    const parts: string[] = [];
    if (values.title !== undefined && values.title !== locked.title) {
      set.title = values.title;
      beforeAudit.title = locked.title;
      afterAudit.title = values.title;
      parts.push(`bytte namn från ”${locked.title}” till ”${values.title}”`);
    }
    if (values.description !== undefined && values.description !== locked.description) {
      set.description = values.description;
      beforeAudit.description = locked.description;
      afterAudit.description = values.description;
      parts.push("ändrade beskrivningen");
    }
    if (added.length || removed.length) {
      set.sharedWithOrganisationIds = after;
      // One query: the transaction's connection takes a single query at a time.
      const names = await organisationNameMap(tx, [...new Set([...before, ...after])]);
      const [beforeNames, afterNames, addedNames, removedNames] = [before, after, added, removed].map((ids) => namesIn(names, ids));
      Object.assign(beforeAudit, { sharedWith: before, sharedWithNames: beforeNames });
      Object.assign(afterAudit, { sharedWith: after, sharedWithNames: afterNames });
      if (addedNames.length) parts.push(`delade den med ${addedNames.join(", ")}`);
      if (removedNames.length) parts.push(`slutade dela den med ${removedNames.join(", ")}`);
    }
    if (parts.length === 0) return { list: locked, changed: false, removed, itemEvents };
    const [updated] = await tx
      .update(actionLists)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(actionLists.id, locked.id))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "actionList.update",
      entityType: "action_list",
      entityId: locked.id,
      organisationId: locked.ownerOrganisationId,
      summary: `${actor.name} ${parts.join(", ")} (åtgärdslistan ${updated.title})`,
      before: beforeAudit,
      after: afterAudit,
    });
    return { list: updated, changed: true, removed, itemEvents };
  });
  if (result.changed) {
    const room = actionListRoom(result.list.id);
    // Those who lost access leave the room before anyone is told of the change.
    if (result.removed.length) await refreshLiveAccess(room);
    for (const event of result.itemEvents) portal().publish(room, ITEM_EVENT, event);
    portal().publish(room, LIST_EVENT, { listId: result.list.id, by: { userId: actor.userId, name: actor.name } } satisfies ListEventPayload);
  }
  return { list: result.list, changed: result.changed };
}

/** Whether an agreement's follow-up reports on the list: it belongs to the agreement, or one of its items does or was reported on. */
async function tiedToAgreement(tx: Queryable, list: { id: string; agreementId: string | null }) {
  if (list.agreementId) return true;
  const [tied] = await tx
    .select({ id: actionItems.id })
    .from(actionItems)
    .leftJoin(followupItemUpdates, eq(followupItemUpdates.actionItemId, actionItems.id))
    .where(and(eq(actionItems.listId, list.id), or(sql`${actionItems.agreementId} is not null`, sql`${followupItemUpdates.id} is not null`)))
    .limit(1);
  return Boolean(tied);
}

export const LIST_TIED_TO_AGREEMENT = "Listan hör till en samverkansöverenskommelse och dess uppföljning och kan inte tas bort. Ta bort åtgärderna ur listan i stället.";

/**
 * Removes a list with its items, comments, saved views and unconfirmed imports (for the owning
 * organisation's leads, after a confirmation). Its history stays in the audit log. A list tied to
 * an agreement is refused: the agreement's follow-up reports on its items. Everyone who has it
 * open is taken out of its live room and told.
 */
export async function deleteActionList(db: Db, actor: Actor, listId: string) {
  const removed = await db.transaction(async (tx) => {
    const { list } = await loadListForActor(tx, actor, listId, "actionList.manage");
    const [locked] = await tx.select().from(actionLists).where(eq(actionLists.id, list.id)).for("update");
    if (await tiedToAgreement(tx, locked)) throw badRequest(LIST_TIED_TO_AGREEMENT);
    const [{ items }] = await tx.select({ items: sql<number>`count(*)::int` }).from(actionItems).where(and(eq(actionItems.listId, locked.id), isNull(actionItems.deletedAt)));
    await tx.delete(actionLists).where(eq(actionLists.id, locked.id));
    await recordAudit(tx, {
      actor,
      action: "actionList.delete",
      entityType: "action_list",
      entityId: locked.id,
      organisationId: locked.ownerOrganisationId,
      summary: `${actor.name} tog bort åtgärdslistan ${locked.title} med ${items} ${items === 1 ? "åtgärd" : "åtgärder"}`,
      before: { title: locked.title, sharedWith: locked.sharedWithOrganisationIds, sharedWithNames: await organisationNames(tx, locked.sharedWithOrganisationIds), items },
      after: null,
    });
    return locked;
  });
  // Nobody may see the list any more: every open copy is told at once.
  await refreshLiveAccess(actionListRoom(removed.id));
  return removed;
}

export const ARCHIVE_TIED_TO_AGREEMENT = "Listan hör till en samverkansöverenskommelse och dess uppföljning och kan inte arkiveras.";

/**
 * Archives a list (`archived` true) or restores it, for the owning organisation's leads. An
 * archived list is read, exported and commented on by everyone who sees it, but its items are not
 * added to, changed or imported into (the policy refuses it), and it is left out of digests, the
 * start page and the lists offered for a meeting's tasks. A list tied to an agreement is refused:
 * its follow-up reports on the items. Open copies reload, and their tables stop taking edits.
 */
export async function setListArchived(db: Db, actor: Actor, listId: string, archived: boolean) {
  const result = await db.transaction(async (tx) => {
    const { list } = await loadListForActor(tx, actor, listId, "actionList.manage");
    const [locked] = await tx.select().from(actionLists).where(eq(actionLists.id, list.id)).for("update");
    if ((locked.archivedAt !== null) === archived) return { list: locked, changed: false };
    if (archived && (await tiedToAgreement(tx, locked))) throw badRequest(ARCHIVE_TIED_TO_AGREEMENT);
    const [updated] = await tx
      .update(actionLists)
      .set({ archivedAt: archived ? sql`now()` : null, updatedAt: sql`now()` })
      .where(eq(actionLists.id, locked.id))
      .returning();
    await recordAudit(tx, {
      actor,
      action: archived ? "actionList.archive" : "actionList.restore",
      entityType: "action_list",
      entityId: locked.id,
      organisationId: locked.ownerOrganisationId,
      summary: `${actor.name} ${archived ? "arkiverade" : "återställde"} åtgärdslistan ${locked.title}`,
      before: { archivedAt: locked.archivedAt?.toISOString() ?? null },
      after: { archivedAt: updated.archivedAt?.toISOString() ?? null },
    });
    return { list: updated, changed: true };
  });
  if (result.changed) {
    portal().publish(actionListRoom(result.list.id), LIST_EVENT, { listId: result.list.id, by: { userId: actor.userId, name: actor.name } } satisfies ListEventPayload);
  }
  return result;
}
