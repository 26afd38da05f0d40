import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, freshDatabase, TEST_SECRET } from "../support/portal";
import { startResendStub } from "../support/resend-stub";

const MAILS = 20;

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startServer(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/main.ts"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("körs på")) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

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
    };
    // On the PostgreSQL run the server gets a database of its own; otherwise PGlite in dataDir.
    const serverDatabase = process.env.DATABASE_URL ? await freshDatabase() : undefined;
    if (serverDatabase) {
      await serverDatabase.database.close();
      env.DATABASE_URL = serverDatabase.url;
    }
    try {
      const first = startServer(env);
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
      await waitFor(() => stub.requests.length >= 3, 30_000, "the first mails to reach the stub");
      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      const deliveredBeforeCrash = stub.deliveries.size;
      expect(deliveredBeforeCrash).toBeLessThan(MAILS);

      const second = startServer(env);
      children.push(second.child);
      await second.ready;
      await waitFor(() => stub.deliveries.size >= MAILS, 90_000, `all ${MAILS} mails (got ${stub.deliveries.size})`);
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
