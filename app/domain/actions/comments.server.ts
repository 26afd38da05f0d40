import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { actionItemComments } from "../../../db/schema";
import { portal } from "../../server/portal.server";
import { recordAudit } from "../audit/audit.server";
import { badRequest } from "../http-errors";
import { dispatchEmails } from "../mail/mail.server";
import type { Actor } from "../policy";
import { mentionCandidates, queueMentionMails, resolveMentions } from "./mentions.server";
import { loadItemForActor } from "./action-lists.server";
import { actionListRoom, COMMENT_EVENT, type CommentEventPayload } from "./rooms";

export const COMMENT_MAX_CHARS = 5000;

export const commentSchema = z.object({
  body: z
    .string({ error: "Skriv en kommentar." })
    .trim()
    .min(1, "Skriv en kommentar.")
    .max(COMMENT_MAX_CHARS, `Kommentaren får vara högst ${COMMENT_MAX_CHARS.toLocaleString("sv-SE")} tecken.`),
});

export type CommentView = {
  id: string;
  authorName: string;
  body: string;
  createdAt: string;
  mentioned: string[];
};

/** An item's comment thread, oldest first, with whom each comment mentioned. */
export async function listComments(db: Db, actor: Actor, itemId: string) {
  const { item, list } = await loadItemForActor(db, actor, itemId, "actionItem.comment");
  const rows = await db.select().from(actionItemComments).where(eq(actionItemComments.itemId, item.id)).orderBy(asc(actionItemComments.createdAt));
  const candidates = await mentionCandidates(db, list);
  const names = new Map<string, string>([...candidates.people.map((p) => [p.id, p.name] as const), ...candidates.organisations.map((o) => [o.id, o.name] as const)]);
  const comments: CommentView[] = rows.map((row) => ({
    id: row.id,
    authorName: row.authorName,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    mentioned: [...row.mentionedUserIds, ...row.mentionedOrganisationIds].map((id) => names.get(id)).filter((name): name is string => Boolean(name)),
  }));
  return { item, list, comments, candidates };
}

/**
 * Adds a comment to an item and mails everyone it mentions. The comment is always kept as
 * written; mentions of anyone outside the list are not notified and are returned so the
 * writer can be told.
 */
export async function addComment(db: Db, actor: Actor, itemId: string, input: { body: string }) {
  const parsed = commentSchema.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? "Skriv en kommentar.", { body: parsed.error.issues[0]?.message ?? "" });
  const body = parsed.data.body;
  const { comment, mailIds, mentions, listId, mentioned } = await db.transaction(async (tx) => {
    const { item, list } = await loadItemForActor(tx, actor, itemId, "actionItem.comment");
    const candidates = await mentionCandidates(tx, list);
    const mentions = resolveMentions(body, candidates);
    const [comment] = await tx
      .insert(actionItemComments)
      .values({ itemId: item.id, authorUserId: actor.userId, authorName: actor.name, body, mentionedUserIds: mentions.userIds, mentionedOrganisationIds: mentions.organisationIds })
      .returning();
    const mailIds = await queueMentionMails(tx, comment, list, mentions);
    await recordAudit(tx, {
      actor,
      action: "actionItem.comment",
      entityType: "actionItem",
      entityId: item.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} kommenterade åtgärd #${item.number} ${item.title}`,
      after: { commentId: comment.id, mentionedUserIds: mentions.userIds, mentionedOrganisationIds: mentions.organisationIds },
    });
    const names = new Map<string, string>([...candidates.people.map((p) => [p.id, p.name] as const), ...candidates.organisations.map((o) => [o.id, o.name] as const)]);
    const mentioned = [...mentions.userIds, ...mentions.organisationIds].map((id) => names.get(id)).filter((name): name is string => Boolean(name));
    return { comment, mailIds, mentions, listId: list.id, mentioned };
  });
  // Everyone in the list's room may read the item's comments (`actionItem.comment` is `actionList.view`).
  portal().publish(actionListRoom(listId), COMMENT_EVENT, {
    listId,
    itemId: comment.itemId,
    comment: { id: comment.id, authorName: comment.authorName, body: comment.body, createdAt: comment.createdAt.toISOString(), mentioned },
  } satisfies CommentEventPayload);
  await dispatchEmails(mailIds);
  return { comment, notified: mailIds.filter(Boolean).length, unmatched: mentions.unmatched };
}

/** The Swedish answer shown after a comment was saved. */
export function commentSavedMessage(result: { notified: number; unmatched: string[] }) {
  const parts = ["Kommentaren är sparad."];
  if (result.notified > 0) parts.push(result.notified === 1 ? "En person har fått e-post." : `${result.notified} personer har fått e-post.`);
  if (result.unmatched.length > 0) {
    parts.push(
      `${result.unmatched.join(", ")} ${result.unmatched.length === 1 ? "är" : "är"} inte någon som listan är delad med, så ingen avisering skickades för ${result.unmatched.length === 1 ? "den" : "dem"}.`,
    );
  }
  return parts.join(" ");
}

