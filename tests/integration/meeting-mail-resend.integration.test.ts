import { and, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails, networks } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { comingYears } from "../support/calendar";
import { startTestPortal, type TestPortal } from "../support/portal";
import { startResendStub } from "../support/resend-stub";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-01");

/** Meeting mail sent through the provider carries its calendar file as an attachment. */

let portal: TestPortal;
let stub: Awaited<ReturnType<typeof startResendStub>>;
const previousBaseUrl = process.env.RESEND_BASE_URL;

beforeAll(async () => {
  stub = await startResendStub({ failFirst: 1 });
  process.env.RESEND_BASE_URL = stub.url;
  portal = await startTestPortal({ RESEND_API_KEY: "re_test_key", MAIL_RETRY_DELAY_SECONDS: "1" });
});

afterAll(async () => {
  await portal?.close();
  await stub?.close();
  if (previousBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
  else process.env.RESEND_BASE_URL = previousBaseUrl;
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("meeting mail through Resend", () => {
  it("sends the .ics file in Resend's attachments field, the same file again on a retry, under the mail's idempotency key", async () => {
    const db = portal.portal.db;
    const [{ id: networkId }] = await db.select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
    const cookie = await portal.signInAs("amina.hassan@demo.stockholm.se");
    const response = await portal.post(
      `/natverk/${networkId}/moten/nytt`,
      { title: "Möte via Resend", date: coming("2026-12-01"), startTime: "14:00", endTime: "15:00", place: "Stadshuset", inviteNetwork: "on", extraEmails: "" },
      { cookie },
    );
    expect(response.status).toBe(302);
    const meetingId = response.headers.get("location")!.split("/").at(-1)!;
    await waitFor(() => stub.deliveries.size >= 3, "three meeting mails at the stub");
    const rows = await db.select().from(emails).where(and(eq(emails.template, "meeting"), sql`${emails.props}->>'meetingId' = ${meetingId}`));
    expect(rows).toHaveLength(3);
    await waitFor(async () => (await db.select().from(emails).where(eq(emails.template, "meeting"))).every((row) => row.status === "sent"), "every mail marked sent");
    // The first request failed and was retried: the retry carried the same key and the same file.
    const [failed, ...rest] = stub.requests;
    const retry = rest.find((request) => request.idempotencyKey === failed.idempotencyKey)!;
    expect(retry.attachments).toEqual(failed.attachments);
    for (const row of rows) {
      const delivered = stub.deliveries.get(row.idempotencyKey)!;
      expect(delivered.to).toEqual([row.toAddress]);
      expect(delivered.attachments).toHaveLength(1);
      const [file] = delivered.attachments!;
      expect(file.filename).toBe("mote.ics");
      expect(file.content_type).toBe("text/calendar; charset=utf-8; method=REQUEST");
      const calendar = new ICAL.Component(ICAL.parse(Buffer.from(file.content!, "base64").toString("utf8")));
      const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent")!);
      expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
      expect(event.uid).toBe(`${meetingId}@samverkansportalen`);
      expect(event.sequence).toBe(0);
      expect(event.startDate.toJSDate().toISOString()).toBe(coming("2026-12-01T13:00:00.000Z"));
    }
  });
});
