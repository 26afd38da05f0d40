import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, emails, followupPeriods, users } from "../../db/schema";
import { reminderTime } from "../../app/domain/followup/followup.server";
import { LATE_OWNER_SCAN_MS, scanFollowupRequests } from "../../app/domain/followup/requests.server";
import { renderEmail } from "../../app/domain/mail/mail.server";
import { buildJarvaAgreement } from "../support/followup";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, stockholmDay } from "../support/wait";

/**
 * Follow-up requests on a clock the test controls: opening a period asks every owner once (the
 * job runs at once on the real clock); the reminder comes due three days before the deadline,
 * weeks ahead of the real clock, so only the test's scans send it.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // contact of åtgärd 3 and 5
const ERIK = "erik.sandberg@demo.polisen.se"; // contact of åtgärd 1 and 4
const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare of the organisation responsible for åtgärd 2, which has no contact
const MAJA = "maja.lindqvist@demo.stockholm.se"; // becomes the contact of åtgärd 4 after the requests went out
const LENA = "lena.berg@demo.regionstockholm.se"; // contact of an åtgärd linked after the periods were opened
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { johan: "", erik: "" };
let built: Awaited<ReturnType<typeof buildJarvaAgreement>>;

async function followupMails(periodId: string) {
  await mailSettled(db());
  const rows = await db().select().from(emails).where(like(emails.idempotencyKey, `followup-%:${periodId}:%`)).orderBy(asc(emails.template), asc(emails.toAddress));
  return rows;
}

/** Page text without the markers React puts between adjacent text parts. */
const visible = (html: string) => html.replace(/<!-- -->/g, "");

const summary = (rows: Array<typeof emails.$inferSelect>) => rows.map((row) => `${row.template} ${row.toAddress}`);

async function openPeriod(kind: string, deadline: string) {
  const response = await portal.post(`/overenskommelser/${built.agreement.id}/uppfoljning`, { intent: "create-period", kind, year: "2026", deadline }, { cookie: cookies.johan });
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(302);
  return response.headers.get("location")!.split("/").at(-1)!;
}

async function update(cookie: string, periodId: string, itemNumber: number) {
  const item = built.items.find((row) => row.number === itemNumber && row.agreementId === built.agreement.id)!;
  const response = await portal.post(
    `/overenskommelser/${built.agreement.id}/uppfoljning/${periodId}/mina-atgarder`,
    { intent: "update-item", itemId: item.id, status: "pagar", judgement: "gron", judgementReason: "" },
    { cookie },
  );
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.johan = await portal.signInAs(JOHAN);
  cookies.erik = await portal.signInAs(ERIK);
  built = await buildJarvaAgreement(db());
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe("follow-up requests and reminders", () => {
  const deadline = stockholmDay(20);
  let periodId: string;

  it("opening a period asks each owner once: contact persons, and the samordnare where an åtgärd has no contact", async () => {
    periodId = await openPeriod("t1", deadline);
    await expect.poll(async () => (await followupMails(periodId)).length, { timeout: 20_000 }).toBe(3);
    const mails = await followupMails(periodId);
    expect(summary(mails)).toEqual([`followup-request ${AMINA}`, `followup-request ${ERIK}`, `followup-request ${JOHAN}`]);
    const erik = mails.find((row) => row.toAddress === ERIK)!;
    const rendered = (await renderEmail(db(), erik))!;
    expect(rendered.subject).toContain("Uppföljning T1 2026: Samverkansöverenskommelse Järva 2024–2027");
    expect(rendered.text).toContain("Du är ansvarig för 2 åtgärder");
    expect(rendered.text).toContain(`/overenskommelser/${built.agreement.id}/uppfoljning/${periodId}/mina-atgarder`);
  });

  it("scanning again, even twice at once, sends no second request", async () => {
    const now = new Date();
    await Promise.all([scanFollowupRequests(db(), now), scanFollowupRequests(db(), now)]);
    await scanFollowupRequests(db(), new Date(now.getTime() + DAY));
    expect(summary(await followupMails(periodId))).toEqual([`followup-request ${AMINA}`, `followup-request ${ERIK}`, `followup-request ${JOHAN}`]);
  });

  it("the reminder three days before the deadline goes only to owners with an åtgärd not yet followed up, exactly once", async () => {
    await update(cookies.erik, periodId, 1);
    await update(cookies.erik, periodId, 4);
    await update(cookies.johan, periodId, 3); // åtgärd 5 is still open
    const [period] = await db().select().from(followupPeriods).where(eq(followupPeriods.id, periodId));
    expect(period.reminderAt.toISOString()).toBe(reminderTime(deadline).toISOString());
    expect(period.nextScanAt!.getTime()).toBeLessThanOrEqual(period.reminderAt.getTime());

    const early = await scanFollowupRequests(db(), new Date(period.reminderAt.getTime() - MINUTE));
    expect(early.mails).toBe(0);
    const [first, second] = await Promise.all([scanFollowupRequests(db(), period.reminderAt), scanFollowupRequests(db(), period.reminderAt)]);
    expect(first.mails + second.mails).toBe(2);
    await scanFollowupRequests(db(), new Date(period.reminderAt.getTime() + 2 * DAY));
    const mails = await followupMails(periodId);
    expect(summary(mails)).toEqual([
      `followup-reminder ${AMINA}`,
      `followup-reminder ${JOHAN}`,
      `followup-request ${AMINA}`,
      `followup-request ${ERIK}`,
      `followup-request ${JOHAN}`,
    ]);
    const johan = (await renderEmail(db(), mails.find((row) => row.template === "followup-reminder" && row.toAddress === JOHAN)!))!;
    expect(johan.subject).toMatch(/^Påminnelse: Uppföljning T1 2026/);
    expect(johan.text).toContain("Du har följt upp 1 av 2 åtgärder");
    // Scanned again until the deadline has passed (for owners who come later), then not at all.
    await scanFollowupRequests(db(), new Date(`${stockholmDay(22)}T12:00:00Z`));
    const [done] = await db().select().from(followupPeriods).where(eq(followupPeriods.id, periodId));
    expect(done.nextScanAt).toBeNull();
    expect(mails).toHaveLength(5);
    expect(await followupMails(periodId)).toHaveLength(5);
  });

  it("another period asks every owner again, once for that period", async () => {
    const second = await openPeriod("t2", stockholmDay(25));
    await expect.poll(async () => (await followupMails(second)).length, { timeout: 20_000 }).toBe(3);
    await scanFollowupRequests(db(), new Date());
    expect(summary(await followupMails(second))).toEqual([`followup-request ${AMINA}`, `followup-request ${ERIK}`, `followup-request ${JOHAN}`]);
    const all = await db().select().from(emails).where(and(like(emails.idempotencyKey, "followup-request:%"), eq(emails.toAddress, ERIK)));
    expect(all).toHaveLength(2);
  });

  it("an owner who comes after the requests went out is asked once, and the period page says who has been asked", async () => {
    const periods = await db().select().from(followupPeriods).where(eq(followupPeriods.agreementId, built.agreement.id));
    const t2 = periods.find((period) => period.kind === "t2")!;
    const [maja] = await db().select().from(users).where(eq(users.email, MAJA));
    // The contact person of åtgärd 4 changes in the action list: Maja now owns it, and has not been asked.
    const fourth = built.items.find((row) => row.number === 4 && row.agreementId === built.agreement.id)!;
    await db().update(actionItems).set({ contactUserId: maja.id }).where(eq(actionItems.id, fourth.id));
    const before = visible(await (await portal.fetch(`/overenskommelser/${built.agreement.id}/uppfoljning/${t2.id}`, { cookie: cookies.johan })).text());
    expect(before).toMatch(/Maja Lindqvist<\/th><td>1<\/td><td>0<\/td><td>Inte tillfrågad än/);
    expect(before).toMatch(/Erik Sandberg<\/th><td>1<\/td><td>0<\/td><td>(Skickad|Skickas)/);
    const list = visible(await (await portal.fetch(`/overenskommelser/${built.agreement.id}/uppfoljning`, { cookie: cookies.johan })).text());
    expect(list).toContain("Begäran skickad till 3 av 4 ansvariga; de övriga får den inom några minuter.");

    // The scan comes back to an open period and asks her, once, even run twice at once.
    const later = new Date(Date.now() + LATE_OWNER_SCAN_MS + MINUTE);
    await Promise.all([scanFollowupRequests(db(), later), scanFollowupRequests(db(), later)]);
    await scanFollowupRequests(db(), new Date(later.getTime() + LATE_OWNER_SCAN_MS + MINUTE));
    expect(summary(await followupMails(t2.id))).toEqual([`followup-request ${AMINA}`, `followup-request ${ERIK}`, `followup-request ${JOHAN}`, `followup-request ${MAJA}`]);
    const after = visible(await (await portal.fetch(`/overenskommelser/${built.agreement.id}/uppfoljning/${t2.id}`, { cookie: cookies.johan })).text());
    expect(after).toMatch(/Maja Lindqvist<\/th><td>1<\/td><td>0<\/td><td>Skickad /);
    expect(visible(await (await portal.fetch(`/overenskommelser/${built.agreement.id}/uppfoljning`, { cookie: cookies.johan })).text())).toContain("Begäran skickad till alla 4 ansvariga.");
  });

  it("linking an åtgärd to the agreement asks its owner at once for every open period", async () => {
    const lena = (await db().select().from(users).where(eq(users.email, LENA)))[0];
    const [list] = await db().select().from(actionLists).where(eq(actionLists.agreementId, built.agreement.id));
    const [item] = await db()
      .insert(actionItems)
      .values({ listId: list.id, number: 40, title: "Ny åtgärd efter att perioden öppnades", responsibleOrganisationId: built.orgs.jarva, contactUserId: lena.id })
      .returning();
    const linked = await portal.post(`/overenskommelser/${built.agreement.id}`, { intent: "link", actionItemId: item.id, problemId: "", goalId: "" }, { cookie: cookies.johan });
    expect(linked.status).toBe(200);
    const periods = await db().select().from(followupPeriods).where(eq(followupPeriods.agreementId, built.agreement.id));
    // On the real clock, without waiting for the next round of the scan.
    for (const period of periods) {
      await expect.poll(async () => summary(await followupMails(period.id)).filter((row) => row.endsWith(LENA)), { timeout: 20_000 }).toEqual([`followup-request ${LENA}`]);
    }
    await scanFollowupRequests(db(), new Date());
    const all = await db().select().from(emails).where(and(like(emails.idempotencyKey, "followup-request:%"), eq(emails.toAddress, LENA)));
    expect(all).toHaveLength(periods.length);
  });

  it("a deadline too close for the reminder is refused in Swedish and opens nothing", async () => {
    const before = await db().select().from(followupPeriods);
    const response = await portal.post(`/overenskommelser/${built.agreement.id}/uppfoljning`, { intent: "create-period", kind: "verksamhetsberattelse", year: "2026", deadline: stockholmDay(2) }, { cookie: cookies.johan });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Sista dag måste ligga minst 4 dagar fram");
    expect(await db().select().from(followupPeriods)).toEqual(before);
  });
});
