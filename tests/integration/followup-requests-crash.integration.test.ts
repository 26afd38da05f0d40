import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase, type Database } from "../../db/client";
import { seedDemoData } from "../../db/seed";
import { actionItems, actionLists, agreements, users } from "../../db/schema";
import { createSession } from "../../app/auth/session.server";
import { buildJarvaAgreement } from "../support/followup";
import { startResendStub } from "../support/resend-stub";
import { killablePortal } from "../support/server-process";
import { stockholmDay, waitFor } from "../support/wait";

/**
 * The follow-up requests in a real server process: an agreement whose åtgärder have 33 owners,
 * a period opened over HTTP, the server killed with SIGKILL while the requests are being sent,
 * restarted, and every owner has exactly one request at the Resend stub.
 */

const CONTACTS = Array.from({ length: 30 }, (_, i) => `kontakt-${String(i + 1).padStart(2, "0")}@demo.stockholm.se`);
const OWNERS = ["amina.hassan@demo.stockholm.se", "erik.sandberg@demo.polisen.se", "johan.ek@demo.stockholm.se", ...CONTACTS].sort();

const isRequest = (key: string | null) => Boolean(key?.startsWith("followup-request:"));

/** The demo data, the Järva agreement and 30 more åtgärder with a contact person each; returns a session for Johan. */
async function prepare(database: Database) {
  await migrateDatabase(database, async (db) => {
    await seedDemoData(db);
  });
  const db = database.db;
  const built = await buildJarvaAgreement(db);
  const people = await db
    .insert(users)
    .values(CONTACTS.map((email, i) => ({ email, name: `Kontakt ${i + 1}`, status: "active" as const })))
    .returning({ id: users.id });
  const [agreement] = await db.select().from(agreements).where(eq(agreements.id, built.agreement.id));
  const [list] = await db.select().from(actionLists).where(eq(actionLists.agreementId, agreement.id));
  await db.insert(actionItems).values(
    people.map((person, i) => ({ listId: list.id, number: 100 + i, title: `Åtgärd ${i + 1}`, responsibleOrganisationId: built.orgs.jarva, contactUserId: person.id, agreementId: agreement.id })),
  );
  const [johan] = await db.select().from(users).where(eq(users.email, "johan.ek@demo.stockholm.se"));
  const { token } = await createSession(db, johan.id, "test");
  return { agreementId: agreement.id, cookie: `sv_session=${token}` };
}

describe("durable follow-up requests", () => {
  it("a server killed with SIGKILL while sending the requests gives every owner exactly one request after restart", async () => {
    const stub = await startResendStub({ delayMs: 250 });
    const portal = await killablePortal("followup-crash", {
      resendUrl: stub.url,
      // Only the mail this test sends: no weekly digest of the demo action list.
      env: { ACTION_DIGEST: "false" },
    });
    try {
      const prepared = await prepare(await portal.database());
      const first = await portal.start();
      const base = portal.base;
      const body = new URLSearchParams({ intent: "create-period", kind: "t1", year: "2026", deadline: stockholmDay(20) });
      const opened = await fetch(`${base}/overenskommelser/${prepared.agreementId}/uppfoljning`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/x-www-form-urlencoded", cookie: prepared.cookie },
        body,
        redirect: "manual",
      });
      expect(opened.status, await opened.text()).toBe(302);

      await waitFor(() => stub.requests.filter((request) => isRequest(request.idempotencyKey)).length >= 3, "the first requests at the stub", 120_000);
      await portal.stop(first);
      const beforeCrash = [...stub.deliveries.keys()].filter(isRequest).length;
      expect(beforeCrash).toBeLessThan(OWNERS.length);

      const second = await portal.start();
      await waitFor(() => [...stub.deliveries.keys()].filter(isRequest).length >= OWNERS.length, `all ${OWNERS.length} requests`, 120_000);
      // Give any duplicate a moment to show itself before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      const requests = [...stub.deliveries.entries()].filter(([key]) => isRequest(key));
      expect(requests.map(([, delivery]) => delivery.to[0]).sort()).toEqual(OWNERS);
      for (const [, delivery] of requests) expect(delivery.subject).toMatch(/^Uppföljning T1 2026: Samverkansöverenskommelse Järva/);
      // Requests repeated after the crash carried the same key, so nobody got a second one.
      const sent = stub.requests.filter((request) => isRequest(request.idempotencyKey));
      expect(new Set(sent.map((request) => request.idempotencyKey)).size).toBe(OWNERS.length);
      // No reminder yet: the deadline is weeks away.
      expect([...stub.deliveries.keys()].some((key) => key?.startsWith("followup-reminder:"))).toBe(false);
      await portal.stop(second, "SIGTERM");
    } finally {
      await stub.close();
    }
  }, 420_000);
});
