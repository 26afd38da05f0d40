import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "../../db/client";
import { seedDemoData } from "../../db/seed";
import { actionItems, actionLists, agreements, users } from "../../db/schema";
import { createSession } from "../../app/auth/session.server";
import { buildJarvaAgreement } from "../support/followup";
import { freePort, freshDatabase, TEST_SECRET } from "../support/portal";
import { startResendStub } from "../support/resend-stub";
import { spawnPortal } from "../support/server-process";
import { stockholmDay, waitFor } from "../support/wait";

/**
 * The follow-up requests in a real server process: an agreement whose åtgärder have 33 owners,
 * a period opened over HTTP, the server killed with SIGKILL while the requests are being sent,
 * restarted, and every owner has exactly one request at the Resend stub.
 */

const CONTACTS = Array.from({ length: 30 }, (_, i) => `kontakt-${String(i + 1).padStart(2, "0")}@demo.stockholm.se`);
const OWNERS = ["amina.hassan@demo.stockholm.se", "erik.sandberg@demo.polisen.se", "johan.ek@demo.stockholm.se", ...CONTACTS].sort();

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

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
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sv-followup-crash-"));
    const port = await freePort();
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      APP_SECRET: TEST_SECRET,
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: stub.url,
      SEED_DEMO_DATA: "true",
      LOG_LEVEL: "warn",
      // Only the mail this test sends: no weekly digest of the demo action list.
      ACTION_DIGEST: "false",
    };
    const serverDatabase = process.env.DATABASE_URL ? await freshDatabase() : undefined;
    let prepared: Awaited<ReturnType<typeof prepare>>;
    if (serverDatabase) {
      prepared = await prepare(serverDatabase.database);
      await serverDatabase.database.close();
      env.DATABASE_URL = serverDatabase.url;
    } else {
      const local = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
      prepared = await prepare(local);
      await local.close();
    }
    try {
      const first = spawnPortal(env);
      children.push(first.child);
      await first.ready;
      const base = `http://localhost:${port}`;
      const body = new URLSearchParams({ intent: "create-period", kind: "t1", year: "2026", deadline: stockholmDay(20) });
      const opened = await fetch(`${base}/overenskommelser/${prepared.agreementId}/uppfoljning`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/x-www-form-urlencoded", cookie: prepared.cookie },
        body,
        redirect: "manual",
      });
      expect(opened.status, await opened.text()).toBe(302);

      await waitFor(() => stub.requests.filter((request) => isRequest(request.idempotencyKey)).length >= 3, "the first requests at the stub", 120_000);
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      const beforeCrash = [...stub.deliveries.keys()].filter(isRequest).length;
      expect(beforeCrash).toBeLessThan(OWNERS.length);

      const second = spawnPortal(env);
      children.push(second.child);
      await second.ready;
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
      second.child.kill("SIGTERM");
      await new Promise((resolve) => second.child.once("exit", resolve));
    } finally {
      await stub.close();
      await serverDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 420_000);
});
