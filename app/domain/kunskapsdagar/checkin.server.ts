import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, asc, eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { kunskapsdagCheckins, kunskapsdagRegistrations } from "../../../db/schema";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { portal } from "../../server/portal.server";
import { badRequest, conflict, notFound, uuidPattern } from "../http-errors";
import type { Actor } from "../policy";
import { CHECKIN_EVENT, checkinRoom, type CheckinPayload } from "./checkin-labels";
import { requireRegistrationsAccess } from "./kunskapsdagar.server";

/**
 * Check-in on the day: organisers tick people present from the list or scan the QR code of the
 * confirmation mail. The code carries a signed token bound to one registration and one day.
 */


function signature(kunskapsdagId: string, registrationId: string) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("kunskapsdag-checkin", `${kunskapsdagId}:${registrationId}`));
}

/** `<day>.<registration>.<HMAC>`: derived when the mail is sent, never stored. */
export function checkinToken(claim: { kunskapsdagId: string; registrationId: string }) {
  return [claim.kunskapsdagId, claim.registrationId, signature(claim.kunskapsdagId, claim.registrationId)].join(".");
}

/** What the QR code holds: a link to the day's check-in page, so that any phone camera opens it there. */
export function checkinUrl(claim: { kunskapsdagId: string; registrationId: string }) {
  return `${config().baseUrl}/kunskapsdagar/${claim.kunskapsdagId}/incheckning?kod=${checkinToken(claim)}`;
}

/** The QR code of the check-in link as PNG data, for the confirmation mail. */
export function checkinQrDataUrl(claim: { kunskapsdagId: string; registrationId: string }) {
  return QRCode.toDataURL(checkinUrl(claim), { errorCorrectionLevel: "M", margin: 2, width: 240 });
}

export const CHECKIN_INVALID = "Koden kunde inte läsas eller är inte giltig. Sök på namnet i listan i stället.";
export const CHECKIN_OTHER_DAY = "Koden gäller en annan kunskapsdag.";

export type VerifiedCheckin = { ok: true; registrationId: string } | { ok: false; message: string };

/** Accepts the bare token or the whole link (as a handheld scanner types it) and checks its signature. */
export function verifyCheckinToken(input: string, kunskapsdagId: string): VerifiedCheckin {
  let token = input.trim();
  if (token.length > 500) return { ok: false, message: CHECKIN_INVALID };
  const fromUrl = /[?&]kod=([^&#\s]+)/.exec(token);
  if (fromUrl) {
    try {
      token = decodeURIComponent(fromUrl[1]);
    } catch {
      // A broken percent escape (a mistyped or cut-off link) is not a code.
      return { ok: false, message: CHECKIN_INVALID };
    }
  }
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: CHECKIN_INVALID };
  const [dayId, registrationId, given] = parts;
  if (!uuidPattern.test(dayId) || !uuidPattern.test(registrationId)) return { ok: false, message: CHECKIN_INVALID };
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(signature(dayId.toLowerCase(), registrationId.toLowerCase())))) return { ok: false, message: CHECKIN_INVALID };
  if (dayId.toLowerCase() !== kunskapsdagId) return { ok: false, message: CHECKIN_OTHER_DAY };
  return { ok: true, registrationId: registrationId.toLowerCase() };
}

/**
 * Loads the day for someone who may run its check-in: those who may see its registrations, decided
 * as for the management page and the live rooms (`registrationsAccess`).
 */
export async function checkinDay(db: Queryable, actor: Actor, kunskapsdagId: string) {
  return requireRegistrationsAccess(db, actor, kunskapsdagId);
}

export async function checkinCounts(db: Queryable, kunskapsdagId: string) {
  const [row] = await db
    .select({
      registeredCount: sql<number>`count(*)::int`,
      presentCount: sql<number>`count(${kunskapsdagCheckins.registrationId})::int`,
    })
    .from(kunskapsdagRegistrations)
    .leftJoin(kunskapsdagCheckins, eq(kunskapsdagCheckins.registrationId, kunskapsdagRegistrations.id))
    .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), eq(kunskapsdagRegistrations.status, "bekraftad")));
  return row;
}

/** The check-in list: everyone with a seat, in name order, with whether they are present. */
export async function getCheckinView(db: Db, actor: Actor, kunskapsdagId: string) {
  const { day } = await checkinDay(db, actor, kunskapsdagId);
  const people = await db
    .select({
      id: kunskapsdagRegistrations.id,
      name: kunskapsdagRegistrations.name,
      organisationName: kunskapsdagRegistrations.organisationName,
      checkedInAt: kunskapsdagCheckins.checkedInAt,
    })
    .from(kunskapsdagRegistrations)
    .leftJoin(kunskapsdagCheckins, eq(kunskapsdagCheckins.registrationId, kunskapsdagRegistrations.id))
    .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), eq(kunskapsdagRegistrations.status, "bekraftad")))
    .orderBy(asc(sql`lower(${kunskapsdagRegistrations.name})`), asc(kunskapsdagRegistrations.arrival));
  return { day, people, counts: await checkinCounts(db, kunskapsdagId) };
}

export const presenceSchema = z.object({
  registrationId: z.string({ error: "Välj en person i listan." }).trim().regex(uuidPattern, "Välj en person i listan.").transform((id) => id.toLowerCase()),
  present: z.enum(["ja", "nej"], { error: "Ange om personen är på plats." }),
});

export const codeSchema = z.object({
  code: z.string({ error: "Skanna eller klistra in koden." }).trim().min(1, "Skanna eller klistra in koden.").max(500, CHECKIN_INVALID),
});

/**
 * Marks one person present or not. Idempotent: checking in someone already present (say, by a
 * second organiser at the same moment) changes nothing and succeeds.
 */
export async function setPresence(db: Db, actor: Actor, kunskapsdagId: string, registrationId: string, present: boolean) {
  const { day } = await checkinDay(db, actor, kunskapsdagId);
  if (day.status === "utkast") throw conflict("Kunskapsdagen är inte publicerad ännu.");
  const [registration] = await db
    .select({ id: kunskapsdagRegistrations.id, name: kunskapsdagRegistrations.name, status: kunskapsdagRegistrations.status })
    .from(kunskapsdagRegistrations)
    .where(and(eq(kunskapsdagRegistrations.id, registrationId), eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId)));
  if (!registration) throw notFound("Anmälan finns inte på den här kunskapsdagen.");
  if (present && registration.status !== "bekraftad") {
    throw conflict(
      registration.status === "vantelista"
        ? `${registration.name} står på väntelistan och har ingen plats.`
        : registration.status === "erbjuden"
          ? `${registration.name} har erbjudits en plats men inte bekräftat den ännu.`
          : `${registration.name} har avbokat sin plats.`,
    );
  }
  const changed = present
    ? await db.insert(kunskapsdagCheckins).values({ registrationId, kunskapsdagId, checkedInBy: actor.userId }).onConflictDoNothing().returning({ id: kunskapsdagCheckins.registrationId })
    : await db.delete(kunskapsdagCheckins).where(eq(kunskapsdagCheckins.registrationId, registrationId)).returning({ id: kunskapsdagCheckins.registrationId });
  const counts = await checkinCounts(db, kunskapsdagId);
  if (changed.length) {
    portal().publish(checkinRoom(kunskapsdagId), CHECKIN_EVENT, { kunskapsdagId, registrationId, present, ...counts } satisfies CheckinPayload);
  }
  return { name: registration.name, present, alreadyDone: changed.length === 0, counts };
}

/** Checks in the person whose QR code (or pasted link) was read; a bad code changes nothing. */
export async function checkInByCode(db: Db, actor: Actor, kunskapsdagId: string, code: string) {
  await checkinDay(db, actor, kunskapsdagId);
  const verified = verifyCheckinToken(code, kunskapsdagId);
  if (!verified.ok) throw badRequest(verified.message, { code: verified.message });
  return setPresence(db, actor, kunskapsdagId, verified.registrationId, true);
}
