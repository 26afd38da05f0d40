import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails, sessions, signInTokens, users } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR } from "../../app/domain/audit/audit.server";
import { startTestPortal, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal?.close();
});

const AMINA = "amina.hassan@demo.stockholm.se";

/** Asks for a sign-in mail and reads the link and code from the outbox, as a person would. */
async function requestMail(email = AMINA) {
  const response = await portal.post("/logga-in", { email });
  expect(response.status).toBe(302);
  const [mail] = await portal.portal.db.select().from(emails).orderBy(desc(emails.createdAt)).limit(1);
  const page = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
  const token = /\/logga-in\/lank\?token=([^"&<]+)/.exec(page)?.[1];
  const code = /kod (\d{8})/.exec(page.replace(/<[^>]+>/g, " "))?.[1];
  if (!token || !code) throw new Error("no link or code in the mail");
  return { token: decodeURIComponent(token), code, tokenId: token.split(".")[0] };
}

async function allStoredText() {
  const tables = ["users", "sessions", "sign_in_tokens", "emails", "audit_events", "rate_limits"];
  let text = "";
  for (const table of tables) {
    const result = (await portal.portal.db.execute(sql.raw(`select coalesce(string_agg(t::text, ' '), '') as dump from ${table} t`))) as unknown as {
      rows: Array<{ dump: string }>;
    };
    text += result.rows[0].dump;
  }
  const jobs = (await portal.portal.db.execute(sql.raw(`select coalesce(string_agg(j.data::text, ' '), '') as dump from pgboss.job j`))) as unknown as {
    rows: Array<{ dump: string }>;
  };
  return text + jobs.rows[0].dump;
}

function cookieOf(response: Response) {
  const header = response.headers.get("set-cookie") ?? "";
  return { header, value: /sv_session=([^;]*)/.exec(header)?.[1] ?? "" };
}

describe("sign-in by link and code", () => {
  it("the database holds neither the sign-in link, the code nor the session secret in clear", async () => {
    const { token, code } = await requestMail();
    const signedIn = await portal.post("/logga-in/lank", { token });
    expect(signedIn.status).toBe(302);
    const sessionToken = cookieOf(signedIn).value;
    const [, sessionSecret] = sessionToken.split(".");
    expect(sessionSecret.length).toBeGreaterThan(20);
    const stored = await allStoredText();
    expect(stored).not.toContain(token.split(".")[1]);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(sessionSecret);
    // Hashes are stored instead: 32-byte SHA-256 values.
    const [row] = await portal.portal.db.select().from(sessions).where(eq(sessions.id, sessionToken.split(".")[0]));
    expect(row.secretHash.length).toBe(32);
  });

  it("the session cookie is HttpOnly, Secure, SameSite=Lax and expires with inactivity", async () => {
    const { token } = await requestMail("johan.ek@demo.stockholm.se");
    const response = await portal.post("/logga-in/lank", { token });
    const { header } = cookieOf(response);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=43200/);
  });

  it("a link works once; the second click is explained in Swedish with a way to ask for a new one", async () => {
    const { token } = await requestMail();
    expect((await portal.post("/logga-in/lank", { token })).status).toBe(302);
    const again = await portal.post("/logga-in/lank", { token });
    expect(again.status).toBe(410);
    const page = await again.text();
    expect(page).toContain("redan använts");
    expect(page).toContain('href="/logga-in"');
  });

  it("an expired link is explained in Swedish", async () => {
    const { token, tokenId } = await requestMail();
    await portal.portal.db.update(signInTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(signInTokens.id, tokenId));
    const response = await portal.post("/logga-in/lank", { token });
    expect(response.status).toBe(410);
    expect(await response.text()).toContain("gått ut");
  });

  it("opening the link without pressing the button does not use it up (mail scanners)", async () => {
    const { token } = await requestMail("johan.ek@demo.stockholm.se");
    const opened = await portal.fetch(`/logga-in/lank?token=${encodeURIComponent(token)}`);
    expect(opened.status).toBe(200);
    expect((await portal.post("/logga-in/lank", { token })).status).toBe(302);
  });

  it("the code from the mail signs in on another device, once", async () => {
    const { code } = await requestMail();
    const wrong = await portal.post("/logga-in/kod", { email: AMINA, code: code === "12345678" ? "87654321" : "12345678" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("stämmer inte");
    const right = await portal.post("/logga-in/kod", { email: AMINA, code: `${code.slice(0, 4)} ${code.slice(4)}` });
    expect(right.status).toBe(302);
    expect(cookieOf(right).value).toContain(".");
    const reused = await portal.post("/logga-in/kod", { email: AMINA, code });
    expect(reused.status).toBe(410);
  });

  it("an unknown address gets the same answer as a known one, and no mail", async () => {
    const before = await portal.portal.db.select({ count: sql<number>`count(*)::int` }).from(emails);
    const response = await portal.post("/logga-in", { email: "okand@example.se" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/logga-in/kod");
    const after = await portal.portal.db.select({ count: sql<number>`count(*)::int` }).from(emails);
    expect(after[0].count).toBe(before[0].count);
  });

  it("sign-in requests are limited per address, with a Swedish explanation", async () => {
    const address = "lena.berg@demo.regionstockholm.se";
    for (let i = 0; i < 5; i++) expect((await portal.post("/logga-in", { email: address })).status).toBe(302);
    const limited = await portal.post("/logga-in", { email: address });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain("För många försök");
  });
});

describe("sessions", () => {
  it("a session unused for longer than the inactivity limit is ended", async () => {
    const cookie = await portal.signInAs(AMINA);
    const id = cookie.split("=")[1].split(".")[0];
    await portal.portal.db.update(sessions).set({ lastVerifiedAt: new Date(Date.now() - 13 * 3600_000) }).where(eq(sessions.id, id));
    const response = await portal.fetch("/", { cookie });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/logga-in");
    expect(await portal.portal.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
  });

  it("an active session is refreshed at most once an hour", async () => {
    const cookie = await portal.signInAs(AMINA);
    const id = cookie.split("=")[1].split(".")[0];
    const fresh = await portal.fetch("/", { cookie });
    expect(fresh.headers.get("set-cookie")).toBeNull();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await portal.portal.db.update(sessions).set({ lastVerifiedAt: twoHoursAgo }).where(eq(sessions.id, id));
    const refreshed = await portal.fetch("/", { cookie });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get("set-cookie")).toContain("Max-Age=43200");
    const [row] = await portal.portal.db.select().from(sessions).where(eq(sessions.id, id));
    expect(row.lastVerifiedAt.getTime()).toBeGreaterThan(twoHoursAgo.getTime() + 3600_000);
  });

  it("a tampered session secret is not accepted", async () => {
    const cookie = await portal.signInAs(AMINA);
    const tampered = cookie.slice(0, -2) + (cookie.endsWith("aa") ? "bb" : "aa");
    expect((await portal.fetch("/", { cookie: tampered })).status).toBe(302);
  });

  it("signing out here ends only this session; signing out everywhere ends them all", async () => {
    const phone = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const laptop = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const desk = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const out = await portal.post("/logga-ut", { intent: "this" }, { cookie: phone });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await portal.fetch("/", { cookie: phone })).status).toBe(302);
    expect((await portal.fetch("/", { cookie: laptop })).status).toBe(200);
    await portal.post("/logga-ut", { intent: "everywhere" }, { cookie: laptop });
    expect((await portal.fetch("/", { cookie: laptop })).status).toBe(302);
    expect((await portal.fetch("/", { cookie: desk })).status).toBe(302);
    const [erik] = await portal.portal.db.select().from(users).where(eq(users.email, "erik.sandberg@demo.polisen.se"));
    expect(await portal.portal.db.select().from(sessions).where(eq(sessions.userId, erik.id))).toHaveLength(0);
  });
});

describe("audit log", () => {
  it("the audit log refuses changes and deletions", async () => {
    await recordAudit(portal.portal.db, { actor: SYSTEM_ACTOR, action: "test.event", entityType: "test", entityId: "1", summary: "Händelse" });
    await expect(portal.portal.db.execute(sql`update audit_events set summary = 'x'`)).rejects.toThrow();
    await expect(portal.portal.db.execute(sql`delete from audit_events`)).rejects.toThrow();
  });
});
