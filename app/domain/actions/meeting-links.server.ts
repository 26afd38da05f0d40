import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { actionItemMeetings, actionItems, actionLists, meetings } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { badRequest, notFound, uuidPattern } from "../http-errors";
import { loadMeetingResource } from "../meetings/meetings.server";
import { notesAccess } from "../notes/state.server";
import { authorize, can, type Actor } from "../policy";
import { createActionItem, listResource, loadListForActor, visibleListsCondition } from "./action-lists.server";
import { ITEM_FIELD_SCHEMAS, JUDGEMENT_LABELS, STATUS_LABELS } from "./fields";

/**
 * From meeting notes to åtgärder: a task line in a meeting's notes becomes an item of an action
 * list in one step. The task line keeps the item's id (in the notes' Yjs document) and the item
 * keeps the meeting (`action_item_meetings`), so each side links to the other.
 */

const MEETING_NOT_FOUND = "Mötet finns inte.";

/** How many linked items one notes page may ask about at once. */
export const MAX_STATUS_IDS = 200;

export const convertTaskSchema = z.object({
  listId: z.string({ error: "Välj en åtgärdslista." }).regex(uuidPattern, "Välj en åtgärdslista."),
  title: ITEM_FIELD_SCHEMAS.title,
});

/** The notes of a meeting as the actor may use them; a meeting they may not see is missing. */
async function notesFor(db: Db, actor: Actor, meetingId: string) {
  const access = await notesAccess(db, actor, meetingId);
  if (access.decision !== "ok") throw notFound(MEETING_NOT_FOUND);
  return access;
}

/**
 * Creates an item from a task line of the meeting's notes and records that the item was discussed
 * at the meeting, in one transaction. Needs `notes.convertTask`: editing both the notes and the list.
 */
export async function convertTaskToAction(db: Db, actor: Actor, meetingId: string, input: { listId?: unknown; title?: unknown }) {
  const access = await notesFor(db, actor, meetingId);
  const parsed = convertTaskSchema.safeParse({ listId: input.listId, title: typeof input.title === "string" ? input.title.replace(/\s+/g, " ") : input.title });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(issue?.message ?? "Åtgärden kunde inte skapas.", { [String(issue?.path[0] ?? "form")]: issue?.message ?? "" });
  }
  const { list, resource } = await loadListForActor(db, actor, parsed.data.listId, "actionList.view");
  authorize(actor, "notes.convertTask", { type: "notesTask", notes: access.resource, list: resource });
  return createActionItem(db, actor, { listId: list.id, title: parsed.data.title }, async (tx, item) => {
    await tx.insert(actionItemMeetings).values({ actionItemId: item.id, meetingId, createdBy: actor.userId }).onConflictDoNothing();
    const [meeting] = await tx.select({ title: meetings.title }).from(meetings).where(eq(meetings.id, meetingId));
    await recordAudit(tx, {
      actor,
      action: "actionItem.linkMeeting",
      entityType: "action_item",
      entityId: item.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} gjorde en punkt i anteckningarna från ”${meeting?.title ?? "mötet"}” till åtgärd ${item.number} i ${list.title}`,
      before: null,
      after: { meetingId },
    });
  });
}

/** The lists the actor may add items to, for the "Gör till åtgärd" dialog. */
export async function listsForConversion(db: Db, actor: Actor) {
  const rows = await db
    .select({
      id: actionLists.id,
      title: actionLists.title,
      ownerOrganisationId: actionLists.ownerOrganisationId,
      sharedWithOrganisationIds: actionLists.sharedWithOrganisationIds,
      archivedAt: actionLists.archivedAt,
    })
    .from(actionLists)
    .where(visibleListsCondition(actor))
    .orderBy(asc(actionLists.title), asc(actionLists.id));
  return rows.filter((row) => can(actor, "actionList.edit", listResource(row))).map((row) => ({ id: row.id, title: row.title }));
}

export type TaskActionStatus =
  | { id: string; visible: true; number: number; title: string; status: string; statusLabel: string; judgement: string | null; judgementLabel: string | null }
  | { id: string; visible: false };

/**
 * Status of the items the notes link to, for those the actor may see. An item the actor may not
 * see, and one that no longer exists, are answered alike, so the notes never reveal either.
 */
export async function taskActionStatuses(db: Db, actor: Actor, meetingId: string, ids: readonly string[]): Promise<TaskActionStatus[]> {
  await notesFor(db, actor, meetingId);
  if (ids.length > MAX_STATUS_IDS) throw badRequest(`Högst ${MAX_STATUS_IDS} åtgärder kan visas på en gång.`);
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (wanted.some((id) => !uuidPattern.test(id))) throw badRequest("Ogiltig åtgärd.");
  if (wanted.length === 0) return [];
  const rows = await db
    .select({ item: actionItems, list: actionLists })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(and(inArray(actionItems.id, wanted), isNull(actionItems.deletedAt)));
  const found = new Map(rows.map((row) => [row.item.id, row]));
  return wanted.map((id): TaskActionStatus => {
    const row = found.get(id);
    if (!row || !can(actor, "actionList.view", listResource(row.list))) return { id, visible: false };
    const { item } = row;
    return {
      id,
      visible: true,
      number: item.number,
      title: item.title,
      status: item.status,
      statusLabel: STATUS_LABELS[item.status],
      judgement: item.judgement,
      judgementLabel: item.judgement ? JUDGEMENT_LABELS[item.judgement] : null,
    };
  });
}

/** The meetings an item was discussed at, only those the actor may see, earliest first. */
export async function meetingsOfItem(db: Db, actor: Actor, itemId: string) {
  const rows = await db
    .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt })
    .from(actionItemMeetings)
    .innerJoin(meetings, eq(meetings.id, actionItemMeetings.meetingId))
    .where(eq(actionItemMeetings.actionItemId, itemId))
    .orderBy(asc(meetings.startsAt), asc(meetings.id));
  const visible = [];
  for (const row of rows) {
    const loaded = await loadMeetingResource(db, row.id);
    if (loaded && can(actor, "meeting.view", loaded.resource)) visible.push({ id: row.id, title: row.title, startsAtIso: row.startsAt.toISOString() });
  }
  return visible;
}
