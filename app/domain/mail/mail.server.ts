import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { Resend } from "resend";
import type { Db, Queryable } from "../../../db/client";
import { emails } from "../../../db/schema";
import { attachmentBytes, renderTemplate, type RenderedEmail } from "../../../emails/templates";
import { config } from "../../server/config.server";
import { logger } from "../../server/logger.server";
import { portal } from "../../server/portal.server";
import { QUEUES, wake } from "../../server/queue.server";
import { recordAudit } from "../audit/audit.server";
import { authorize, type Actor } from "../policy";
import { templates, type TemplateName, type StoredProps } from "./templates.server";

export { MAIL_ROOM } from "./rooms";
import { MAIL_ROOM } from "./rooms";

export type QueueEmailInput<T extends TemplateName> = {
  template: T;
  to: string;
  /** Shown in the admin's outbox; the mail's real subject is rendered at send time. */
  subject: string;
  props: StoredProps<T>;
  idempotencyKey: string;
};

/**
 * Stores a mail in the same transaction as the change that causes it. Call `dispatchEmails`
 * with the returned ids after the transaction commits; the sweeper catches any that were not.
 */
export async function queueEmail<T extends TemplateName>(tx: Queryable, input: QueueEmailInput<T>) {
  const [row] = await tx
    .insert(emails)
    .values({
      idempotencyKey: input.idempotencyKey,
      template: input.template,
      toAddress: input.to,
      subject: input.subject,
      props: input.props as Record<string, unknown>,
      transport: config().mailOutboxEnabled ? "outbox" : "resend",
    })
    .onConflictDoNothing({ target: emails.idempotencyKey })
    .returning({ id: emails.id });
  return row?.id;
}

export async function dispatchEmails(ids: ReadonlyArray<string | undefined>) {
  const { queue, publish } = portal();
  const pending = ids.filter((id): id is string => Boolean(id));
  if (pending.length === 0) return;
  for (const id of pending) await queue.send(QUEUES.mail, { emailId: id });
  wake(queue, QUEUES.mail);
  publish(MAIL_ROOM, "mail:changed", {});
}

export async function renderEmail(db: Db, row: typeof emails.$inferSelect): Promise<RenderedEmail | null> {
  const template = templates[row.template as TemplateName];
  if (!template) return null;
  return renderTemplate(template(db) as never, row.props as never);
}

class PermanentMailError extends Error {}

let resendClient: Resend | undefined;
function resend() {
  resendClient ??= new Resend(config().RESEND_API_KEY);
  return resendClient;
}

/**
 * Sends one queued mail; safe to run twice. The idempotency key makes the provider drop a
 * second request for the same mail, so a crash between sending and marking sent sends once.
 */
export async function deliverEmail(db: Db, emailId: string) {
  const [claimed] = await db
    .update(emails)
    .set({ status: "sending", attempts: sql`${emails.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(emails.id, emailId), inArray(emails.status, ["queued", "sending"])))
    .returning();
  if (!claimed) return;
  const { publish } = portal();
  try {
    const rendered = await renderEmail(db, claimed);
    if (!rendered) throw new PermanentMailError("Mallen eller dess data finns inte längre.");
    let providerMessageId: string | null = null;
    if (claimed.transport === "resend") {
      const { data, error } = await resend().emails.send(
        {
          from: config().MAIL_FROM,
          to: [claimed.toAddress],
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          // Rendered again from the stored props on every attempt, so a retry sends the same files.
          ...(rendered.attachments.length
            ? {
                attachments: rendered.attachments.map((file) => ({
                  filename: file.filename,
                  contentType: file.contentType,
                  content: attachmentBytes(file).toString("base64"),
                })),
              }
            : {}),
        },
        { idempotencyKey: claimed.idempotencyKey },
      );
      if (error) {
        const status = (error as { statusCode?: number | null }).statusCode ?? 0;
        const message = `${error.name}: ${error.message}`;
        if (status >= 400 && status < 500 && status !== 409 && status !== 429) throw new PermanentMailError(message);
        throw new Error(message);
      }
      providerMessageId = data?.id ?? null;
    }
    await db
      .update(emails)
      .set({ status: "sent", sentAt: new Date(), updatedAt: new Date(), lastError: null, providerMessageId })
      .where(eq(emails.id, emailId));
    publish(MAIL_ROOM, "mail:changed", { id: emailId, status: "sent" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const dead = error instanceof PermanentMailError || claimed.attempts > config().MAIL_RETRY_LIMIT;
    await db
      .update(emails)
      .set({ status: dead ? "dead" : "queued", lastError: message.slice(0, 1000), updatedAt: new Date() })
      .where(eq(emails.id, emailId));
    publish(MAIL_ROOM, "mail:changed", { id: emailId, status: dead ? "dead" : "queued" });
    logger.warn({ emailId, attempt: claimed.attempts, dead, err: message }, "mail delivery failed");
    // Throwing hands the job back to pg-boss, which retries it with backoff.
    if (!dead) throw error;
  }
}

/**
 * Re-queues mails that have no live job: left queued by a crash between commit and dispatch,
 * or left "sending" by a process that died. Runs at start and every few minutes.
 */
export async function sweepOutbox(db: Db, olderThanMs: number) {
  const cutoff = new Date(Date.now() - olderThanMs);
  const stuck = await db
    .select({ id: emails.id })
    .from(emails)
    .where(and(or(eq(emails.status, "queued"), eq(emails.status, "sending")), lt(emails.updatedAt, cutoff)))
    .limit(500);
  if (stuck.length > 0) await dispatchEmails(stuck.map((row) => row.id));
  return stuck.length;
}

export type MailFilter = { status?: (typeof emails.$inferSelect)["status"] };

export async function listEmails(db: Db, actor: Actor, filter: MailFilter) {
  authorize(actor, "system.manageMail", { type: "system" });
  return db
    .select({
      id: emails.id,
      toAddress: emails.toAddress,
      subject: emails.subject,
      template: emails.template,
      status: emails.status,
      transport: emails.transport,
      attempts: emails.attempts,
      lastError: emails.lastError,
      createdAt: emails.createdAt,
      sentAt: emails.sentAt,
    })
    .from(emails)
    .where(filter.status ? eq(emails.status, filter.status) : sql`true`)
    .orderBy(desc(emails.createdAt))
    .limit(200);
}

export async function countEmailsByStatus(db: Db) {
  const rows = await db
    .select({ status: emails.status, count: sql<number>`count(*)::int` })
    .from(emails)
    .groupBy(emails.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.count])) as Partial<Record<MailFilter["status"] & string, number>>;
}

/** Puts a dead mail back in the queue (the admin's dead-letter view). */
export async function retryEmail(db: Db, actor: Actor, emailId: string) {
  authorize(actor, "system.manageMail", { type: "system" });
  const retried = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(emails)
      .set({ status: "queued", attempts: 0, lastError: null, updatedAt: new Date() })
      .where(and(eq(emails.id, emailId), eq(emails.status, "dead")))
      .returning({ id: emails.id, toAddress: emails.toAddress, subject: emails.subject });
    if (!row) return null;
    await recordAudit(tx, {
      actor,
      action: "mail.retry",
      entityType: "email",
      entityId: row.id,
      summary: `Skickade om e-post "${row.subject}"`,
    });
    return row;
  });
  if (!retried) throw Response.json({ error: "not_found", message: "Det finns inget olevererat mejl med det id:t." }, { status: 404 });
  await dispatchEmails([retried.id]);
  return retried;
}
