import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "date-fns";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../db/client";
import { actionItems, actionLists, memberships, organisations, users } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { stockholmDate } from "../../app/domain/meetings/time";
import { freePort, freshDatabase, TEST_SECRET } from "../support/portal";
import { startResendStub } from "../support/resend-stub";
import { spawnPortal } from "../support/server-process";
import { waitFor } from "../support/wait";

/**
 * The weekly digest in a real server process: forty contact persons with overdue åtgärder, the
 * digest hour set to Monday 00:00 so that this week's digest is due as soon as the portal starts
 * (any day of the week), the server killed with SIGKILL while the digests are being sent,
 * restarted, and every person has exactly one digest at the stub.
 */

const PEOPLE = Array.from({ length: 40 }, (_, i) => `kontakt-${String(i + 1).padStart(2, "0")}@demo.polisen.se`);
const COORDINATOR = "amina.hassan@demo.stockholm.se";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

const isDigest = (key: string | null) => Boolean(key?.startsWith("action-digest:") || key?.startsWith("action-overdue:"));

describe("durable weekly digest", () => {
  it("a server killed with SIGKILL while sending the digest gives every person exactly one after restart", async () => {
    const stub = await startResendStub({ delayMs: 250 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sv-digest-crash-"));
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
      ACTION_DIGEST_HOUR: "0",
      LOG_LEVEL: "warn",
    };
    const serverDatabase = process.env.DATABASE_URL ? await freshDatabase() : undefined;
    try {
      // The lists and people exist before the portal starts, as on a Monday morning.
      const database = serverDatabase?.database ?? (await openDatabase({ dataDir: path.join(dataDir, "pglite") }));
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
      await database.close();
      if (serverDatabase) env.DATABASE_URL = serverDatabase.url;

      const everyone = [...PEOPLE, COORDINATOR].sort();
      const first = spawnPortal(env);
      children.push(first.child);
      await first.ready;
      await waitFor(() => stub.requests.filter((request) => isDigest(request.idempotencyKey)).length >= 3, "the first digests at the stub", 120_000);
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      const beforeCrash = [...stub.deliveries.keys()].filter(isDigest).length;
      expect(beforeCrash).toBeLessThan(everyone.length);

      const second = spawnPortal(env);
      children.push(second.child);
      await second.ready;
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
      second.child.kill("SIGTERM");
      await new Promise((resolve) => second.child.once("exit", resolve));
    } finally {
      await stub.close();
      await serverDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 400_000);
});

function eqName(name: string) {
  return eq(organisations.name, name);
}
