import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../../../db/client";
import { meetingInvitees, meetings, networks, notesApprovalRounds, notesApprovers, notesDocuments, notesVersions, users } from "../../../db/schema";
import { formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";
import { badRequest, conflict } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { meetingWhen } from "../meetings/meetings.server";
import { authorize, can, type Actor } from "../policy";
import { notesToPdf } from "./export/pdf.server";
import { notesStatusLabels } from "./labels";
import { notesStatusChanged } from "./live.server";
import { freezeNotesVersion, lockNotesDocument, notesOfMeeting } from "./versions.server";
import { knownInviteeName } from "../meetings/invitee-names";

export { notesStatusLabels } from "./labels";

const MAX_APPROVERS = 10;
const ROUND_GONE = "Justeringen har avslutats eller ersatts av en ny. Ladda om sidan.";

export const notesPath = (meetingId: string) => `/moten/${meetingId}/anteckningar`;
export const approvalPath = (meetingId: string) => `/moten/${meetingId}/anteckningar/justering`;

async function currentRound(db: Db | Tx, documentId: string) {
  const [round] = await db.select().from(notesApprovalRounds).where(eq(notesApprovalRounds.documentId, documentId)).orderBy(desc(notesApprovalRounds.round)).limit(1);
  return round ?? null;
}

async function roundApprovers(db: Db | Tx, roundId: string) {
  return db
    .select({ id: notesApprovers.id, userId: notesApprovers.userId, name: users.name, status: notesApprovers.status, comment: notesApprovers.comment, respondedAt: notesApprovers.respondedAt })
    .from(notesApprovers)
    .innerJoin(users, eq(users.id, notesApprovers.userId))
    .where(eq(notesApprovers.roundId, roundId))
    .orderBy(asc(users.name));
}

/** Invitees with an account: the people a coordinator may choose as justerare. */
async function inviteesWithAccount(db: Db | Tx, meetingId: string) {
  return db
    .select({ userId: meetingInvitees.userId, name: users.name })
    .from(meetingInvitees)
    .innerJoin(users, eq(users.id, meetingInvitees.userId))
    .where(and(eq(meetingInvitees.meetingId, meetingId), isNotNull(meetingInvitees.userId), eq(users.status, "active")))
    .orderBy(asc(users.name));
}

/** Everything the approval page shows; comments only to those who run the meeting and to their writer. */
export async function getNotesApproval(db: Db, actor: Actor, meetingId: string) {
  const { meeting, network, resource, document } = await notesOfMeeting(db, actor, meetingId);
  const round = await currentRound(db, document.id);
  const approvers = round ? await roundApprovers(db, round.id) : [];
  const coordinates = can(actor, "notes.sendForApproval", resource);
  const mine = round && document.status === "for_approval" ? approvers.find((approver) => approver.userId === actor.userId) : undefined;
  const history = await db
    .select({ round: notesApprovalRounds.round, sentAt: notesApprovalRounds.sentAt, approvedAt: notesApprovalRounds.approvedAt, reopenedAt: notesApprovalRounds.reopenedAt, reopenReason: notesApprovalRounds.reopenReason, reopenedBy: users.name })
    .from(notesApprovalRounds)
    .leftJoin(users, eq(users.id, notesApprovalRounds.reopenedBy))
    .where(eq(notesApprovalRounds.documentId, document.id))
    .orderBy(desc(notesApprovalRounds.round))
    .limit(50);
  return {
    meeting,
    networkName: network.name,
    status: document.status,
    round: round ? { id: round.id, number: round.round, sentAt: round.sentAt, approvedAt: round.approvedAt, approvalVersionId: round.approvalVersionId } : null,
    approvers: approvers.map((approver) => ({
      ...approver,
      comment: coordinates || approver.userId === actor.userId ? approver.comment : "",
    })),
    candidates: coordinates && document.status === "open" ? await inviteesWithAccount(db, meetingId) : [],
    mine: mine ? { status: mine.status, comment: mine.comment } : null,
    history,
    can: {
      send: coordinates && document.status === "open",
      reopen: can(actor, "notes.reopen", resource) && document.status !== "open",
      answer: Boolean(mine && mine.status !== "approved" && can(actor, "notes.approve", { type: "invitee", userId: mine.userId })),
      export: can(actor, "notes.export", resource),
      viewVersions: can(actor, "notes.viewVersions", resource),
    },
  };
}

const uuidList = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Ogiltig justerare.")),
);

export const sendForApprovalSchema = z.object({
  approverIds: uuidList
    .refine((list) => list.length >= 1, "Välj minst en justerare.")
    .refine((list) => list.length <= MAX_APPROVERS, `Välj högst ${MAX_APPROVERS} justerare.`),
});

/** The coordinator sends the notes to chosen justerare; each gets a mail with a link to the approval page. */
export async function sendNotesForApproval(db: Db, actor: Actor, meetingId: string, input: z.infer<typeof sendForApprovalSchema>) {
  const { meeting, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.sendForApproval", resource);
  const chosen = [...new Set(input.approverIds.map((id) => id.toLowerCase()))];
  const result = await db.transaction(async (tx) => {
    const locked = await lockNotesDocument(tx, document.id);
    if (locked.status !== "open") throw conflict("Anteckningarna är redan skickade för justering eller justerade.");
    const candidates = await inviteesWithAccount(tx, meetingId);
    const byId = new Map(candidates.map((candidate) => [candidate.userId!, candidate.name]));
    if (chosen.some((id) => !byId.has(id))) throw badRequest("Justerare väljs bland mötets inbjudna som har konto i portalen.", { approverIds: "Justerare väljs bland mötets inbjudna som har konto i portalen." });
    const previous = await currentRound(tx, document.id);
    const [round] = await tx
      .insert(notesApprovalRounds)
      .values({ documentId: document.id, round: (previous?.round ?? 0) + 1, sentBy: actor.userId === SYSTEM_ACTOR.userId ? null : actor.userId })
      .returning();
    const approvers = await tx
      .insert(notesApprovers)
      .values(chosen.map((userId) => ({ roundId: round.id, userId })))
      .returning({ id: notesApprovers.id, userId: notesApprovers.userId });
    await tx.update(notesDocuments).set({ status: "for_approval", updatedAt: new Date() }).where(eq(notesDocuments.id, document.id));
    const recipients = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, chosen));
    const mailIds: Array<string | undefined> = [];
    for (const approver of approvers) {
      const email = recipients.find((recipient) => recipient.id === approver.userId)?.email;
      if (!email) continue;
      mailIds.push(
        await queueEmail(tx, {
          template: "notes-approval-request",
          to: email,
          subject: `Justera minnesanteckningarna: ${meeting.title}`,
          props: { approverId: approver.id },
          idempotencyKey: `notes-approval-request:${approver.id}`,
        }),
      );
    }
    const names = chosen.map((id) => byId.get(id)!);
    await recordAudit(tx, {
      actor,
      action: "notes.sentForApproval",
      entityType: "notes",
      entityId: document.id,
      organisationId: meeting.ownerOrganisationId,
      summary: `Anteckningarna till ${meeting.title} skickades för justering till ${names.join(", ")}`,
      after: { round: round.round, approverUserIds: chosen },
    });
    return { mailIds, names };
  });
  // Open editors turn read-only first; the mails may take a while.
  await notesStatusChanged(meetingId);
  await dispatchEmails(result.mailIds);
  return { names: result.names };
}

export const answerApprovalSchema = z
  .object({
    roundId: z.string().regex(/^[0-9a-f-]{36}$/i, "Ogiltig justering. Ladda om sidan."),
    decision: z.enum(["approve", "comment"], { error: "Välj om du justerar eller kommenterar." }),
    comment: z.string().trim().max(2000, "Kommentaren får vara högst 2000 tecken.").default(""),
  })
  .refine((form) => form.decision === "approve" || form.comment.length > 0, { path: ["comment"], message: "Skriv vad som behöver ändras." });

/**
 * A justerare approves or comments. When the last one approves, the notes become read-only,
 * a version is frozen and the minutes go by mail, with the PDF, to every invitee.
 */
export async function answerNotesApproval(db: Db, actor: Actor, meetingId: string, input: z.infer<typeof answerApprovalSchema>) {
  const { meeting, document } = await notesOfMeeting(db, actor, meetingId);
  const result = await db.transaction(async (tx) => {
    const locked = await lockNotesDocument(tx, document.id);
    const round = await currentRound(tx, document.id);
    if (!round || round.id !== input.roundId.toLowerCase() || locked.status !== "for_approval") throw conflict(ROUND_GONE);
    const [approver] = await tx.select().from(notesApprovers).where(and(eq(notesApprovers.roundId, round.id), eq(notesApprovers.userId, actor.userId)));
    authorize(actor, "notes.approve", { type: "invitee", userId: approver?.userId ?? null });
    if (approver.status === "approved") throw conflict("Du har redan justerat anteckningarna.");
    const now = new Date();
    await tx
      .update(notesApprovers)
      .set({ status: input.decision === "approve" ? "approved" : "commented", comment: input.comment || approver.comment, respondedAt: now })
      .where(eq(notesApprovers.id, approver.id));
    await recordAudit(tx, {
      actor,
      action: input.decision === "approve" ? "notes.approvedBy" : "notes.commented",
      entityType: "notes",
      entityId: document.id,
      organisationId: meeting.ownerOrganisationId,
      summary: input.decision === "approve" ? `${actor.name} justerade anteckningarna till ${meeting.title}` : `${actor.name} kommenterade anteckningarna till ${meeting.title}`,
      after: { round: round.round, ...(input.comment ? { comment: input.comment } : {}) },
    });
    if (input.decision !== "approve") return { approved: false, mailIds: [] as Array<string | undefined> };
    const pending = await tx
      .select({ id: notesApprovers.id })
      .from(notesApprovers)
      .where(and(eq(notesApprovers.roundId, round.id), sql`${notesApprovers.status} <> 'approved'`));
    if (pending.length) return { approved: false, mailIds: [] as Array<string | undefined> };
    return { approved: true, mailIds: await completeApproval(tx, actor, { meetingId, title: meeting.title, ownerOrganisationId: meeting.ownerOrganisationId, documentId: document.id, roundId: round.id, roundNumber: round.round, now }) };
  });
  // Open editors turn read-only first; the mails may take a while.
  await notesStatusChanged(meetingId);
  await dispatchEmails(result.mailIds);
  return { approved: result.approved };
}

/** The last approval: read-only status, the frozen version, and the minutes to every invitee. */
async function completeApproval(
  tx: Tx,
  actor: Actor,
  input: { meetingId: string; title: string; ownerOrganisationId: string; documentId: string; roundId: string; roundNumber: number; now: Date },
) {
  const version = await freezeNotesVersion(tx, { documentId: input.documentId, kind: "approval", name: `Justerad ${formatDateTime(input.now)}`, userId: actor.userId });
  await tx.update(notesApprovalRounds).set({ approvedAt: input.now, approvalVersionId: version.id }).where(eq(notesApprovalRounds.id, input.roundId));
  await tx.update(notesDocuments).set({ status: "approved", updatedAt: input.now }).where(eq(notesDocuments.id, input.documentId));
  const invitees = await tx
    .select({ email: meetingInvitees.email, name: meetingInvitees.name, userId: meetingInvitees.userId })
    .from(meetingInvitees)
    .where(eq(meetingInvitees.meetingId, input.meetingId))
    .orderBy(asc(meetingInvitees.email));
  const mailIds: Array<string | undefined> = [];
  for (const invitee of invitees) {
    mailIds.push(
      await queueEmail(tx, {
        template: "notes-approved",
        to: invitee.email,
        subject: `Justerade minnesanteckningar: ${input.title}`,
        props: { roundId: input.roundId, meetingId: input.meetingId, name: knownInviteeName(invitee) ?? "" },
        idempotencyKey: `notes-approved:${input.roundId}:${invitee.email.toLowerCase()}`,
      }),
    );
  }
  await recordAudit(tx, {
    actor,
    action: "notes.approved",
    entityType: "notes",
    entityId: input.documentId,
    organisationId: input.ownerOrganisationId,
    summary: `Anteckningarna till ${input.title} är justerade och skickade till ${invitees.length} inbjudna`,
    after: { round: input.roundNumber, versionId: version.id },
  });
  return mailIds;
}

export const reopenSchema = z.object({
  reason: z
    .string({ error: "Skriv varför anteckningarna öppnas igen." })
    .trim()
    .min(5, "Skriv varför anteckningarna öppnas igen (minst 5 tecken).")
    .max(1000, "Anledningen får vara högst 1000 tecken."),
});

/** A coordinator opens sent or approved notes for editing again; the reason is kept and logged. */
export async function reopenNotes(db: Db, actor: Actor, meetingId: string, input: z.infer<typeof reopenSchema>) {
  const { meeting, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.reopen", resource);
  await db.transaction(async (tx) => {
    const locked = await lockNotesDocument(tx, document.id);
    if (locked.status === "open") throw conflict("Anteckningarna är redan öppna för redigering.");
    const round = await currentRound(tx, document.id);
    if (round) await tx.update(notesApprovalRounds).set({ reopenedAt: new Date(), reopenedBy: actor.userId === SYSTEM_ACTOR.userId ? null : actor.userId, reopenReason: input.reason }).where(eq(notesApprovalRounds.id, round.id));
    await tx.update(notesDocuments).set({ status: "open", updatedAt: new Date() }).where(eq(notesDocuments.id, document.id));
    await recordAudit(tx, {
      actor,
      action: "notes.reopened",
      entityType: "notes",
      entityId: document.id,
      organisationId: meeting.ownerOrganisationId,
      summary: `Anteckningarna till ${meeting.title} öppnades igen: ${input.reason}`,
      before: { status: locked.status },
      after: { status: "open", reason: input.reason },
    });
  });
  await notesStatusChanged(meetingId);
}

// ---------------------------------------------------------------------------------------------
// Mails, loaded at send time.

export type NotesApprovalRequestStored = { approverId: string };

export async function loadNotesApprovalRequestEmail(db: Db, stored: NotesApprovalRequestStored) {
  const [row] = await db
    .select({ recipientName: users.name, meetingId: meetings.id, title: meetings.title, startsAt: meetings.startsAt, endsAt: meetings.endsAt, networkName: networks.name, sentBy: notesApprovalRounds.sentBy })
    .from(notesApprovers)
    .innerJoin(users, eq(users.id, notesApprovers.userId))
    .innerJoin(notesApprovalRounds, eq(notesApprovalRounds.id, notesApprovers.roundId))
    .innerJoin(notesDocuments, eq(notesDocuments.id, notesApprovalRounds.documentId))
    .innerJoin(meetings, eq(meetings.id, notesDocuments.meetingId))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(eq(notesApprovers.id, stored.approverId));
  if (!row) return null;
  const [coordinator] = row.sentBy ? await db.select({ name: users.name }).from(users).where(eq(users.id, row.sentBy)) : [];
  return {
    recipientName: row.recipientName,
    coordinatorName: coordinator?.name ?? "Mötets samordnare",
    networkName: row.networkName,
    title: row.title,
    when: meetingWhen(row.startsAt, row.endsAt),
    approvalUrl: `${config().baseUrl}${approvalPath(row.meetingId)}`,
  };
}

export type NotesApprovedStored = { roundId: string; meetingId: string; name: string };

/** The approved minutes: always the version frozen at approval, rendered to PDF at send time. */
export async function loadNotesApprovedEmail(db: Db, stored: NotesApprovedStored) {
  const [row] = await db
    .select({ approvedAt: notesApprovalRounds.approvedAt, contentJson: notesVersions.contentJson, title: meetings.title, startsAt: meetings.startsAt, endsAt: meetings.endsAt, networkName: networks.name })
    .from(notesApprovalRounds)
    .innerJoin(notesVersions, eq(notesVersions.id, notesApprovalRounds.approvalVersionId))
    .innerJoin(notesDocuments, eq(notesDocuments.id, notesApprovalRounds.documentId))
    .innerJoin(meetings, eq(meetings.id, notesDocuments.meetingId))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(and(eq(notesApprovalRounds.id, stored.roundId), eq(meetings.id, stored.meetingId)));
  if (!row || !row.approvedAt) return null;
  const approverNames = (await roundApprovers(db, stored.roundId)).map((approver) => approver.name);
  const when = meetingWhen(row.startsAt, row.endsAt);
  const approvedAt = formatDateTime(row.approvedAt);
  const pdf = await notesToPdf({ title: row.title, when, networkName: row.networkName, status: approvedStatus(approvedAt, approverNames) }, row.contentJson);
  return {
    recipientName: stored.name,
    networkName: row.networkName,
    title: row.title,
    when,
    approvedAt,
    approverNames,
    notesUrl: `${config().baseUrl}${notesPath(stored.meetingId)}`,
    pdfBase64: pdf.toString("base64"),
    pdfFilename: exportFilename(row.title, "pdf"),
  };
}

/** "Justerade 25 nov. 2026 10:12 av …" for the last approved round of a document. */
export async function approvedStatusOf(db: Db, documentId: string) {
  const [round] = await db
    .select({ id: notesApprovalRounds.id, approvedAt: notesApprovalRounds.approvedAt })
    .from(notesApprovalRounds)
    .where(and(eq(notesApprovalRounds.documentId, documentId), isNotNull(notesApprovalRounds.approvedAt)))
    .orderBy(desc(notesApprovalRounds.round))
    .limit(1);
  if (!round?.approvedAt) return notesStatusLabels.approved;
  return approvedStatus(formatDateTime(round.approvedAt), (await roundApprovers(db, round.id)).map((approver) => approver.name));
}

export function approvedStatus(approvedAt: string, approverNames: string[]) {
  return `Justerade ${approvedAt} av ${approverNames.join(", ")}`;
}

/** "minnesanteckningar-samverkansmote-jarva.pdf": ASCII only, for every mail program and file system. */
export function exportFilename(title: string, extension: string) {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `minnesanteckningar${slug ? `-${slug}` : ""}.${extension}`;
}
