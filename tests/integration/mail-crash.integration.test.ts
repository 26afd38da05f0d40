import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, freshDatabase, TEST_SECRET } from "../support/portal";
import { startResendStub } from "../support/resend-stub";
import { spawnPortal } from "../support/server-process";
import { waitFor } from "../support/wait";

const MAILS = 20;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("durable e-mail", () => {
  it("a server killed with SIGKILL while sending delivers every mail exactly once after restart", async () => {
    // Slow answers keep several mails in flight when the process is killed.
    const stub = await startResendStub({ delayMs: 250 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sv-crash-"));
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
      SIGN_IN_LIMIT_PER_ADDRESS: "1000",
      SIGN_IN_LIMIT_PER_IP: "1000",
      LOG_LEVEL: "warn",
      // Only the mail this test sends: no weekly digest of the demo action list.
      ACTION_DIGEST: "false",
    };
    // On the PostgreSQL run the server gets a database of its own; otherwise PGlite in dataDir.
    const serverDatabase = process.env.DATABASE_URL ? await freshDatabase() : undefined;
    if (serverDatabase) {
      await serverDatabase.database.close();
      env.DATABASE_URL = serverDatabase.url;
    }
    try {
      const first = spawnPortal(env);
      children.push(first.child);
      await first.ready;
      const base = `http://localhost:${port}`;
      for (let i = 0; i < MAILS; i++) {
        const response = await fetch(`${base}/logga-in`, {
          method: "POST",
          headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email: "amina.hassan@demo.stockholm.se" }),
          redirect: "manual",
        });
        expect(response.status).toBe(302);
      }
      await waitFor(() => stub.requests.length >= 3, "the first mails to reach the stub", 30_000);
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      const deliveredBeforeCrash = stub.deliveries.size;
      expect(deliveredBeforeCrash).toBeLessThan(MAILS);

      const second = spawnPortal(env);
      children.push(second.child);
      await second.ready;
      await waitFor(() => stub.deliveries.size >= MAILS, `all ${MAILS} mails (got ${stub.deliveries.size})`, 90_000);
      // Give any duplicate job a moment to show itself before counting.
      await new Promise((resolve) => setTimeout(resolve, 1500));

      expect(stub.requests.every((request) => request.idempotencyKey?.startsWith("sign-in:"))).toBe(true);
      const keys = new Set(stub.requests.map((request) => request.idempotencyKey));
      expect(keys.size).toBe(MAILS);
      expect(stub.deliveries.size).toBe(MAILS);
      for (const delivery of stub.deliveries.values()) {
        expect(delivery.to).toEqual(["amina.hassan@demo.stockholm.se"]);
        expect(delivery.text).toMatch(/\d{8}/);
      }
      second.child.kill("SIGTERM");
      await new Promise((resolve) => second.child.once("exit", resolve));
    } finally {
      await stub.close();
      await serverDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
