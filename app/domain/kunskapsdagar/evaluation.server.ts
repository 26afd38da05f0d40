import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { kunskapsdagar, kunskapsdagEvaluationAnswers, kunskapsdagEvaluationMarkers, kunskapsdagRegistrations } from "../../../db/schema";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { badRequest, conflict, notFound, uuidPattern } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { stockholmDate } from "../meetings/time";
import { authorize, type Actor } from "../policy";
import { loadKunskapsdagResource, KUNSKAPSDAG_NOT_FOUND } from "./kunskapsdagar.server";
import { EVALUATION_QUESTIONS, type EvaluationKey } from "./labels";

/**
 * The evaluation after a kunskapsdag. Those who had a seat get a mail with a personal signed link
 * to an anonymous form. The answer is stored with the day only; the link's use is remembered as a
 * keyed hash of the registration in a separate table, so a link answers once and no answer can
 * be traced to a person.
 */


// ---------------------------------------------------------------------------------------------
// The signed link.

type EvaluationClaim = { registrationId: string; expires: Date };

function signature(registrationId: string, expiresSeconds: number) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("kunskapsdag-evaluation", `${registrationId}:${expiresSeconds}`));
}

export function evaluationToken(claim: EvaluationClaim) {
  const expiresSeconds = Math.floor(claim.expires.getTime() / 1000);
  return [claim.registrationId, expiresSeconds, signature(claim.registrationId, expiresSeconds)].join(".");
}

export function evaluationLink(claim: EvaluationClaim) {
  return `${config().baseUrl}/kunskapsdagar/utvardering/${evaluationToken(claim)}`;
}

export const EVALUATION_LINK_INVALID = "Länken till utvärderingen är ogiltig. Kontrollera att du har kopierat hela länken från mejlet.";
export const EVALUATION_LINK_EXPIRED = "Länken till utvärderingen har gått ut.";
export const EVALUATION_ALREADY_ANSWERED = "Du har redan svarat på utvärderingen. Tack för ditt svar!";

/** The registration a link is for, after checking its signature (in constant time) and expiry. */
export function verifyEvaluationToken(token: string, now = Date.now()): { ok: true; registrationId: string } | { ok: false; message: string } {
  const parts = token.length > 200 ? [] : token.split(".");
  if (parts.length !== 3) return { ok: false, message: EVALUATION_LINK_INVALID };
  const [registrationId, expiresText, given] = parts;
  if (!uuidPattern.test(registrationId) || !/^\d{1,12}$/.test(expiresText)) return { ok: false, message: EVALUATION_LINK_INVALID };
  const expiresSeconds = Number(expiresText);
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(signature(registrationId, expiresSeconds)))) return { ok: false, message: EVALUATION_LINK_INVALID };
  if (expiresSeconds * 1000 <= now) return { ok: false, message: EVALUATION_LINK_EXPIRED };
  return { ok: true, registrationId: registrationId.toLowerCase() };
}

/** The keyed hash that says "this registration has answered", without naming it. */
function answeredMarker(registrationId: string) {
  return encodeHexLowerCase(deriveSecret("kunskapsdag-evaluation-answered", registrationId, 32));
}

// ---------------------------------------------------------------------------------------------
// Sending: once per day, after it.

/** Queues the evaluation mail to everyone with a seat on days that are held or over; once per day and person. */
export async function scanEvaluations(db: Db, now: Date) {
  const due = await db
    .select({ id: kunskapsdagar.id })
    .from(kunskapsdagar)
    .where(
      and(
        isNull(kunskapsdagar.evaluationQueuedAt),
        isNull(kunskapsdagar.anonymisedAt),
        or(eq(kunskapsdagar.status, "genomford"), and(inArray(kunskapsdagar.status, ["publicerad", "stangd"]), lte(kunskapsdagar.endsAt, now))),
      ),
    )
    .orderBy(asc(kunskapsdagar.endsAt))
    .limit(100);
  const result = { days: 0, mails: 0 };
  for (const { id } of due) {
    const mailIds = await db.transaction(async (tx) => {
      const [day] = await tx
        .select()
        .from(kunskapsdagar)
        .where(and(eq(kunskapsdagar.id, id), isNull(kunskapsdagar.evaluationQueuedAt)))
        .for("update", { skipLocked: true });
      if (!day) return null;
      const people = await tx
        .select({ id: kunskapsdagRegistrations.id, email: kunskapsdagRegistrations.email })
        .from(kunskapsdagRegistrations)
        .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, id), eq(kunskapsdagRegistrations.status, "bekraftad")))
        .orderBy(asc(kunskapsdagRegistrations.arrival));
      const ids: Array<string | undefined> = [];
      for (const person of people) {
        ids.push(
          await queueEmail(tx, {
            template: "kunskapsdag-followup",
            to: person.email,
            subject: `Vad tyckte du: ${day.title}`,
            props: { registrationId: person.id, kind: "utvardering", sequence: day.sequence },
            idempotencyKey: `kunskapsdag-utvardering:${day.id}:${person.id}`,
          }),
        );
      }
      await tx.update(kunskapsdagar).set({ evaluationQueuedAt: now }).where(eq(kunskapsdagar.id, id));
      return ids;
    });
    if (!mailIds) continue;
    result.days += 1;
    result.mails += mailIds.filter(Boolean).length;
    await dispatchEmails(mailIds);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Answering.

const score = (label: string) =>
  z.coerce
    .number({ error: `Välj ett betyg för ${label.toLowerCase()}.` })
    .int(`Välj ett betyg för ${label.toLowerCase()}.`)
    .min(1, `Välj ett betyg för ${label.toLowerCase()}.`)
    .max(5, `Välj ett betyg för ${label.toLowerCase()}.`);

const optionalScore = (label: string) => z.preprocess((value) => (value === undefined || value === "" ? undefined : value), score(label).optional());

export const evaluationFormSchema = z.object({
  overall: z.preprocess((value) => (value === "" ? undefined : value), score("Helhetsintryck")),
  content: optionalScore("Innehåll"),
  speakers: optionalScore("Talare"),
  organisation: optionalScore("Organisation och bemötande"),
  comment: z.string().trim().max(2000, "Kommentaren får vara högst 2000 tecken.").default(""),
});
export type EvaluationInput = z.infer<typeof evaluationFormSchema>;

/** The day a verified link is for, and whether it has been used. */
export async function loadEvaluationTarget(db: Db, registrationId: string) {
  const [row] = await db
    .select({ day: kunskapsdagar, status: kunskapsdagRegistrations.status })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(eq(kunskapsdagRegistrations.id, registrationId));
  if (!row || row.status !== "bekraftad" || row.day.status === "installd") throw notFound("Utvärderingen finns inte.");
  const [used] = await db.select({ marker: kunskapsdagEvaluationMarkers.marker }).from(kunskapsdagEvaluationMarkers).where(eq(kunskapsdagEvaluationMarkers.marker, answeredMarker(registrationId)));
  return { day: row.day, answered: Boolean(used) };
}

/** Stores one anonymous answer per link; a second answer through the same link is refused. */
export async function submitEvaluation(db: Db, registrationId: string, input: EvaluationInput) {
  const { day, answered } = await loadEvaluationTarget(db, registrationId);
  if (answered) throw conflict(EVALUATION_ALREADY_ANSWERED);
  if (day.startsAt.getTime() > Date.now()) throw conflict("Utvärderingen öppnar när kunskapsdagen har börjat.");
  try {
    await db.transaction(async (tx) => {
      await tx.insert(kunskapsdagEvaluationMarkers).values({ marker: answeredMarker(registrationId), kunskapsdagId: day.id });
      await tx.insert(kunskapsdagEvaluationAnswers).values({
        kunskapsdagId: day.id,
        overall: input.overall,
        // An unanswered scale is stored as 0 and left out of the results.
        content: input.content ?? 0,
        speakers: input.speakers ?? 0,
        organisation: input.organisation ?? 0,
        comment: input.comment,
        answeredOn: stockholmDate(new Date()),
      });
    });
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
    if (code === "23505") throw conflict(EVALUATION_ALREADY_ANSWERED);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Results for the organisers.

export type EvaluationResults = {
  answers: number;
  questions: Array<{ key: EvaluationKey; label: string; average: number | null; count: number; distribution: [number, number, number, number, number] }>;
  comments: string[];
};

export async function evaluationResults(db: Db, actor: Actor, kunskapsdagId: string) {
  if (!uuidPattern.test(kunskapsdagId)) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  const loaded = await loadKunskapsdagResource(db, kunskapsdagId);
  if (!loaded) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  authorize(actor, "kunskapsdag.viewRegistrations", loaded.resource);
  const rows = await db.select().from(kunskapsdagEvaluationAnswers).where(eq(kunskapsdagEvaluationAnswers.kunskapsdagId, kunskapsdagId));
  const [{ invited }] = await db
    .select({ invited: sql<number>`count(*)::int` })
    .from(kunskapsdagRegistrations)
    .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), eq(kunskapsdagRegistrations.status, "bekraftad")));
  const results: EvaluationResults = {
    answers: rows.length,
    questions: EVALUATION_QUESTIONS.map(({ key, label }) => {
      const given = rows.map((row) => row[key]).filter((value) => value >= 1 && value <= 5);
      const distribution = [1, 2, 3, 4, 5].map((value) => given.filter((g) => g === value).length) as EvaluationResults["questions"][number]["distribution"];
      return { key, label, count: given.length, average: given.length ? Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 10) / 10 : null, distribution };
    }),
    // Shuffled by sorting, so the order says nothing about who answered when.
    comments: rows.map((row) => row.comment).filter(Boolean).sort((a, b) => a.localeCompare(b, "sv")),
  };
  return { day: loaded.day, invited, results };
}

export function parseEvaluationToken(token: string | undefined) {
  const verified = verifyEvaluationToken(token ?? "");
  if (!verified.ok) throw badRequest(verified.message);
  return verified.registrationId;
}
