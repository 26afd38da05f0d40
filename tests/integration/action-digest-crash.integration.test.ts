import { addDays } from "date-fns";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "../../db/client";
import { actionItems, actionLists, memberships, organisations, users } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { stockholmDate } from "../../app/domain/meetings/time";
import { startResendStub } from "../support/resend-stub";
import { killablePortal } from "../support/server-process";
import { waitFor } from "../support/wait";

/**
 * The weekly digest in a real server process: forty contact persons with overdue åtgärder, the
 * digest hour set to Monday 00:00 so that this week's digest is due as soon as the portal starts
 * (any day of the week), the server killed with SIGKILL while the digests are being sent,
 * restarted, and every person has exactly one digest at the stub.
 */

const PEOPLE = Array.from({ length: 40 }, (_, i) => `kontakt-${String(i + 1).padStart(2, "0")}@demo.polisen.se`);
const COORDINATOR = "amina.hassan@demo.stockholm.se";

const isDigest = (key: string | null) => Boolean(key?.startsWith("action-digest:") || key?.startsWith("action-overdue:"));

describe("durable weekly digest", () => {
  it("a server killed with SIGKILL while sending the digest gives every person exactly one after restart", async () => {
    const stub = await startResendStub({ delayMs: 250 });
    const portal = await killablePortal("digest-crash", { resendUrl: stub.url, env: { ACTION_DIGEST_HOUR: "0" } });
    try {
      // The lists and people exist before the portal starts, as on a Monday morning.
      const database = await portal.database();
      await migrateDatabase(database, async (db) => void (await seedDemoData(db)));
      const db = database.db;
      // Only this test's list: the demo list's contacts would get digests too.
      await db.delete(actionLists);
      const [owner] = await db.select().from(organisations).where(eqName("Stadsledningskontoret"));
      const [police] = await db.select().from(organisations).where(eqName("Lokalpolisområde Järva"));
      const people = await db
        .insert(users)
        .values(PEOPLE.map((email, i) => ({ email, name: `Kontakt ${i + 1}`, status: "active" as const })))
        .returning();
      await db.insert(memberships).values(people.map((person) => ({ userId: person.id, organisationId: police.id, role: "medlem" as const })));
      const [list] = await db.insert(actionLists).values({ title: "Trygg i Järva 2026", ownerOrganisationId: owner.id, sharedWithOrganisationIds: [police.id] }).returning();
      await db.insert(actionItems).values(
        people.map((person, i) => ({
          listId: list.id,
          number: i + 1,
          title: `Åtgärd ${i + 1}`,
          deadline: stockholmDate(addDays(new Date(), -2)),
          status: "pagar" as const,
          contactUserId: person.id,
          responsibleOrganisationId: police.id,
        })),
      );

      const everyone = [...PEOPLE, COORDINATOR].sort();
      const first = await portal.start();
      await waitFor(() => stub.requests.filter((request) => isDigest(request.idempotencyKey)).length >= 3, "the first digests at the stub", 120_000);
      await portal.stop(first);
      const beforeCrash = [...stub.deliveries.keys()].filter(isDigest).length;
      expect(beforeCrash).toBeLessThan(everyone.length);

      const second = await portal.start();
      await waitFor(() => [...stub.deliveries.keys()].filter(isDigest).length >= everyone.length, `all ${everyone.length} digests`, 120_000);
      // Give any duplicate a moment to show itself before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      const digests = [...stub.deliveries.entries()].filter(([key]) => isDigest(key));
      expect(digests.map(([, delivery]) => delivery.to[0]).sort()).toEqual(everyone);
      for (const [key, delivery] of digests) {
        if (key.startsWith("action-digest:")) expect(delivery.subject).toMatch(/^Dina åtgärder vecka \d+: 1 försenade$/);
        else expect(delivery.subject).toMatch(/^Försenade åtgärder vecka \d+: 40 st$/);
      }
      // Requests repeated after the crash carried the same keys, so nobody got a second digest.
      const requests = stub.requests.filter((request) => isDigest(request.idempotencyKey));
      expect(new Set(requests.map((request) => request.idempotencyKey)).size).toBe(everyone.length);
      await portal.stop(second, "SIGTERM");
    } finally {
      await stub.close();
    }
  }, 400_000);
});

function eqName(name: string) {
  return eq(organisations.name, name);
}
