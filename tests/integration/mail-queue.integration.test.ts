import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, users } from "../../db/schema";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { startResendStub, type StubRequest } from "../support/resend-stub";

/**
 * The e-mail queue as an operator sees it: a mail the provider keeps refusing is retried with
 * backoff and ends up as a dead letter on /admin/e-post, the system administrator can send it
 * again once the provider is back, the page follows it live, and the local outbox (/dev/mail)
 * exists only when no provider is configured.
 */

const MAJA = "maja.lindqvist@demo.stockholm.se"; // system administrator
const JOHAN = "johan.ek@demo.stockholm.se"; // organisation administrator, not system administrator
const ERIK = "erik.sandberg@demo.polisen.se"; // plain member
const AMINA = "amina.hassan@demo.stockholm.se";
const LENA = "lena.berg@demo.regionstockholm.se";

const RETRY_LIMIT = 3;
const RETRY_DELAY_SECONDS = 1;
const FORBIDDEN = "Du har inte behörighet att göra det här.";

type Status = (typeof emails.$inferSelect)["status"];
type Attempt = StubRequest & { at: number };

/**
 * The Resend stub behind a front that answers 503 for chosen recipients, as a provider with a
 * partial outage would. Everything else reaches the stub, which keeps its idempotency rules.
 */
async function startFlakyResend() {
  const stub = await startResendStub();
  const failingRecipients = new Set<string>();
  const refused: Attempt[] = [];
  const received: Attempt[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const payload = (req.method === "POST" && body ? JSON.parse(body) : { to: [], subject: "", text: "" }) as { to: string[]; subject: string; text: string };
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const attempt = { idempotencyKey, to: payload.to, subject: payload.subject, text: payload.text, at: Date.now() };
      received.push(attempt);
      if (payload.to.some((address) => failingRecipients.has(address))) {
        refused.push(attempt);
        res
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ name: "service_unavailable", message: "Temporarily unavailable", statusCode: 503 }));
        return;
      }
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const answer = await fetch(`${stub.url}${req.url}`, { method: req.method, headers, body: req.method === "POST" ? body : undefined });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stub,
    failingRecipients,
    refused,
    received,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stub.close();
    },
  };
}

async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mailTo(portal: TestPortal, address: string) {
  const rows = await portal.portal.db.select().from(emails).where(eq(emails.toAddress, address));
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function statusOf(portal: TestPortal, id: string) {
  const [row] = await portal.portal.db.select().from(emails).where(eq(emails.id, id));
  return row;
}

function waitForStatus(portal: TestPortal, id: string, status: Status, timeoutMs: number) {
  return waitFor(async () => {
    const row = await statusOf(portal, id);
    return row.status === status ? row : undefined;
  }, timeoutMs, `mail ${id} to become ${status}`);
}

/** The table row of the admin page that shows one mail. */
function rowFor(html: string, id: string) {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => match[1]).find((cells) => cells.includes(`value="${id}"`));
}

function rowWithAddress(html: string, address: string) {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => match[1]).find((cells) => cells.includes(address));
}

let portalUrl = "";
const live = liveSockets(() => portalUrl);
const subscribe = live.subscribe;

/** A connected socket on the given portal, signed in with the cookie. */
function openSocket(portal: TestPortal, cookie: string) {
  portalUrl = portal.url;
  return live.connectedAs(cookie);
}

let resend: Awaited<ReturnType<typeof startFlakyResend>>;
const previousBaseUrl = process.env.RESEND_BASE_URL;

beforeAll(async () => {
  resend = await startFlakyResend();
  // The Resend SDK reads its base address from the environment when the client is created.
  process.env.RESEND_BASE_URL = resend.url;
});

afterAll(async () => {
  live.closeAll();
  await resend?.close();
  if (previousBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
  else process.env.RESEND_BASE_URL = previousBaseUrl;
});

describe("mail sent through Resend", () => {
  let portal: TestPortal;
  const cookies = { maja: "", johan: "", erik: "" };
  /** Every mail:changed event Maja's live view received, in order. */
  const liveEvents: Array<{ id?: string; status?: string }> = [];
  let lenaMail: typeof emails.$inferSelect;
  let aminaMail: typeof emails.$inferSelect;

  beforeAll(async () => {
    portal = await startTestPortal({
      RESEND_API_KEY: "re_test_key",
      MAIL_RETRY_LIMIT: String(RETRY_LIMIT),
      MAIL_RETRY_DELAY_SECONDS: String(RETRY_DELAY_SECONDS),
    });
    cookies.maja = await portal.signInAs(MAJA);
    cookies.johan = await portal.signInAs(JOHAN);
    cookies.erik = await portal.signInAs(ERIK);
  });

  afterAll(async () => {
    live.closeAll();
    await portal?.close();
  });

  it("the system administrator's live view subscribes to admin:mail; a member is refused", async () => {
    const maja = await openSocket(portal, cookies.maja);
    maja.on("mail:changed", (payload: { id?: string; status?: string }) => liveEvents.push(payload));
    expect(await subscribe(maja, "admin:mail")).toEqual({ ok: true });
    const erik = await openSocket(portal, cookies.erik);
    expect(await subscribe(erik, "admin:mail")).toEqual({ ok: false, error: "forbidden" });
  });

  it("a mail the provider keeps refusing is retried with backoff and becomes a dead letter, while other mail still goes out", async () => {
    resend.failingRecipients.add(LENA);
    const startedAt = Date.now();
    expect((await portal.post("/logga-in", { email: LENA })).status).toBe(302);
    expect((await portal.post("/logga-in", { email: AMINA })).status).toBe(302);
    lenaMail = await mailTo(portal, LENA);
    aminaMail = await mailTo(portal, AMINA);
    expect(lenaMail.transport).toBe("resend");

    // One recipient's trouble does not hold up the queue.
    const aminaSent = await waitForStatus(portal, aminaMail.id, "sent", 10_000);
    expect(resend.stub.deliveries.get(aminaMail.idempotencyKey)?.to).toEqual([AMINA]);
    expect(aminaSent.attempts).toBe(1);

    const dead = await waitForStatus(portal, lenaMail.id, "dead", 40_000);
    // The first attempt plus MAIL_RETRY_LIMIT retries, each with the mail's idempotency key.
    const attempts = resend.refused.filter((attempt) => attempt.idempotencyKey === lenaMail.idempotencyKey);
    expect(attempts).toHaveLength(RETRY_LIMIT + 1);
    expect(attempts.every((attempt) => attempt.to.length === 1 && attempt.to[0] === LENA)).toBe(true);
    expect(dead.attempts).toBe(RETRY_LIMIT + 1);
    expect(dead.lastError).toContain("Temporarily unavailable");
    expect(dead.sentAt).toBeNull();
    // Exponential backoff: retry n waits at least delay × 2^(n-1). A fixed delay with the
    // workers' one-second polling could not reach the last gap.
    const gaps = attempts.slice(1).map((attempt, index) => attempt.at - attempts[index].at);
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(RETRY_DELAY_SECONDS * 1000 * 2 ** index - 100));
    expect(gaps[gaps.length - 1]).toBeGreaterThan(3_500);
    expect(attempts[0].at - startedAt).toBeLessThan(5_000);
    // Nothing for this mail ever reached the provider proper.
    expect(resend.stub.requests.filter((request) => request.idempotencyKey === lenaMail.idempotencyKey)).toHaveLength(0);

    // The live view saw each failed attempt and the final dead letter.
    await waitFor(() => liveEvents.some((event) => event.id === lenaMail.id && event.status === "dead"), 5_000, "the dead event");
    expect(liveEvents.filter((event) => event.id === lenaMail.id).map((event) => event.status)).toEqual([
      ...Array.from({ length: RETRY_LIMIT }, () => "queued"),
      "dead",
    ]);
    expect(liveEvents.filter((event) => event.id === aminaMail.id).map((event) => event.status)).toEqual(["sent"]);
  }, 60_000);

  it("the admin page shows the dead letter with a Swedish status and a retry button", async () => {
    const response = await portal.fetch("/admin/e-post", { cookie: cookies.maja });
    expect(response.status).toBe(200);
    // React separates adjacent text with empty comments; read the page as text would be read.
    const html = (await response.text()).replace(/<!-- -->/g, "");
    const dead = rowFor(html, lenaMail.id);
    expect(dead, "the dead mail has a row with a retry button").toBeDefined();
    expect(dead).toContain(LENA);
    expect(dead).toContain("Kunde inte levereras");
    expect(dead).toContain("Temporarily unavailable");
    expect(dead).toContain(`<td data-label="Försök">${RETRY_LIMIT + 1}</td>`);
    expect(dead).toContain("Försök igen");
    const sent = rowWithAddress(html, AMINA);
    expect(sent).toContain("Skickat");
    expect(sent).not.toContain("Försök igen");
    expect(html).toContain("Kunde inte levereras (1)");

    const filtered = await (await portal.fetch("/admin/e-post?status=dead", { cookie: cookies.maja })).text();
    expect(filtered).toContain(LENA);
    expect(filtered).not.toContain(AMINA);
  });

  it("anyone but a system administrator gets 403 on the mail queue and cannot retry", async () => {
    for (const cookie of [cookies.erik, cookies.johan]) {
      const page = await portal.fetch("/admin/e-post", { cookie });
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain(FORBIDDEN);
      expect(html).not.toContain(LENA);
      const retry = await portal.post("/admin/e-post", { emailId: lenaMail.id }, { cookie });
      expect(retry.status).toBe(403);
    }
    expect((await statusOf(portal, lenaMail.id)).status).toBe("dead");
    expect(await portal.portal.db.select().from(auditEvents).where(eq(auditEvents.action, "mail.retry"))).toHaveLength(0);
  });

  it("after the provider recovers, the administrator's retry delivers the mail exactly once and is audited", async () => {
    resend.failingRecipients.delete(LENA);
    const refusedBefore = resend.refused.length;
    const response = await portal.post("/admin/e-post", { emailId: lenaMail.id }, { cookie: cookies.maja });
    expect(response.status).toBe(200);
    // Told on the page, as a browser without JavaScript shows it after the post.
    expect(await response.text()).toContain(`role="status">Mejlet till ${LENA} har lagts i kön igen.</div>`);

    const sent = await waitForStatus(portal, lenaMail.id, "sent", 10_000);
    expect(sent.attempts).toBe(1);
    expect(sent.lastError).toBeNull();
    expect(sent.sentAt).not.toBeNull();
    expect(sent.providerMessageId).toBe(`stub-${lenaMail.idempotencyKey}`);

    // A second press finds nothing dead to send again.
    const again = await portal.post("/admin/e-post", { emailId: lenaMail.id }, { cookie: cookies.maja });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('role="alert">Det finns inget olevererat mejl med det id:t.</div>');

    // Give a duplicate job time to show itself before counting.
    await sleep(2_500);
    const forwarded = resend.stub.requests.filter((request) => request.idempotencyKey === lenaMail.idempotencyKey);
    expect(forwarded).toHaveLength(1);
    expect(resend.stub.deliveries.get(lenaMail.idempotencyKey)?.to).toEqual([LENA]);
    expect(resend.stub.deliveries.get(lenaMail.idempotencyKey)?.text).toMatch(/\d{8}/);
    expect(resend.refused.length).toBe(refusedBefore);
    // In all: the refused attempts before it died and the one delivery after the retry.
    expect(resend.received.filter((request) => request.idempotencyKey === lenaMail.idempotencyKey)).toHaveLength(RETRY_LIMIT + 2);
    expect((await statusOf(portal, lenaMail.id)).status).toBe("sent");

    const [maja] = await portal.portal.db.select().from(users).where(eq(users.email, MAJA));
    const audit = await portal.portal.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "mail.retry"), eq(auditEvents.entityType, "email")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityId: lenaMail.id, actorUserId: maja.id, actorLabel: "Maja Lindqvist" });
    expect(audit[0].summary).toBe(`Skickade om e-post "${lenaMail.subject}"`);
    const log = await (await portal.fetch("/admin/logg?action=mail.retry", { cookie: cookies.maja })).text();
    expect(log).toContain("Skickade om e-post");

    await waitFor(() => liveEvents.some((event) => event.id === lenaMail.id && event.status === "sent"), 5_000, "the sent event");
    expect(liveEvents.filter((event) => event.id === lenaMail.id).map((event) => event.status)).toEqual([
      ...Array.from({ length: RETRY_LIMIT }, () => "queued"),
      "dead",
      "sent",
    ]);

    const page = await (await portal.fetch("/admin/e-post", { cookie: cookies.maja })).text();
    const row = rowWithAddress(page, LENA);
    expect(row).toContain("Skickat");
    expect(row).not.toContain("Kunde inte levereras");
  }, 30_000);

  it("the local outbox does not exist when a provider is configured", async () => {
    for (const path of ["/dev/mail", `/dev/mail/${aminaMail.id}`]) {
      expect((await portal.fetch(path)).status).toBe(404);
      expect((await portal.fetch(path, { cookie: cookies.maja })).status).toBe(404);
    }
  });
});

describe("mail kept in the local outbox (no RESEND_API_KEY)", () => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await startTestPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it("is never sent to the provider and can be read at /dev/mail", async () => {
    const receivedBefore = resend.received.length;
    expect((await portal.post("/logga-in", { email: AMINA })).status).toBe(302);
    const mail = await mailTo(portal, AMINA);
    expect(mail.transport).toBe("outbox");
    await waitForStatus(portal, mail.id, "sent", 10_000);
    const [{ pending }] = (
      (await portal.portal.db.execute(sql`select count(*)::int as pending from emails where status <> 'sent'`)) as unknown as { rows: Array<{ pending: number }> }
    ).rows;
    expect(pending).toBe(0);

    const list = await portal.fetch("/dev/mail");
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("Utkorg");
    expect(listHtml).toContain(AMINA);
    expect(listHtml).toContain(`/dev/mail/${mail.id}`);

    const opened = await portal.fetch(`/dev/mail/${mail.id}`);
    expect(opened.status).toBe(200);
    const page = (await opened.text()).replace(/<!-- -->/g, "");
    expect(page).toMatch(/<h1>Logga in i Samverkansportalen – kod \d{8}<\/h1>/);
    expect(page).toContain(`Till ${AMINA}`);

    await sleep(500);
    expect(resend.received.length).toBe(receivedBefore);
    expect(resend.stub.requests.some((request) => request.idempotencyKey === mail.idempotencyKey)).toBe(false);
  });
});
