import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { actionItems, actionLists } from "../../../db/schema";
import { notFound } from "../http-errors";
import { authorize, can, type Action, type Actor, type ActionListResource } from "../policy";

type ListAction = Extract<Action, "actionList.export" | "actionList.import" | "actionItem.comment">;

export function listResource(list: Pick<typeof actionLists.$inferSelect, "ownerOrganisationId" | "sharedWithOrganisationIds">): ActionListResource {
  return { type: "actionList", ownerOrganisationId: list.ownerOrganisationId, sharedWithOrganisationIds: list.sharedWithOrganisationIds };
}

/** A list the actor may act on; a list they cannot see is answered like a missing one. */
export async function loadListFor(db: Queryable, actor: Actor, listId: string, action: ListAction) {
  const [list] = await db.select().from(actionLists).where(eq(actionLists.id, listId));
  if (!list || !can(actor, action, listResource(list))) throw notFound();
  authorize(actor, action, listResource(list));
  return list;
}

/** An item (not removed) and its list, when the actor may act on that list. */
export async function loadItemFor(db: Queryable, actor: Actor, itemId: string, action: ListAction) {
  const [row] = await db
    .select({ item: actionItems, list: actionLists })
    .from(actionItems)
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(and(eq(actionItems.id, itemId), isNull(actionItems.deletedAt)));
  if (!row || !can(actor, action, listResource(row.list))) throw notFound();
  return row;
}
