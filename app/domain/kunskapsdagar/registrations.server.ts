import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { kunskapsdagar, kunskapsdagRegistrationMoves, kunskapsdagRegistrations, organisations } from "../../../db/schema";
import type { RegistrationEmailKind, RegistrationEmailProps } from "../../../emails/kunskapsdag-registration";
import { formatDate, formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { portal } from "../../server/portal.server";
import { recordAudit } from "../audit/audit.server";
import { emailSchema } from "../auth/sign-in.server";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { meetingWhen } from "../meetings/meetings.server";
import type { Actor } from "../policy";
import { kunskapsdagCalendar } from "./ics.server";
import { checkinRoom } from "./checkin-labels";
import { kunskapsdagRoom, REGISTRATION_EVENT, registrationsRoom, SEATS_EVENT, whenSeatFreed, type Question, type RegistrationPayload, type SeatsPayload } from "./labels";
import { manageExpiry, manageLink } from "./manage-links.server";
import { checkinQrDataUrl } from "./checkin.server";
import { registrationWindow } from "./registration-window";

type Day = typeof kunskapsdagar.$inferSelect;
type Registration = typeof kunskapsdagRegistrations.$inferSelect;

/** Participants' personal data is anonymised this many days after the day (shown in the consent text). */
export function participantDataRetentionDays() {
  return config().KUNSKAPSDAG_RETENTION_DAYS;
}

export function deletionDate(day: Pick<Day, "endsAt">) {
  return new Date(day.endsAt.getTime() + participantDataRetentionDays() * 24 * 60 * 60 * 1000);
}

/** Registrations by link are audited under this label, never under the person's name or address. */
const PARTICIPANT: Actor = { userId: "00000000-0000-0000-0000-000000000000", name: "Deltagare (via anmälningslänk)", isSystemAdmin: false, memberships: [] };

// ---------------------------------------------------------------------------------------------
// Seats.

/** Aggregates over a day's registrations: seats taken (confirmed, and offered seats held for someone to confirm) and the waitlist. */
export const seatCountFields = {
  confirmed: sql<number>`count(*) filter (where ${kunskapsdagRegistrations.status} in ('bekraftad', 'erbjuden'))::int`,
  waitlisted: sql<number>`count(*) filter (where ${kunskapsdagRegistrations.status} = 'vantelista')::int`,
};

export async function seatCounts(db: Queryable, day: Pick<Day, "id" | "capacity">): Promise<SeatsPayload> {
  const [row] = await db
    .select(seatCountFields)
    .from(kunskapsdagRegistrations)
    .where(eq(kunskapsdagRegistrations.kunskapsdagId, day.id));
  return { kunskapsdagId: day.id, capacity: day.capacity, confirmed: row.confirmed, waitlisted: row.waitlisted, seatsLeft: Math.max(0, day.capacity - row.confirmed) };
}

/** Tells everyone on the day's public page, and its organisers, the current seats (after a commit). */
export async function publishSeats(db: Db, kunskapsdagId: string) {
  const [day] = await db.select({ id: kunskapsdagar.id, capacity: kunskapsdagar.capacity }).from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId));
  if (!day) return;
  const seats = await seatCounts(db, day);
  portal().publish(kunskapsdagRoom(kunskapsdagId), SEATS_EVENT, seats);
  portal().publish(registrationsRoom(kunskapsdagId), SEATS_EVENT, seats);
}

/** The person's place on the waitlist (1 = next to get a seat). */
export async function waitlistPosition(db: Queryable, registration: Pick<Registration, "kunskapsdagId" | "arrival">) {
  const [row] = await db
    .select({ position: sql<number>`count(*)::int` })
    .from(kunskapsdagRegistrations)
    .where(
      and(
        eq(kunskapsdagRegistrations.kunskapsdagId, registration.kunskapsdagId),
        eq(kunskapsdagRegistrations.status, "vantelista"),
        sql`${kunskapsdagRegistrations.arrival} <= ${registration.arrival}`,
      ),
    );
  return row.position;
}

/**
 * Queues one registration mail. The default key allows one mail of each kind per registration;
 * an organiser's move passes its own key (one mail per move).
 */
export function queueRegistrationMail(tx: Queryable, day: Pick<Day, "id" | "title" | "sequence">, registration: Pick<Registration, "id" | "email">, kind: RegistrationEmailKind, idempotencyKey?: string) {
  const prefix: Record<RegistrationEmailKind, string> = {
    bekraftad: "Anmälan bekräftad",
    vantelista: "Väntelista",
    "flyttad-upp": "Du har fått en plats",
    avbokad: "Avbokad",
    "lamnat-vantelistan": "Du har lämnat väntelistan",
    "tackat-nej": "Du har tackat nej till platsen",
    "flyttad-till-plats": "Du har fått en plats",
    "flyttad-till-vantelistan": "Flyttad till väntelistan",
    erbjuden: "En plats är ledig för dig – bekräfta",
    "erbjudande-utgatt": "Erbjudandet har gått ut",
  };
  return queueEmail(tx, {
    template: "kunskapsdag-registration",
    to: registration.email,
    subject: `${prefix[kind]}: ${day.title}`,
    props: { registrationId: registration.id, kind, sequence: day.sequence },
    // One mail of each kind per registration, whatever retries or races happen.
    idempotencyKey: idempotencyKey ?? `kunskapsdag:${day.id}:${registration.id}:${kind}`,
  });
}

/**
 * Gives free seats to the first on the waitlist, in arrival order. Call it inside the transaction
 * that holds the day's row lock (`for update`), so that each seat is handed out exactly once.
 * Only a published or closed day that has not begun hands out seats: never a cancelled one.
 */
export async function promoteFromWaitlist(
  tx: Queryable,
  day: Pick<Day, "id" | "title" | "sequence" | "ownerOrganisationId" | "startsAt" | "offerHoldHours" | "status">,
  seats: number,
  exceptRegistrationId?: string,
  now = new Date(),
) {
  const takesPeople = day.status === "publicerad" || day.status === "stangd";
  if (!takesPeople || seats <= 0 || day.startsAt.getTime() <= now.getTime()) return { ids: [] as string[], mailIds: [] as Array<string | undefined> };
  // With a hold time the seat is offered and held until the person confirms or the time runs out
  // (never past the day's start).
  const offeredUntil = day.offerHoldHours ? new Date(Math.min(now.getTime() + day.offerHoldHours * 3_600_000, day.startsAt.getTime())) : null;
  const next = await tx
    .select({ id: kunskapsdagRegistrations.id, email: kunskapsdagRegistrations.email })
    .from(kunskapsdagRegistrations)
    .where(
      and(
        eq(kunskapsdagRegistrations.kunskapsdagId, day.id),
        eq(kunskapsdagRegistrations.status, "vantelista"),
        // The person an organiser has just moved to the waitlist does not get the seat they left.
        exceptRegistrationId ? ne(kunskapsdagRegistrations.id, exceptRegistrationId) : undefined,
      ),
    )
    .orderBy(asc(kunskapsdagRegistrations.arrival))
    .limit(seats)
    .for("update");
  const mailIds: Array<string | undefined> = [];
  for (const registration of next) {
    if (offeredUntil) {
      await tx.update(kunskapsdagRegistrations).set({ status: "erbjuden", offeredUntil, updatedAt: now }).where(eq(kunskapsdagRegistrations.id, registration.id));
      // One offer mail per offer: its deadline is part of the key.
      mailIds.push(await queueRegistrationMail(tx, day, registration, "erbjuden", `kunskapsdag:${day.id}:${registration.id}:erbjuden:${offeredUntil.getTime()}`));
      continue;
    }
    await tx
      .update(kunskapsdagRegistrations)
      .set({ status: "bekraftad", confirmedAt: now, updatedAt: now })
      .where(eq(kunskapsdagRegistrations.id, registration.id));
    // Someone an organiser moved back to the waitlist can be moved up again: one mail per time.
    const [lastMove] = await tx
      .select({ id: kunskapsdagRegistrationMoves.id })
      .from(kunskapsdagRegistrationMoves)
      .where(eq(kunskapsdagRegistrationMoves.registrationId, registration.id))
      .orderBy(desc(kunskapsdagRegistrationMoves.movedAt))
      .limit(1);
    const key = lastMove ? `kunskapsdag:${day.id}:${registration.id}:flyttad-upp:${lastMove.id}` : undefined;
    mailIds.push(await queueRegistrationMail(tx, day, registration, "flyttad-upp", key));
  }
  if (next.length) {
    await recordAudit(tx, {
      actor: PARTICIPANT,
      action: "kunskapsdag.promote",
      entityType: "kunskapsdag",
      entityId: day.id,
      organisationId: day.ownerOrganisationId,
      summary: offeredUntil
        ? `${next.length} ${next.length === 1 ? "person" : "personer"} på väntelistan erbjöds plats på kunskapsdagen ${day.title}`
        : `${next.length} ${next.length === 1 ? "person" : "personer"} på väntelistan fick plats på kunskapsdagen ${day.title}`,
      after: { registrationIds: next.map((row) => row.id), ...(offeredUntil ? { offeredUntil: offeredUntil.toISOString() } : {}) },
    });
  }
  return { ids: next.map((row) => row.id), mailIds };
}

// ---------------------------------------------------------------------------------------------
// The registration form.

const answer = (max: number, label: string) => z.string().trim().max(max, `${label} får vara högst ${max} tecken.`).default("");

export const registrationFormSchema = z.object({
  name: z.string({ error: "Ange ditt namn." }).trim().min(2, "Ange ditt namn.").max(120, "Namnet får vara högst 120 tecken."),
  organisationId: z.string({ error: "Välj din organisation." }).trim().min(1, "Välj din organisation."),
  organisationOther: answer(200, "Organisationens namn"),
  jobTitle: answer(120, "Titeln"),
  dietaryNeeds: answer(500, "Kostbehoven"),
  accessibilityNeeds: answer(500, "Tillgänglighetsbehoven"),
  freeText: answer(1000, "Svaret"),
});

export const newRegistrationSchema = registrationFormSchema.extend({
  // Lazy: the sign-in module loads the mail templates, which load this module.
  email: z.lazy(() => emailSchema),
  consent: z.literal("on", { error: "Du behöver godkänna att dina uppgifter sparas för att kunna anmäla dig." }),
});

export type RegistrationAnswers = z.infer<typeof registrationFormSchema>;

/** The organisation from the list (checked against the day's audience) or typed as free text. */
async function resolveOrganisation(db: Queryable, day: Day, input: RegistrationAnswers) {
  if (input.organisationId === "annan") {
    if (day.audience === "valda") throw badRequest("Kunskapsdagen är bara öppen för de organisationer som finns i listan.", { organisationId: "Välj en av organisationerna i listan." });
    if (input.organisationOther.length < 2) throw badRequest("Kontrollera de markerade fälten.", { organisationOther: "Skriv namnet på din organisation." });
    return { organisationId: null, organisationName: input.organisationOther };
  }
  const id = input.organisationId.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw badRequest("Kontrollera de markerade fälten.", { organisationId: "Välj din organisation i listan." });
  if (day.audience === "valda" && !day.audienceOrganisationIds.includes(id)) {
    throw badRequest("Kunskapsdagen är bara öppen för vissa organisationer.", { organisationId: "Den här organisationen ingår inte bland dem som kan anmäla sig." });
  }
  const [organisation] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  if (!organisation) throw badRequest("Kontrollera de markerade fälten.", { organisationId: "Välj din organisation i listan." });
  return { organisationId: organisation.id, organisationName: organisation.name };
}

/** Only the questions the day asks are kept; anything else posted is dropped. */
function askedAnswers(day: Day, input: RegistrationAnswers) {
  const asks = (question: Question) => day.questions.includes(question);
  return {
    jobTitle: asks("titel") ? input.jobTitle : "",
    dietaryNeeds: asks("kost") ? input.dietaryNeeds : "",
    accessibilityNeeds: asks("tillganglighet") ? input.accessibilityNeeds : "",
    freeText: asks("fritext") ? input.freeText : "",
  };
}

export const ALREADY_REGISTERED =
  "Den här e-postadressen är redan anmäld till kunskapsdagen. Använd länken i bekräftelsemejlet för att ändra eller avboka din anmälan.";

function isUniqueViolation(error: unknown) {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === "23505";
}

/**
 * A registration without an account. The day's row is locked (`for update`) for the whole
 * transaction, so registrations are taken one at a time: each gets the next arrival number, and a
 * seat while there is one, otherwise a place on the waitlist. One active registration per address.
 */
export async function registerForKunskapsdag(db: Db, kunskapsdagId: string, input: z.infer<typeof newRegistrationSchema>) {
  let result: { registration: Registration; position: number | null; mailId: string | undefined; offerHoldHours: number | null };
  try {
    result = await db.transaction(async (tx) => {
      const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update");
      if (!day || day.status === "utkast") throw notFound("Kunskapsdagen finns inte.");
      const window = registrationWindow(day);
      if (!window.open) throw conflict(window.reason!);
      const [existing] = await tx
        .select({ id: kunskapsdagRegistrations.id })
        .from(kunskapsdagRegistrations)
        .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, day.id), sql`lower(${kunskapsdagRegistrations.email}) = ${input.email.toLowerCase()}`, sql`${kunskapsdagRegistrations.status} <> 'avbokad'`));
      if (existing) throw conflict(ALREADY_REGISTERED, { email: ALREADY_REGISTERED });
      const organisation = await resolveOrganisation(tx, day, input);
      const { seatsLeft } = await seatCounts(tx, day);
      const status = seatsLeft > 0 ? ("bekraftad" as const) : ("vantelista" as const);
      const [{ arrival }] = await tx
        .update(kunskapsdagar)
        .set({ registrationCounter: sql`${kunskapsdagar.registrationCounter} + 1` })
        .where(eq(kunskapsdagar.id, day.id))
        .returning({ arrival: kunskapsdagar.registrationCounter });
      const [registration] = await tx
        .insert(kunskapsdagRegistrations)
        .values({
          kunskapsdagId: day.id,
          arrival,
          name: input.name,
          email: input.email,
          ...organisation,
          ...askedAnswers(day, input),
          status,
          confirmedAt: status === "bekraftad" ? new Date() : null,
        })
        .returning();
      const position = status === "vantelista" ? await waitlistPosition(tx, registration) : null;
      await recordAudit(tx, {
        actor: PARTICIPANT,
        action: "kunskapsdag.register",
        entityType: "kunskapsdag",
        entityId: day.id,
        organisationId: day.ownerOrganisationId,
        summary: status === "bekraftad" ? `Ny anmälan till kunskapsdagen ${day.title} (plats)` : `Ny anmälan till kunskapsdagen ${day.title} (väntelista)`,
        after: { registrationId: registration.id, status, arrival },
      });
      const mailId = await queueRegistrationMail(tx, day, registration, status === "bekraftad" ? "bekraftad" : "vantelista");
      return { registration, position, mailId, offerHoldHours: day.offerHoldHours };
    });
  } catch (error) {
    // The unique index is the last line of defence if two registrations of one address ever meet.
    if (isUniqueViolation(error)) throw conflict(ALREADY_REGISTERED, { email: ALREADY_REGISTERED });
    throw error;
  }
  await dispatchEmails([result.mailId]);
  await publishSeats(db, kunskapsdagId);
  return { id: result.registration.id, status: result.registration.status, position: result.position, whenSeatFreed: whenSeatFreed(result.offerHoldHours) };
}

// ---------------------------------------------------------------------------------------------
// Managing one's own registration through the signed link.

/** The registration a verified manage link points at, with its day and waitlist place. */
export async function loadManageTarget(db: Db, registrationId: string) {
  const [row] = await db
    .select({ registration: kunskapsdagRegistrations, day: kunskapsdagar })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(eq(kunskapsdagRegistrations.id, registrationId));
  if (!row) throw notFound("Anmälan finns inte längre.");
  const position = row.registration.status === "vantelista" ? await waitlistPosition(db, row.registration) : null;
  return { ...row, position };
}

function requireChangeable(day: Day, registration: Registration) {
  if (registration.status === "avbokad") throw conflict("Anmälan är redan avbokad.");
  if (day.status === "installd") throw conflict("Kunskapsdagen är inställd.");
  if (day.status === "genomford" || day.startsAt.getTime() <= Date.now()) throw conflict("Kunskapsdagen har redan börjat, så anmälan kan inte ändras längre.");
}

/** Changes name, organisation and answers (not the address: that is who the registration is). */
export async function updateRegistration(db: Db, registrationId: string, input: RegistrationAnswers) {
  const changedDay = await db.transaction(async (tx) => {
    const [registration] = await tx.select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, registrationId)).for("update");
    if (!registration) throw notFound("Anmälan finns inte längre.");
    const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, registration.kunskapsdagId));
    requireChangeable(day, registration);
    const organisation = await resolveOrganisation(tx, day, input);
    const next = { name: input.name, ...organisation, ...askedAnswers(day, input) };
    const same = (Object.keys(next) as Array<keyof typeof next>).every((key) => registration[key] === next[key]);
    if (same) return null;
    await tx.update(kunskapsdagRegistrations).set({ ...next, updatedAt: new Date() }).where(eq(kunskapsdagRegistrations.id, registrationId));
    return day.id;
  });
  if (!changedDay) return false;
  // After the commit: the organisers' lists (management and check-in) show the new details.
  const payload: RegistrationPayload = { kunskapsdagId: changedDay };
  for (const room of [registrationsRoom(changedDay), checkinRoom(changedDay)]) portal().publish(room, REGISTRATION_EVENT, payload);
  return true;
}

/**
 * Cancels a seat, declines an offered seat or leaves the waitlist. Declining an offer ends the
 * registration like a lapse does: the person leaves the waitlist too. A freed seat goes to the
 * first on the waitlist in the same transaction, under the day's row lock, so two cancellations at
 * once move up two different people and nobody twice; on an overbooked day nothing is freed.
 */
export async function cancelRegistration(db: Db, registrationId: string) {
  const result = await db.transaction(async (tx) => {
    const [found] = await tx.select({ kunskapsdagId: kunskapsdagRegistrations.kunskapsdagId }).from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, registrationId));
    if (!found) throw notFound("Anmälan finns inte längre.");
    // The day first, then the registration: every writer takes the locks in this order.
    const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, found.kunskapsdagId)).for("update");
    const [registration] = await tx.select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, registrationId)).for("update");
    requireChangeable(day, registration);
    const hadSeat = registration.status === "bekraftad";
    const declinedOffer = registration.status === "erbjuden";
    // An open offer holds a seat too: declining it passes the seat on.
    const heldSeat = hadSeat || declinedOffer;
    await tx
      .update(kunskapsdagRegistrations)
      .set({ status: "avbokad", cancelledAt: new Date(), offeredUntil: null, updatedAt: new Date() })
      .where(eq(kunskapsdagRegistrations.id, registrationId));
    await recordAudit(tx, {
      actor: PARTICIPANT,
      action: "kunskapsdag.cancelRegistration",
      entityType: "kunskapsdag",
      entityId: day.id,
      organisationId: day.ownerOrganisationId,
      summary: hadSeat
        ? `En deltagare avbokade sin plats på kunskapsdagen ${day.title}`
        : declinedOffer
          ? `En person tackade nej till en erbjuden plats på kunskapsdagen ${day.title}`
          : `En person lämnade väntelistan till kunskapsdagen ${day.title}`,
      after: { registrationId, before: registration.status },
    });
    const mailIds = [await queueRegistrationMail(tx, day, registration, hadSeat ? "avbokad" : declinedOffer ? "tackat-nej" : "lamnat-vantelistan")];
    // Only a seat that is really free moves someone up: an overbooked day stays overbooked
    // until enough seats are given up (ADR 0023).
    const { seatsLeft } = heldSeat ? await seatCounts(tx, day) : { seatsLeft: 0 };
    const promoted = seatsLeft > 0 ? await promoteFromWaitlist(tx, day, 1) : { ids: [], mailIds: [] };
    return { hadSeat, declinedOffer, promoted: promoted.ids, mailIds: [...mailIds, ...promoted.mailIds], kunskapsdagId: day.id };
  });
  await dispatchEmails(result.mailIds);
  await publishSeats(db, result.kunskapsdagId);
  return { hadSeat: result.hadSeat, declinedOffer: result.declinedOffer, promoted: result.promoted };
}

// ---------------------------------------------------------------------------------------------
// Offered seats (when the day has a hold time).

export const OFFER_LAPSED = "Tiden att bekräfta platsen har gått ut, och platsen har gått vidare till nästa på väntelistan.";

/** The person confirms the seat offered to them, through their signed link, before the offer lapses. */
export async function confirmOffer(db: Db, registrationId: string, now = new Date()) {
  const result = await db.transaction(async (tx) => {
    const [found] = await tx.select({ kunskapsdagId: kunskapsdagRegistrations.kunskapsdagId }).from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, registrationId));
    if (!found) throw notFound("Anmälan finns inte längre.");
    const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, found.kunskapsdagId)).for("update");
    const [registration] = await tx.select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, registrationId)).for("update");
    requireChangeable(day, registration);
    if (registration.status === "bekraftad") throw conflict("Du har redan en bekräftad plats.");
    if (registration.status !== "erbjuden" || !registration.offeredUntil) throw conflict("Du har inget erbjudande om plats att bekräfta just nu.");
    if (registration.offeredUntil.getTime() <= now.getTime()) throw conflict(OFFER_LAPSED);
    await tx.update(kunskapsdagRegistrations).set({ status: "bekraftad", confirmedAt: now, offeredUntil: null, updatedAt: now }).where(eq(kunskapsdagRegistrations.id, registrationId));
    await recordAudit(tx, {
      actor: PARTICIPANT,
      action: "kunskapsdag.confirmOffer",
      entityType: "kunskapsdag",
      entityId: day.id,
      organisationId: day.ownerOrganisationId,
      summary: `En deltagare bekräftade en erbjuden plats på kunskapsdagen ${day.title}`,
      after: { registrationId },
    });
    // The confirmation with calendar file and QR code, once per offer.
    const mailId = await queueRegistrationMail(tx, day, registration, "flyttad-upp", `kunskapsdag:${day.id}:${registrationId}:erbjudande-bekraftat:${registration.offeredUntil.getTime()}`);
    return { mailId, kunskapsdagId: day.id };
  });
  await dispatchEmails([result.mailId]);
  await publishSeats(db, result.kunskapsdagId);
}

/**
 * Lapses the offers whose time has run out: the person leaves the waitlist (and is told so), and
 * the seat is offered to the next. One transaction per day under its row lock; safe to run twice.
 * A cancelled day is left alone: its people have had the cancellation, and no seat is offered on.
 */
export async function lapseKunskapsdagOffers(db: Db, now: Date) {
  const due = await db
    .selectDistinct({ kunskapsdagId: kunskapsdagRegistrations.kunskapsdagId })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(
      and(
        sql`${kunskapsdagRegistrations.offeredUntil} is not null`,
        sql`${kunskapsdagRegistrations.offeredUntil} <= ${now}`,
        eq(kunskapsdagRegistrations.status, "erbjuden"),
        ne(kunskapsdagar.status, "installd"),
      ),
    )
    .limit(100);
  const result = { lapsed: 0, offered: 0 };
  for (const { kunskapsdagId } of due) {
    const outcome = await db.transaction(async (tx) => {
      const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update", { skipLocked: true });
      // Cancelled since the scan began.
      if (!day || day.status === "installd") return null;
      const lapsed = await tx
        .select()
        .from(kunskapsdagRegistrations)
        .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), eq(kunskapsdagRegistrations.status, "erbjuden"), sql`${kunskapsdagRegistrations.offeredUntil} <= ${now}`))
        .for("update");
      if (lapsed.length === 0) return null;
      const mailIds: Array<string | undefined> = [];
      for (const registration of lapsed) {
        await tx.update(kunskapsdagRegistrations).set({ status: "avbokad", cancelledAt: now, offeredUntil: null, updatedAt: now }).where(eq(kunskapsdagRegistrations.id, registration.id));
        mailIds.push(await queueRegistrationMail(tx, day, registration, "erbjudande-utgatt", `kunskapsdag:${day.id}:${registration.id}:erbjudande-utgatt:${registration.offeredUntil!.getTime()}`));
      }
      await recordAudit(tx, {
        actor: PARTICIPANT,
        action: "kunskapsdag.offerLapsed",
        entityType: "kunskapsdag",
        entityId: day.id,
        organisationId: day.ownerOrganisationId,
        summary: `${lapsed.length} ${lapsed.length === 1 ? "erbjuden plats" : "erbjudna platser"} på kunskapsdagen ${day.title} bekräftades inte i tid`,
        after: { registrationIds: lapsed.map((row) => row.id) },
      });
      const { seatsLeft } = await seatCounts(tx, day);
      const promoted = await promoteFromWaitlist(tx, day, seatsLeft, undefined, now);
      return { lapsed: lapsed.length, offered: promoted.ids.length, mailIds: [...mailIds, ...promoted.mailIds] };
    });
    if (!outcome) continue;
    result.lapsed += outcome.lapsed;
    result.offered += outcome.offered;
    await dispatchEmails(outcome.mailIds);
    await publishSeats(db, kunskapsdagId);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The mail, loaded at send time.

export type RegistrationEmailStored = { registrationId: string; kind: RegistrationEmailKind; sequence: number };

export async function loadRegistrationEmail(db: Db, stored: RegistrationEmailStored): Promise<RegistrationEmailProps | null> {
  const [row] = await db
    .select({ registration: kunskapsdagRegistrations, day: kunskapsdagar })
    .from(kunskapsdagRegistrations)
    .innerJoin(kunskapsdagar, eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId))
    .where(eq(kunskapsdagRegistrations.id, stored.registrationId));
  if (!row) return null;
  const { registration, day } = row;
  const dayUrl = `${config().baseUrl}/kunskapsdagar/${day.id}`;
  const manageUrl = manageLink({ registrationId: registration.id, expires: manageExpiry(day.endsAt) });
  const seated = stored.kind === "bekraftad" || stored.kind === "flyttad-upp" || stored.kind === "flyttad-till-plats";
  const withCalendar = seated || stored.kind === "avbokad";
  return {
    kind: stored.kind,
    recipientName: registration.name,
    title: day.title,
    when: meetingWhen(day.startsAt, day.endsAt),
    place: day.place,
    // The video link is for those with a seat.
    videoUrl: seated ? day.videoUrl : "",
    description: day.description,
    dayUrl,
    manageUrl: stored.kind === "avbokad" || stored.kind === "lamnat-vantelistan" || stored.kind === "tackat-nej" || stored.kind === "erbjudande-utgatt" ? null : manageUrl,
    whenSeatFreed: whenSeatFreed(day.offerHoldHours),
    // The offer's deadline, while it is still open.
    offeredUntil: stored.kind === "erbjuden" && registration.status === "erbjuden" && registration.offeredUntil ? formatDateTime(registration.offeredUntil) : null,
    // The place when the mail is sent: it can only have got better since the registration.
    waitlistPosition: (stored.kind === "vantelista" || stored.kind === "flyttad-till-vantelistan") && registration.status === "vantelista" ? await waitlistPosition(db, registration) : null,
    deletionDate: formatDate(deletionDate(day)),
    checkinQr: seated ? await checkinQrDataUrl({ kunskapsdagId: day.id, registrationId: registration.id }) : null,
    ics: withCalendar ? kunskapsdagCalendar({ day: { ...day, url: dayUrl }, sequence: stored.sequence, cancelled: stored.kind === "avbokad", manageUrl }) : null,
  };
}
