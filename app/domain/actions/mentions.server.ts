import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import { actionItemComments, actionItems, actionLists, memberships, organisations, users } from "../../../db/schema";
import type { ActionMentionEmailProps } from "../../../emails/action-mention";
import { config } from "../../server/config.server";
import { queueEmail } from "../mail/mail.server";

/**
 * @mentions in comments. Only people who can see the list (members of its owning organisation
 * or of one it is shared with) and those organisations themselves can be mentioned; anything else
 * after an @ is left as plain text and reported back to the writer, without telling whether such
 * a person exists elsewhere in the portal.
 */

export type MentionCandidates = {
  people: Array<{ id: string; name: string; email: string }>;
  organisations: Array<{ id: string; name: string }>;
};

export type ResolvedMentions = { userIds: string[]; organisationIds: string[]; unmatched: string[] };

/** Everyone and every organisation a comment on this list may mention. */
export async function mentionCandidates(db: Queryable, list: Pick<typeof actionLists.$inferSelect, "ownerOrganisationId" | "sharedWithOrganisationIds">): Promise<MentionCandidates> {
  const organisationIds = [list.ownerOrganisationId, ...list.sharedWithOrganisationIds];
  const people = await db
    .selectDistinct({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(inArray(memberships.organisationId, organisationIds), inArray(users.status, ["active", "invited"])))
    .orderBy(users.name);
  const orgs = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, organisationIds)).orderBy(organisations.name);
  return { people, organisations: orgs };
}

const WORD_CHARACTER = /[\p{L}\p{N}_-]/u;

/** Finds "@Förnamn Efternamn", "@namn@adress.se" and "@Organisationens namn" at the start of a word. */
export function resolveMentions(body: string, candidates: MentionCandidates): ResolvedMentions {
  const names = [
    ...candidates.people.flatMap((person) => [
      { text: person.name, kind: "person" as const, id: person.id },
      { text: person.email, kind: "person" as const, id: person.id },
    ]),
    ...candidates.organisations.map((organisation) => ({ text: organisation.name, kind: "organisation" as const, id: organisation.id })),
  ]
    .filter((name) => name.text.length > 0)
    .sort((a, b) => b.text.length - a.text.length);
  const lower = body.toLocaleLowerCase("sv-SE");
  const result: ResolvedMentions = { userIds: [], organisationIds: [], unmatched: [] };
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && WORD_CHARACTER.test(body[at - 1])) continue; // part of an e-mail address in the text
    const rest = lower.slice(at + 1);
    const found = names.find((name) => rest.startsWith(name.text.toLocaleLowerCase("sv-SE")) && !WORD_CHARACTER.test(rest[name.text.length] ?? " "));
    if (found) {
      const target = found.kind === "person" ? result.userIds : result.organisationIds;
      if (!target.includes(found.id)) target.push(found.id);
      at += found.text.length;
      continue;
    }
    const word = /^[^\s@,.;:!?()]+/u.exec(body.slice(at + 1))?.[0];
    if (word && !result.unmatched.includes(`@${word}`)) result.unmatched.push(`@${word}`);
  }
  return result;
}

/** The profile's "När någon nämner mig" (on unless turned off). */
const wantsMentions = sql`coalesce((${users.notificationSettings}->>'mentions')::boolean, true)`;

/**
 * Queues one mail per person reached by the comment's mentions: each mentioned person, and the
 * members of each mentioned organisation, never the author, only while they can see the list and
 * want such mails. Each mail's key holds the comment and the person, so nobody gets two.
 */
export async function queueMentionMails(
  tx: Queryable,
  comment: { id: string; authorUserId: string | null },
  list: Pick<typeof actionLists.$inferSelect, "ownerOrganisationId" | "sharedWithOrganisationIds">,
  mentions: Pick<ResolvedMentions, "userIds" | "organisationIds">,
) {
  const listOrganisationIds = [list.ownerOrganisationId, ...list.sharedWithOrganisationIds];
  const recipients = new Map<string, { email: string; organisationId: string | null }>();
  if (mentions.userIds.length) {
    const people = await tx
      .selectDistinct({ id: users.id, email: users.email })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(inArray(users.id, mentions.userIds), inArray(memberships.organisationId, listOrganisationIds), eq(users.status, "active"), wantsMentions));
    for (const person of people) recipients.set(person.id, { email: person.email, organisationId: null });
  }
  const organisationIds = mentions.organisationIds.filter((id) => listOrganisationIds.includes(id));
  if (organisationIds.length) {
    const members = await tx
      .select({ id: users.id, email: users.email, organisationId: memberships.organisationId })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(inArray(memberships.organisationId, organisationIds), eq(users.status, "active"), wantsMentions));
    for (const member of members) if (!recipients.has(member.id)) recipients.set(member.id, { email: member.email, organisationId: member.organisationId });
  }
  if (comment.authorUserId) recipients.delete(comment.authorUserId);
  const mailIds: Array<string | undefined> = [];
  for (const [userId, recipient] of recipients) {
    mailIds.push(
      await queueEmail(tx, {
        template: "action-mention",
        to: recipient.email,
        subject: "Du har nämnts i en kommentar",
        props: { commentId: comment.id, userId, organisationId: recipient.organisationId },
        idempotencyKey: `action-mention:${comment.id}:${userId}`,
      }),
    );
  }
  return mailIds;
}

export type MentionEmailStored = { commentId: string; userId: string; organisationId: string | null };

/** Built at send time; not sent when the item is gone or the person no longer sees the list or wants such mails. */
export async function loadMentionEmail(db: Db, stored: MentionEmailStored): Promise<ActionMentionEmailProps | null> {
  const [row] = await db
    .select({ comment: actionItemComments, item: actionItems, list: actionLists })
    .from(actionItemComments)
    .innerJoin(actionItems, eq(actionItems.id, actionItemComments.itemId))
    .innerJoin(actionLists, eq(actionLists.id, actionItems.listId))
    .where(eq(actionItemComments.id, stored.commentId));
  if (!row || row.item.deletedAt) return null;
  const [person] = await db.select().from(users).where(eq(users.id, stored.userId));
  if (!person || person.status !== "active" || person.notificationSettings?.mentions === false) return null;
  const listOrganisationIds = [row.list.ownerOrganisationId, ...row.list.sharedWithOrganisationIds];
  const [seen] = await db
    .select({ organisationId: memberships.organisationId })
    .from(memberships)
    .where(and(eq(memberships.userId, person.id), inArray(memberships.organisationId, listOrganisationIds)))
    .limit(1);
  if (!seen) return null;
  const organisationName = stored.organisationId
    ? ((await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, stored.organisationId)))[0]?.name ?? null)
    : null;
  const excerpt = row.comment.body.length > 600 ? `${row.comment.body.slice(0, 600)}…` : row.comment.body;
  return {
    recipientName: person.name,
    authorName: row.comment.authorName,
    organisationName,
    listTitle: row.list.title,
    itemLabel: `#${row.item.number} ${row.item.title}`,
    excerpt,
    itemUrl: `${config().baseUrl}/atgarder/${row.item.id}#kommentarer`,
  };
}
