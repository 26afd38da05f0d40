import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { kunskapsdagar, kunskapsdagCheckins, kunskapsdagRegistrationMoves, kunskapsdagRegistrations } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { conflict, notFound, uuidPattern } from "../http-errors";
import { dispatchEmails } from "../mail/mail.server";
import { authorize, can, type Actor } from "../policy";
import { KUNSKAPSDAG_NOT_FOUND, loadKunskapsdagResource } from "./kunskapsdagar.server";
import { promoteFromWaitlist, publishSeats, queueRegistrationMail, seatCounts, waitlistPosition } from "./registrations.server";

/**
 * An organiser moves a registration by hand, with a reason: from the waitlist to a seat (even when
 * the day is full, as a deliberate overbooking), or from a seat or a waitlist place to a given
 * place on the waitlist. It runs under the day's row lock like registrations and cancellations,
 * is written to the row's history and the audit log, and mails the person.
 */

export const moveSchema = z
  .object({
    registrationId: z.string({ error: "Välj en anmälan i listan." }).trim().regex(uuidPattern, "Välj en anmälan i listan.").transform((id) => id.toLowerCase()),
    to: z.enum(["plats", "vantelista"], { error: "Välj vart anmälan ska flyttas." }),
    position: z
      .string()
      .trim()
      .default("")
      .refine((value) => value === "" || /^[1-9]\d{0,5}$/.test(value), "Platsen på väntelistan ska vara ett heltal från 1.")
      .transform((value) => (value === "" ? null : Number(value))),
    reason: z.string({ error: "Skriv varför anmälan flyttas." }).trim().min(3, "Skriv varför anmälan flyttas (minst 3 tecken).").max(500, "Anledningen får vara högst 500 tecken."),
    overbook: z.literal("on").optional(),
  })
  .refine((input) => input.to === "vantelista" || input.position === null, { path: ["position"], message: "En plats på väntelistan anges bara när anmälan flyttas till väntelistan." });

export type MoveInput = z.output<typeof moveSchema>;

export const OVERBOOK_WARNING = "Kunskapsdagen är fullbokad. Om personen får en plats blir den överbokad. Kryssa i att du vill överboka och försök igen.";

/** Loads the day for someone who may move its registrations; others get 404 or 403 as for the overview. */
async function moveDay(db: Queryable, actor: Actor, kunskapsdagId: string) {
  const loaded = await loadKunskapsdagResource(db, kunskapsdagId);
  if (!loaded || !(can(actor, "kunskapsdag.view", loaded.resource) || can(actor, "kunskapsdag.viewRegistrations", loaded.resource))) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  authorize(actor, "kunskapsdag.moveRegistration", loaded.resource);
  return loaded;
}

const describePlace = (status: "bekraftad" | "vantelista" | "avbokad" | "erbjuden", position: number | null) =>
  status === "bekraftad" ? "plats" : status === "vantelista" ? `väntelistan (plats ${position})` : status === "erbjuden" ? "erbjuden plats" : "avbokad";

export async function moveRegistration(db: Db, actor: Actor, kunskapsdagId: string, input: MoveInput) {
  await moveDay(db, actor, kunskapsdagId);
  const result = await db.transaction(async (tx) => {
    // The day first, then the registration: the same lock order as every other writer.
    const [day] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update");
    if (!day) throw notFound(KUNSKAPSDAG_NOT_FOUND);
    const [registration] = await tx
      .select()
      .from(kunskapsdagRegistrations)
      .where(and(eq(kunskapsdagRegistrations.id, input.registrationId), eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId)))
      .for("update");
    if (!registration) throw notFound("Anmälan finns inte på den här kunskapsdagen.");
    if (day.status === "installd") throw conflict("Kunskapsdagen är inställd.");
    if (day.status === "genomford" || day.startsAt.getTime() <= Date.now()) throw conflict("Kunskapsdagen har redan börjat, så anmälningar kan inte flyttas längre.");
    if (registration.status === "avbokad") throw conflict(`${registration.name} har avbokat och kan inte flyttas.`);

    const waitlist = await tx
      .select({ id: kunskapsdagRegistrations.id })
      .from(kunskapsdagRegistrations)
      .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), eq(kunskapsdagRegistrations.status, "vantelista")))
      .orderBy(asc(kunskapsdagRegistrations.arrival));
    const ids = waitlist.map((row) => row.id);
    const fromPosition = registration.status === "vantelista" ? ids.indexOf(registration.id) + 1 : null;
    const now = new Date();
    let toPosition: number | null = null;
    let newArrival: number | null = null;

    if (input.to === "plats") {
      if (registration.status === "bekraftad") throw conflict(`${registration.name} har redan en plats.`);
      const { seatsLeft } = await seatCounts(tx, day);
      // Someone with an open offer already holds a seat: confirming it for them overbooks nothing.
      if (seatsLeft <= 0 && registration.status !== "erbjuden" && input.overbook !== "on") throw conflict(OVERBOOK_WARNING, { overbook: OVERBOOK_WARNING });
      await tx.update(kunskapsdagRegistrations).set({ status: "bekraftad", confirmedAt: now, offeredUntil: null, updatedAt: now }).where(eq(kunskapsdagRegistrations.id, registration.id));
    } else {
      const others = ids.filter((id) => id !== registration.id);
      const last = others.length + 1;
      toPosition = input.position ?? last;
      if (toPosition > last) throw conflict(`Väntelistan har ${last === 1 ? "bara plats 1" : `platserna 1–${last}`} att välja bland.`, { position: `Välj en plats från 1 till ${last}.` });
      if (registration.status === "vantelista" && toPosition === fromPosition) throw conflict(`${registration.name} står redan på plats ${toPosition} på väntelistan.`, { position: "Välj en annan plats." });
      // The waitlist is ordered by arrival: the moved person and everyone from their new place
      // onwards get fresh arrival numbers, in the new order, from the day's counter.
      const tail = [registration.id, ...others.slice(toPosition - 1)];
      const [{ registrationCounter }] = await tx
        .update(kunskapsdagar)
        .set({ registrationCounter: day.registrationCounter + tail.length })
        .where(eq(kunskapsdagar.id, day.id))
        .returning({ registrationCounter: kunskapsdagar.registrationCounter });
      const first = registrationCounter - tail.length + 1;
      newArrival = first;
      for (const [index, id] of tail.entries()) {
        await tx
          .update(kunskapsdagRegistrations)
          .set(id === registration.id ? { arrival: first + index, status: "vantelista", confirmedAt: null, offeredUntil: null, updatedAt: now } : { arrival: first + index, updatedAt: now })
          .where(eq(kunskapsdagRegistrations.id, id));
      }
      // A person without a seat is not on the check-in list.
      if (registration.status === "bekraftad") await tx.delete(kunskapsdagCheckins).where(inArray(kunskapsdagCheckins.registrationId, [registration.id]));
    }

    // A seat given up by the move goes to the next on the waitlist, as for a cancellation.
    let promoted: { ids: string[]; mailIds: Array<string | undefined> } = { ids: [], mailIds: [] };
    if (registration.status === "bekraftad" || registration.status === "erbjuden") {
      const { seatsLeft } = await seatCounts(tx, day);
      promoted = await promoteFromWaitlist(tx, day, seatsLeft, registration.id);
    }
    // The place the person ends up at, once anyone ahead has been moved up.
    if (toPosition !== null && newArrival !== null) toPosition = await waitlistPosition(tx, { kunskapsdagId, arrival: newArrival });

    const [move] = await tx
      .insert(kunskapsdagRegistrationMoves)
      .values({
        kunskapsdagId,
        registrationId: registration.id,
        movedBy: actor.userId,
        movedByName: actor.name,
        fromStatus: registration.status,
        fromPosition,
        toStatus: input.to === "plats" ? "bekraftad" : "vantelista",
        toPosition,
        reason: input.reason,
        movedAt: now,
      })
      .returning();
    const from = describePlace(move.fromStatus, move.fromPosition);
    const to = describePlace(move.toStatus, move.toPosition);
    await recordAudit(tx, {
      actor,
      action: "kunskapsdag.moveRegistration",
      entityType: "kunskapsdag",
      entityId: day.id,
      organisationId: day.ownerOrganisationId,
      // The registration id only: the audit log outlives the participants' personal data.
      summary: `${actor.name} flyttade en anmälan till ${day.title} från ${from} till ${to}. Anledning: ${input.reason}`,
      before: { registrationId: registration.id, status: move.fromStatus, position: move.fromPosition },
      after: { registrationId: registration.id, status: move.toStatus, position: move.toPosition, reason: input.reason, moveId: move.id },
    });
    const mailIds = [await queueRegistrationMail(tx, day, registration, input.to === "plats" ? "flyttad-till-plats" : "flyttad-till-vantelistan", `kunskapsdag-flytt:${move.id}`), ...promoted.mailIds];
    return { name: registration.name, from, to, promoted: promoted.ids, mailIds };
  });
  await dispatchEmails(result.mailIds);
  await publishSeats(db, kunskapsdagId);
  return result;
}

/** Every move on a day, newest last, for the history shown on each registration's row. */
export async function movesOfDay(db: Queryable, kunskapsdagId: string) {
  return db
    .select()
    .from(kunskapsdagRegistrationMoves)
    .where(eq(kunskapsdagRegistrationMoves.kunskapsdagId, kunskapsdagId))
    .orderBy(asc(kunskapsdagRegistrationMoves.movedAt), asc(kunskapsdagRegistrationMoves.id));
}
