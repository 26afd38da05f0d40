import { addDays } from "date-fns";
import { and, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, emails, organisations, users } from "../../db/schema";
import { digestDueAt, isoWeekOf, scanActionDigest } from "../../app/domain/actions/digest.server";
import { renderEmail } from "../../app/domain/mail/mail.server";
import { stockholmDate } from "../../app/domain/meetings/time";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/**
 * The weekly digest of åtgärder on a clock the test controls: the scan is called with `now`,
 * exactly as the job calls it with the real time. The Mondays used lie weeks ahead, and every
 * deadline is set relative to them, so the job's own scans on the real clock find nothing to send.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare of Stadsledningskontoret, which owns the list
const MAJA = "maja.lindqvist@demo.stockholm.se"; // admin (not samordnare) of Stadsledningskontoret
const ERIK = "erik.sandberg@demo.polisen.se"; // contact person, Lokalpolisområde Järva
const JOHAN = "johan.ek@demo.stockholm.se"; // contact person whose items are finished
const LENA = "lena.berg@demo.regionstockholm.se"; // contact person who turned the digest off

let portal: TestPortal;
const db = () => portal.portal.db;
const person: Record<string, string> = {};
const org: Record<string, string> = {};
const itemIds: Record<string, string> = {};
let listId = "";

/** Monday 07:00 Stockholm, `weeks` weeks after the week three weeks from now. */
function monday(weeks: number) {
  return digestDueAt(addDays(new Date(), 21 + weeks * 7), 7);
}
const day = (base: Date, days: number) => stockholmDate(addDays(base, days));

async function digestMails() {
  await mailSettled(db());
  return db()
    .select()
    .from(emails)
    .where(inArray(emails.template, ["action-digest", "action-overdue-summary"]));
}

async function mailsOfWeek(week: string) {
  return (await digestMails()).filter((mail) => mail.idempotencyKey.endsWith(`:${week}`));
}

beforeAll(async () => {
  portal = await startTestPortal();
  // Only this test's list: the demo list's items would otherwise come up in the digests too.
  await db().delete(actionLists);
  for (const row of await db().select({ id: users.id, email: users.email }).from(users)) person[row.email] = row.id;
  for (const row of await db().select({ id: organisations.id, name: organisations.name }).from(organisations)) org[row.name] = row.id;
  await db()
    .update(users)
    .set({ notificationSettings: { meetingReminders: true, actionDigest: false, mentions: true } })
    .where(eq(users.email, LENA));
  const [list] = await db()
    .insert(actionLists)
    .values({
      title: "Trygg i Järva 2026",
      ownerOrganisationId: org.Stadsledningskontoret,
      sharedWithOrganisationIds: [org["Lokalpolisområde Järva"], org["Järva stadsdelsnämnd"], org["Region Stockholm"]],
    })
    .returning();
  listId = list.id;
  const first = monday(0);
  const items = await db()
    .insert(actionItems)
    .values([
      { listId: list.id, number: 1, title: "Helginsats Rinkeby torg", deadline: day(first, -3), status: "pagar", contactUserId: person[ERIK], responsibleOrganisationId: org["Lokalpolisområde Järva"] },
      { listId: list.id, number: 2, title: "Trygghetsvandring Husby", deadline: day(first, 10), contactUserId: person[ERIK], responsibleOrganisationId: org["Lokalpolisområde Järva"] },
      { listId: list.id, number: 3, title: "Medborgarlöfte uppföljning", deadline: day(first, 20), contactUserId: person[ERIK] },
      { listId: list.id, number: 4, title: "Belysning gångtunnel", deadline: day(first, -10), status: "klar", contactUserId: person[JOHAN], responsibleOrganisationId: org["Järva stadsdelsnämnd"] },
      { listId: list.id, number: 5, title: "Klotterplank", deadline: day(first, 2), status: "stoppad", contactUserId: person[JOHAN] },
      { listId: list.id, number: 6, title: "Föräldravandring", deadline: day(first, -1), contactUserId: person[LENA], responsibleOrganisationId: org["Region Stockholm"] },
      { listId: list.id, number: 7, title: "Borttagen åtgärd", deadline: day(first, -1), contactUserId: person[ERIK], deletedAt: new Date() },
    ])
    .returning();
  for (const item of items) itemIds[item.title] = item.id;
}, 120_000);

afterAll(async () => {
  await portal?.close();
});

describe("weekly digest of åtgärder", () => {
  it("nothing goes out before Monday 07:00 Stockholm time", async () => {
    const result = await scanActionDigest(db(), new Date(monday(0).getTime() - 60_000));
    expect(result).toEqual({ week: null, mails: 0 });
    expect(await mailsOfWeek(isoWeekOf(monday(0)))).toEqual([]);
  });

  it("at 07:00 each contact person gets their overdue and soon-due items, and the owning organisation's coordinator the overdue ones per responsible organisation", async () => {
    const now = monday(0);
    const week = isoWeekOf(now);
    expect((await scanActionDigest(db(), now)).mails).toBe(2);
    const mails = await mailsOfWeek(week);
    expect(mails.map((mail) => [mail.template, mail.toAddress]).sort()).toEqual([
      ["action-digest", ERIK],
      ["action-overdue-summary", AMINA],
    ]);
    // Not to Johan (his items are klar or stoppad), Lena (digest turned off) or Maja (admin, not samordnare).
    expect(mails.map((mail) => mail.toAddress)).not.toContain(JOHAN);
    expect(mails.map((mail) => mail.toAddress)).not.toContain(LENA);
    expect(mails.map((mail) => mail.toAddress)).not.toContain(MAJA);

    const erik = (await renderEmail(db(), mails.find((mail) => mail.toAddress === ERIK)!))!;
    expect(erik.subject).toBe(`Dina åtgärder vecka ${Number(week.slice(-2))}: 1 försenade, 1 med deadline inom 14 dagar`);
    expect(erik.text).toContain("#1 Helginsats Rinkeby torg");
    expect(erik.text).toContain("#2 Trygghetsvandring Husby");
    expect(erik.text).not.toContain("Medborgarlöfte"); // due in 20 days
    expect(erik.text).not.toContain("Borttagen");
    expect(erik.text).not.toContain("Belysning");

    const amina = (await renderEmail(db(), mails.find((mail) => mail.toAddress === AMINA)!))!;
    expect(amina.text).toContain("Lokalpolisområde Järva (1)");
    expect(amina.text).toContain("#1 Helginsats Rinkeby torg");
    expect(amina.text).toContain("Region Stockholm (1)");
    expect(amina.text).toContain("#6 Föräldravandring");
    expect(amina.text).not.toContain("Belysning"); // klar
    expect(amina.text).not.toContain("Husby"); // not overdue
  });

  it("exactly once per person and week, however often and however many scans run", async () => {
    const now = monday(0);
    const week = isoWeekOf(now);
    await Promise.all([scanActionDigest(db(), now), scanActionDigest(db(), new Date(now.getTime() + 3_600_000))]);
    await scanActionDigest(db(), addDays(now, 2));
    // A second portal scanning the same week without the done-marker (as after a crash before it was written).
    await db().execute(`delete from action_digest_weeks where iso_week = '${week}'`);
    expect((await scanActionDigest(db(), addDays(now, 3))).mails).toBe(0);
    const mails = await mailsOfWeek(week);
    expect(mails.length).toBe(2);
    expect(new Set(mails.map((mail) => mail.idempotencyKey)).size).toBe(2);
  });

  it("the next Monday brings the next week's digest; someone who turned it off gets none", async () => {
    await db()
      .update(users)
      .set({ notificationSettings: { meetingReminders: true, actionDigest: false, mentions: true } })
      .where(eq(users.email, ERIK));
    const now = monday(1);
    expect((await scanActionDigest(db(), now)).mails).toBe(1);
    const mails = await mailsOfWeek(isoWeekOf(now));
    expect(mails.map((mail) => [mail.template, mail.toAddress])).toEqual([["action-overdue-summary", AMINA]]);
    await db()
      .update(users)
      .set({ notificationSettings: { meetingReminders: true, actionDigest: true, mentions: true } })
      .where(eq(users.email, ERIK));
  });

  it("finished items are left out: when everything is klar or stoppad nobody gets a digest", async () => {
    await db()
      .update(actionItems)
      .set({ status: "klar" })
      .where(inArray(actionItems.id, [itemIds["Helginsats Rinkeby torg"], itemIds["Trygghetsvandring Husby"], itemIds["Medborgarlöfte uppföljning"]]));
    await db().update(actionItems).set({ status: "stoppad" }).where(eq(actionItems.id, itemIds["Föräldravandring"]));
    const now = monday(2);
    expect(await scanActionDigest(db(), now)).toEqual({ week: isoWeekOf(now), mails: 0 });
    expect(await mailsOfWeek(isoWeekOf(now))).toEqual([]);
  });

  it("a digest whose items were finished after it was queued is not sent", async () => {
    const now = monday(3);
    await db().update(actionItems).set({ status: "pagar", deadline: day(now, 5) }).where(eq(actionItems.id, itemIds["Trygghetsvandring Husby"]));
    expect((await scanActionDigest(db(), now)).mails).toBe(1);
    const [queued] = await mailsOfWeek(isoWeekOf(now));
    await db().update(actionItems).set({ status: "klar" }).where(eq(actionItems.id, itemIds["Trygghetsvandring Husby"]));
    expect(await renderEmail(db(), queued)).toBeNull();
    const all = await db().select().from(emails).where(and(like(emails.idempotencyKey, "action-%"), eq(emails.toAddress, JOHAN)));
    expect(all).toEqual([]);
  });

  it("an archived list's items are in no digest, also when the list was archived after the digest was queued", async () => {
    const archive = (archivedAt: Date | null) => db().update(actionLists).set({ archivedAt }).where(eq(actionLists.id, listId));
    const overdue = (now: Date) => db().update(actionItems).set({ status: "pagar", deadline: day(now, -3) }).where(eq(actionItems.id, itemIds["Helginsats Rinkeby torg"]));
    const now = monday(4);
    await overdue(now);
    await archive(new Date());
    expect(await scanActionDigest(db(), now)).toEqual({ week: isoWeekOf(now), mails: 0 });

    // In use again, the same item brings both mails the next week; archived before they go, neither is sent.
    await archive(null);
    const next = monday(5);
    await overdue(next);
    expect((await scanActionDigest(db(), next)).mails).toBe(2);
    const queued = await mailsOfWeek(isoWeekOf(next));
    expect(queued.map((mail) => mail.toAddress).sort()).toEqual([AMINA, ERIK]);
    await archive(new Date());
    for (const mail of queued) expect(await renderEmail(db(), mail), mail.template).toBeNull();
  });
});
