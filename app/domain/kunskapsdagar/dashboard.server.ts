import { createHash } from "node:crypto";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { auditEvents, kunskapsdagar, kunskapsdagCheckins, kunskapsdagRegistrations } from "../../../db/schema";
import { formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { recordAudit } from "../audit/audit.server";
import { conflict } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { meetingWhen, neutraliseFormula } from "../meetings/meetings.server";
import { stockholmDate } from "../meetings/time";
import type { Actor } from "../policy";
import { checkinDay } from "./checkin.server";
import { movesOfDay } from "./moves.server";
import { registrationStatusLabels } from "./labels";

/**
 * The organisers' overview of a kunskapsdag: who registered from where and when, seats, waitlist,
 * cancellations and no-shows; exports of the registrations with their answers; and a message to
 * everyone registered. All of it is for those who may see the day's registrations.
 */

async function registrationRows(db: Db, kunskapsdagId: string) {
  return db
    .select({
      id: kunskapsdagRegistrations.id,
      arrival: kunskapsdagRegistrations.arrival,
      name: kunskapsdagRegistrations.name,
      email: kunskapsdagRegistrations.email,
      organisationName: kunskapsdagRegistrations.organisationName,
      jobTitle: kunskapsdagRegistrations.jobTitle,
      dietaryNeeds: kunskapsdagRegistrations.dietaryNeeds,
      accessibilityNeeds: kunskapsdagRegistrations.accessibilityNeeds,
      freeText: kunskapsdagRegistrations.freeText,
      status: kunskapsdagRegistrations.status,
      createdAt: kunskapsdagRegistrations.createdAt,
      checkedInAt: kunskapsdagCheckins.checkedInAt,
    })
    .from(kunskapsdagRegistrations)
    .leftJoin(kunskapsdagCheckins, eq(kunskapsdagCheckins.registrationId, kunskapsdagRegistrations.id))
    .where(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId))
    .orderBy(asc(kunskapsdagRegistrations.arrival));
}

export async function getDashboard(db: Db, actor: Actor, kunskapsdagId: string) {
  const { day } = await checkinDay(db, actor, kunskapsdagId);
  const rows = await registrationRows(db, kunskapsdagId);
  const ended = day.endsAt.getTime() <= Date.now();
  const active = rows.filter((row) => row.status !== "avbokad");
  const perOrganisation = new Map<string, number>();
  for (const row of active) perOrganisation.set(row.organisationName, (perOrganisation.get(row.organisationName) ?? 0) + 1);
  const perDay = new Map<string, number>();
  for (const row of rows) perDay.set(stockholmDate(row.createdAt), (perDay.get(stockholmDate(row.createdAt)) ?? 0) + 1);
  const confirmed = rows.filter((row) => row.status === "bekraftad");
  const moves = await movesOfDay(db, kunskapsdagId);
  let waitlistPlace = 0;
  const registrations = rows
    .filter((row) => row.status !== "avbokad")
    .map((row) => ({
      id: row.id,
      arrival: row.arrival,
      name: row.name,
      organisationName: row.organisationName,
      status: row.status,
      // Rows come in arrival order, which is the waitlist's order.
      waitlistPosition: row.status === "vantelista" ? ++waitlistPlace : null,
      history: moves
        .filter((move) => move.registrationId === row.id)
        .map((move) => ({ id: move.id, movedAt: formatDateTime(move.movedAt), movedByName: move.movedByName, from: moveLabel(move.fromStatus, move.fromPosition), to: moveLabel(move.toStatus, move.toPosition), reason: move.reason })),
    }))
    // Those with a seat first, then the waitlist in its order.
    .sort((a, b) => (a.status === b.status ? a.arrival - b.arrival : statusOrder[a.status] - statusOrder[b.status]));
  return {
    day,
    ended,
    registrations,
    totals: {
      capacity: day.capacity,
      confirmed: confirmed.length,
      waitlisted: rows.filter((row) => row.status === "vantelista").length,
      offered: rows.filter((row) => row.status === "erbjuden").length,
      cancelled: rows.filter((row) => row.status === "avbokad").length,
      present: confirmed.filter((row) => row.checkedInAt).length,
      // Only meaningful once the day is over: a seat that nobody came for.
      noShows: ended ? confirmed.filter((row) => !row.checkedInAt).length : null,
    },
    perOrganisation: [...perOrganisation].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "sv")),
    perDay: [...perDay].map(([date, count]) => ({ date, count })).sort((a, b) => a.date.localeCompare(b.date)),
  };
}

const statusOrder = { bekraftad: 0, erbjuden: 1, vantelista: 2, avbokad: 3 } as const;

function moveLabel(status: keyof typeof registrationStatusLabels, position: number | null) {
  return status === "vantelista" ? `Väntelistan, plats ${position}` : registrationStatusLabels[status];
}

const COLUMNS = ["Nr", "Namn", "E-post", "Organisation", "Titel eller roll", "Kost", "Tillgänglighet", "Fritext", "Status", "Anmäld", "Incheckad"] as const;

async function exportRows(db: Db, actor: Actor, kunskapsdagId: string) {
  const { day } = await checkinDay(db, actor, kunskapsdagId);
  const rows = await registrationRows(db, kunskapsdagId);
  const values = rows.map((row) => [
    String(row.arrival),
    row.name,
    row.email,
    row.organisationName,
    row.jobTitle,
    row.dietaryNeeds,
    row.accessibilityNeeds,
    row.freeText,
    registrationStatusLabels[row.status],
    formatDateTime(row.createdAt),
    row.checkedInAt ? formatDateTime(row.checkedInAt) : "",
  ]);
  const base = `anmalda-${stockholmDate(day.startsAt)}-${day.title.normalize("NFKD").replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "kunskapsdag"}`;
  return { values, base };
}

/** The registrations with their answers as CSV for spreadsheets (semicolon, UTF-8 with BOM, formulas neutralised). */
export async function registrationsCsv(db: Db, actor: Actor, kunskapsdagId: string) {
  const { values, base } = await exportRows(db, actor, kunskapsdagId);
  const csv = stringify(
    values.map((row) => row.map(neutraliseFormula)),
    { bom: true, delimiter: ";", header: true, columns: [...COLUMNS], record_delimiter: "windows" },
  );
  return { csv, filename: `${base}.csv` };
}

/** The same as an Excel workbook; cells are written as text, so nothing in them is run as a formula. */
export async function registrationsXlsx(db: Db, actor: Actor, kunskapsdagId: string) {
  const { values, base } = await exportRows(db, actor, kunskapsdagId);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Samverkansportalen";
  const sheet = workbook.addWorksheet("Anmälda");
  sheet.columns = COLUMNS.map((header) => ({ header, width: header === "Namn" || header === "E-post" || header === "Organisation" ? 28 : 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of values) sheet.addRow(row.map((value) => ({ richText: [{ text: value }] })));
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return { body: new Uint8Array(buffer as ArrayBuffer), filename: `${base}.xlsx` };
}

// ---------------------------------------------------------------------------------------------
// A message to everyone registered.

export const messageSchema = z.object({
  subject: z.string({ error: "Skriv en ämnesrad." }).trim().min(1, "Skriv en ämnesrad.").max(150, "Ämnesraden får vara högst 150 tecken."),
  text: z.string({ error: "Skriv ett meddelande." }).trim().min(1, "Skriv ett meddelande.").max(5000, "Meddelandet får vara högst 5 000 tecken."),
});

/** Between two messages to the same day's participants, so a double click or a resend does not reach everyone twice. */
export const MESSAGE_INTERVAL_MS = 2 * 60 * 1000;

export type KunskapsdagMessageStored = { registrationId: string; subject: string; text: string };

/**
 * Queues one mail per person with a seat or on the waitlist. The same message sent twice has the
 * same idempotency keys (nothing more is queued); any message within MESSAGE_INTERVAL_MS of the
 * previous one is refused. The day's row lock makes two organisers' sends take turns.
 */
export async function messageRegistered(db: Db, actor: Actor, kunskapsdagId: string, input: z.infer<typeof messageSchema>) {
  const { day } = await checkinDay(db, actor, kunskapsdagId);
  const digest = createHash("sha256").update(`${input.subject}\n${input.text}`).digest("hex").slice(0, 16);
  const result = await db.transaction(async (tx) => {
    await tx.select({ id: kunskapsdagar.id }).from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update");
    const [recent] = await tx
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "kunskapsdag.message"), eq(auditEvents.entityId, kunskapsdagId), gt(auditEvents.occurredAt, new Date(Date.now() - MESSAGE_INTERVAL_MS))))
      .limit(1);
    if (recent) throw Response.json({ error: "rate_limited", message: "Ett meddelande skickades nyss till de anmälda. Vänta två minuter innan du skickar ett till." }, { status: 429 });
    const recipients = await tx
      .select({ id: kunskapsdagRegistrations.id, email: kunskapsdagRegistrations.email })
      .from(kunskapsdagRegistrations)
      .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), sql`${kunskapsdagRegistrations.status} <> 'avbokad'`));
    if (recipients.length === 0) throw conflict("Ingen är anmäld till kunskapsdagen ännu.");
    const ids: string[] = [];
    for (const recipient of recipients) {
      const queued = await queueEmail(tx, {
        template: "kunskapsdag-message",
        to: recipient.email,
        subject: `${input.subject} – ${day.title}`,
        props: { registrationId: recipient.id, subject: input.subject, text: input.text },
        idempotencyKey: `kunskapsdag-message:${kunskapsdagId}:${digest}:${recipient.id}`,
      });
      if (queued) ids.push(queued);
    }
    await recordAudit(tx, {
      actor,
      action: "kunskapsdag.message",
      entityType: "kunskapsdag",
      entityId: kunskapsdagId,
      organisationId: day.ownerOrganisationId,
      summary: `${actor.name} skickade meddelandet ”${input.subject}” till ${recipients.length} anmälda till ${day.title}`,
    });
    return { ids, count: recipients.length };
  });
  await dispatchEmails(result.ids);
  return { count: result.count };
}

export async function loadKunskapsdagMessageEmail(db: Db, stored: KunskapsdagMessageStored) {
  const [row] = await db
    .select({ registration: kunskapsdagRegistrations, day: kunskapsdagar })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(eq(kunskapsdagRegistrations.id, stored.registrationId));
  // Someone who cancelled after the message was queued does not get it.
  if (!row || row.registration.status === "avbokad") return null;
  return {
    recipientName: row.registration.name,
    title: row.day.title,
    when: meetingWhen(row.day.startsAt, row.day.endsAt),
    subject: stored.subject,
    text: stored.text,
    dayUrl: `${config().baseUrl}/kunskapsdagar/${row.day.id}`,
  };
}
