import { desc, eq } from "drizzle-orm";
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
  const links = [...rendered.html.matchAll(/<a[^>]+href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((match) => ({
    href: match[1].replace(/&amp;/g, "&"),
    text: match[2].replace(/<[^>]+>/g, "").trim() || match[1],
  }));
  return { row, rendered, links };
}
