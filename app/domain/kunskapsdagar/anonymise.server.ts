import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { emails, kunskapsdagar, kunskapsdagEvaluationAnswers, kunskapsdagRegistrationMoves, kunskapsdagRegistrations } from "../../../db/schema";
import { config } from "../../server/config.server";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";

const DAY_MS = 24 * 60 * 60 * 1000;

export const ANONYMISED_NAME = "Anonymiserad deltagare";

/**
 * Participants' personal data is anonymised KUNSKAPSDAG_RETENTION_DAYS after the day has ended:
 * names, addresses and free-text answers of the registrations are replaced, the day's mail rows
 * lose their address and stored props (mails not yet sent are given up), and the free-text
 * comments of the evaluation are cleared. What is left are counts: registrations per
 * organisation and status, and the evaluation scores. Runs from the maintenance job with `now`
 * as a parameter; each day is done in one transaction and once.
 */
export async function anonymiseKunskapsdagar(db: Db, now: Date, retentionDays = config().KUNSKAPSDAG_RETENTION_DAYS) {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const due = await db
    .select({ id: kunskapsdagar.id })
    .from(kunskapsdagar)
    .where(and(isNull(kunskapsdagar.anonymisedAt), sql`${kunskapsdagar.endsAt} <= ${cutoff}`))
    .orderBy(asc(kunskapsdagar.endsAt))
    .limit(100);
  const result = { days: 0, registrations: 0 };
  for (const { id } of due) {
    const count = await db.transaction(async (tx) => {
      const [day] = await tx
        .select()
        .from(kunskapsdagar)
        .where(and(eq(kunskapsdagar.id, id), isNull(kunskapsdagar.anonymisedAt)))
        .for("update", { skipLocked: true });
      if (!day) return null;
      const registrations = await tx.select({ id: kunskapsdagRegistrations.id }).from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, id));
      const ids = registrations.map((row) => row.id);
      if (ids.length) {
        const ofDay = and(sql`${emails.template} like 'kunskapsdag-%'`, inArray(sql`${emails.props}->>'registrationId'`, ids));
        await tx.update(emails).set({ status: "dead", lastError: "Mottagaren har anonymiserats", updatedAt: now }).where(and(ofDay, inArray(emails.status, ["queued", "sending"])));
        await tx.update(emails).set({ toAddress: "anonymiserad@invalid", props: {} }).where(ofDay);
        await tx
          .update(kunskapsdagRegistrations)
          .set({
            name: ANONYMISED_NAME,
            email: sql`'anonymiserad-' || ${kunskapsdagRegistrations.id}::text || '@invalid'`,
            jobTitle: "",
            dietaryNeeds: "",
            accessibilityNeeds: "",
            freeText: "",
            updatedAt: now,
          })
          .where(eq(kunskapsdagRegistrations.kunskapsdagId, id));
      }
      await tx.update(kunskapsdagEvaluationAnswers).set({ comment: "" }).where(eq(kunskapsdagEvaluationAnswers.kunskapsdagId, id));
      // An organiser may have named the person in a move's reason.
      await tx.update(kunskapsdagRegistrationMoves).set({ reason: "" }).where(eq(kunskapsdagRegistrationMoves.kunskapsdagId, id));
      await tx.update(kunskapsdagar).set({ anonymisedAt: now, nextReminderAt: null }).where(eq(kunskapsdagar.id, id));
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: "kunskapsdag.anonymise",
        entityType: "kunskapsdag",
        entityId: id,
        organisationId: day.ownerOrganisationId,
        summary: `Deltagarnas personuppgifter för kunskapsdagen ${day.title} anonymiserades (${ids.length} anmälningar, ${retentionDays} dagar efter dagen)`,
        after: { registrations: ids.length, retentionDays },
      });
      return ids.length;
    });
    if (count === null) continue;
    result.days += 1;
    result.registrations += count;
  }
  return result;
}
