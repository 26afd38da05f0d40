import crypto from "node:crypto";
import net from "node:net";
import pg from "pg";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "../../db/client";
import { users } from "../../db/schema";
import { createSession } from "../../app/auth/session.server";
import { loadConfig } from "../../app/server/config.server";
import { forgetSingleton } from "../../app/server/singleton.server";
import { startPortal, type RunningPortal } from "../../app/server/start.server";

export const TEST_SECRET = "test-secret-that-is-long-enough-0123456789";

/**
 * A fresh database for one test file: PGlite in memory, or, when DATABASE_URL is set, a new
 * PostgreSQL database that is dropped again afterwards.
 */
export async function freshDatabase(): Promise<{ database: Database; url?: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: "memory://" });
    return { database, drop: () => database.close() };
  }
  const name = `sv_test_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export type TestPortal = RunningPortal & {
  /** The PostgreSQL database's URL, when DATABASE_URL is set (undefined on PGlite). */
  databaseUrl?: string;
  fetch(path: string, init?: RequestInit & { cookie?: string; origin?: string | null }): Promise<Response>;
  post(path: string, fields: Record<string, string | string[]>, options?: { cookie?: string; origin?: string | null }): Promise<Response>;
  signInAs(email: string): Promise<string>;
  close(): Promise<void>;
};

/** The whole portal (production build, jobs, sockets) on a random port with its own database. */
export async function startTestPortal(env: Record<string, string> = {}): Promise<TestPortal> {
  const fresh = await freshDatabase();
  forgetSingleton("config");
  forgetSingleton("rate-limiters");
  forgetSingleton("app-secret");
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_SECRET: TEST_SECRET,
    DATA_DIR: "tests/.tmp",
    LOG_LEVEL: "silent",
    SIGN_IN_LIMIT_PER_IP: "1000",
    SEED_DEMO_DATA: "true",
    // Tests of the weekly digest run its scan with their own clock.
    ACTION_DIGEST: "false",
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  // Anything reading config() (the Remix build, domain code) sees the same settings.
  process.env.APP_SECRET = TEST_SECRET;
  const { singleton } = await import("../../app/server/singleton.server");
  forgetSingleton("config");
  singleton("config", () => config);
  const running = await startPortal({ mode: "production", config, database: fresh.database });
  const base = `http://localhost:${running.port}`;
  // The origin the portal accepts is its BASE_URL; tests talk to the real port.
  const origin = base;
  const fetchPortal: TestPortal["fetch"] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.origin !== null && !headers.has("origin") && init.method && init.method !== "GET") headers.set("origin", init.origin ?? origin);
    return fetch(`${base}${path}`, { ...init, headers, redirect: "manual" });
  };
  return {
    ...running,
    url: base,
    databaseUrl: fresh.url,
    fetch: fetchPortal,
    post(path, fields, options = {}) {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(fields)) for (const item of ([] as string[]).concat(value)) body.append(key, item);
      return fetchPortal(path, { method: "POST", body, cookie: options.cookie, origin: options.origin });
    },
    async signInAs(email) {
      const [user] = await running.portal.db.select().from(users).where(eq(users.email, email));
      if (!user) throw new Error(`no such user ${email}`);
      const { token } = await createSession(running.portal.db, user.id, "test");
      return `sv_session=${token}`;
    },
    async close() {
      await running.stop();
      await fresh.drop();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
