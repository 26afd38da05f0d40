import { desc, eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Db } from "../../../db/client";
import { emails } from "../../../db/schema";
import { config } from "../../server/config.server";
import { notFound } from "../http-errors";
import { renderEmail } from "./mail.server";

/** The local outbox is there only when no mail provider is configured (development and demo). */
export function assertOutboxEnabled() {
  if (!config().mailOutboxEnabled) throw notFound();
}

export async function listOutbox(db: Db) {
  assertOutboxEnabled();
  return db
    .select({ id: emails.id, toAddress: emails.toAddress, subject: emails.subject, status: emails.status, createdAt: emails.createdAt })
    .from(emails)
    .where(eq(emails.transport, "outbox"))
    .orderBy(desc(emails.createdAt))
    .limit(100);
}

export async function readOutboxEmail(db: Db, id: string) {
  assertOutboxEnabled();
  const [row] = await db.select().from(emails).where(eq(emails.id, id));
  if (!row || row.transport !== "outbox") throw notFound("Mejlet finns inte i utkorgen.");
  const rendered = await renderEmail(db, row);
  if (!rendered) throw notFound("Mejlets innehåll finns inte längre.");
  return { row, rendered, links: linksIn(rendered.html) };
}

/** The distinct links of a mail with their visible text (mail layouts pad buttons with hair and zero-width spaces). */
export function linksIn(html: string): Array<{ href: string; text: string }> {
  const seen = new Set<string>();
  return DomUtils.getElementsByTagName("a", parseDocument(html))
    .map((anchor) => {
      const href = anchor.attribs.href ?? "";
      const text = DomUtils.textContent(anchor).replace(/[\s\u200a\u200b\u00a0]+/g, " ").trim();
      return { href, text: text || href };
    })
    .filter((link) => /^https?:\/\//.test(link.href) && !seen.has(link.href) && seen.add(link.href));
}
