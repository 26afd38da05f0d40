import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, calendarFeeds, emails, networks, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { comingYears } from "../support/calendar";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-15");

/**
 * The personal calendar subscription: a secret URL per person that lists the meetings they are
 * invited to, with the same UIDs as the invitation mails, and that stops working when the
 * person makes a new one or can no longer sign in.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se";
const LENA = "lena.berg@demo.regionstockholm.se";

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId = "";
const cookies = { amina: "", erik: "", lena: "" };
const meetingIds = { winter: "", summer: "", cancelled: "", recent: "", old: "", notInvited: "" };
let feedPath = "";

const stockholmDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" });
const daysFromNow = (days: number) => stockholmDay.format(new Date(Date.now() + days * 24 * 60 * 60 * 1000));

async function planMeeting(title: string, date: string, invite: string) {
  const response = await portal.post(
    `/natverk/${networkId}/moten/nytt`,
    { title, date, startTime: "09:00", endTime: "10:30", place: "Rinkeby medborgarkontor", extraEmails: invite },
    { cookie: cookies.amina },
  );
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(302);
  return response.headers.get("location")!.split("/").pop()!;
}

type FeedEvent = { uid: string; sequence: number; start: Date; end: Date; status: string; summary: string };

function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    method: calendar.getFirstPropertyValue("method"),
    name: String(calendar.getFirstPropertyValue("x-wr-calname")),
    events: calendar.getAllSubcomponents("vevent").map((vevent): FeedEvent => {
      const event = new ICAL.Event(vevent);
      return { uid: event.uid, sequence: event.sequence, start: event.startDate.toJSDate(), end: event.endDate.toJSDate(), status: String(vevent.getFirstPropertyValue("status")), summary: event.summary };
    }),
  };
}

/** The UID in the calendar file of the invitation mail Erik got for a meeting. */
async function invitationUid(meetingId: string) {
  await mailSettled(db());
  const [mail] = await db()
    .select()
    .from(emails)
    .where(and(eq(emails.toAddress, ERIK), sql`${emails.props}->>'meetingId' = ${meetingId}`, sql`${emails.props}->>'kind' = 'invitation'`))
    .orderBy(asc(emails.createdAt));
  const response = await portal.fetch(`/dev/mail/${mail.id}/bilagor/0`);
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  return new ICAL.Event(calendar.getFirstSubcomponent("vevent")!).uid;
}

async function feedUrlOnProfile(cookie: string) {
  const text = await (await portal.fetch("/profil", { cookie })).text();
  return /\/kalender\/[a-z2-7]{32}\.ics/.exec(text)?.[0] ?? null;
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.lena = await portal.signInAs(LENA);
  meetingIds.winter = await planMeeting("Vintermöte", coming("2026-12-15"), ERIK);
  meetingIds.summer = await planMeeting("Sommarmöte", coming("2027-06-15"), ERIK);
  meetingIds.cancelled = await planMeeting("Inställt möte", coming("2027-01-12"), ERIK);
  meetingIds.recent = await planMeeting("Möte för 60 dagar sedan", daysFromNow(-60), ERIK);
  meetingIds.old = await planMeeting("Möte för 120 dagar sedan", daysFromNow(-120), ERIK);
  meetingIds.notInvited = await planMeeting("Möte utan Erik", coming("2026-12-16"), LENA);
  expect((await portal.post(`/moten/${meetingIds.cancelled}`, { intent: "cancel" }, { cookie: cookies.amina })).status).toBe(200);
});

afterAll(async () => {
  await portal?.close();
});

describe("the subscription URL", () => {
  it("a person has none until they create one on their profile page", async () => {
    const text = await (await portal.fetch("/profil", { cookie: cookies.erik })).text();
    expect(text).toContain("Mina möten i min kalender");
    expect(text).toContain("Skapa kalenderlänk");
    expect(await feedUrlOnProfile(cookies.erik)).toBeNull();
  });

  it("creating it shows a secret URL on the profile page; only a hash of its secret is stored", async () => {
    const response = await portal.post("/profil/kalenderlank", { intent: "renew" }, { cookie: cookies.erik });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profil#kalender");
    feedPath = (await feedUrlOnProfile(cookies.erik))!;
    expect(feedPath).toMatch(/^\/kalender\/[a-z2-7]{32}\.ics$/);
    const token = feedPath.slice("/kalender/".length, -".ics".length);
    const stored = await rows<{ row: string }>(db(), sql`select t::text as row from calendar_feeds t`);
    expect(stored).toHaveLength(1);
    expect(stored[0].row).not.toContain(token);
    // The page shows the same URL again on the next visit.
    expect(await feedUrlOnProfile(cookies.erik)).toBe(feedPath);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "calendarFeed.create"));
    expect(event.summary).toBe("Erik Sandberg skapade en kalenderlänk");
  });
});

describe("the feed", () => {
  it("is served without signing in, as a calendar that calendar programs may cache privately", async () => {
    const response = await portal.fetch(feedPath);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    const feed = parseFeed(await response.text());
    expect(feed.name).toBe("Samverkansportalen – mina möten");
    // A subscription is not a scheduling message.
    expect(feed.method).toBeNull();
  });

  it("lists the meetings the person is invited to, from 90 days back, with the invitations' UIDs and correct times", async () => {
    const feed = parseFeed(await (await portal.fetch(feedPath)).text());
    const byUid = new Map(feed.events.map((event) => [event.uid, event]));
    expect(feed.events).toHaveLength(4);
    for (const key of ["winter", "summer", "cancelled", "recent"] as const) {
      expect(byUid.has(await invitationUid(meetingIds[key])), key).toBe(true);
    }
    for (const key of ["old", "notInvited"] as const) expect(byUid.has(`${meetingIds[key]}@samverkansportalen`), key).toBe(false);
    // 09:00 Stockholm is 08:00 UTC in winter and 07:00 UTC in summer.
    const winter = byUid.get(`${meetingIds.winter}@samverkansportalen`)!;
    expect(winter.start.toISOString()).toBe(coming("2026-12-15T08:00:00.000Z"));
    expect(winter.end.toISOString()).toBe(coming("2026-12-15T09:30:00.000Z"));
    expect(winter).toMatchObject({ status: "CONFIRMED", sequence: 0, summary: "Vintermöte" });
    const summer = byUid.get(`${meetingIds.summer}@samverkansportalen`)!;
    expect(summer.start.toISOString()).toBe(coming("2027-06-15T07:00:00.000Z"));
    expect(summer.end.toISOString()).toBe(coming("2027-06-15T08:30:00.000Z"));
  });

  it("shows a cancelled meeting as cancelled, with the cancellation's SEQUENCE", async () => {
    const feed = parseFeed(await (await portal.fetch(feedPath)).text());
    const cancelled = feed.events.find((event) => event.uid === `${meetingIds.cancelled}@samverkansportalen`)!;
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.sequence).toBe(1);
  });

  it("follows a change to the meeting", async () => {
    const response = await portal.post(
      `/moten/${meetingIds.winter}/redigera`,
      { title: "Vintermöte", date: coming("2026-12-15"), startTime: "10:00", endTime: "11:00", place: "Rinkeby medborgarkontor", extraEmails: "" },
      { cookie: cookies.amina },
    );
    expect(response.status).toBe(302);
    const feed = parseFeed(await (await portal.fetch(feedPath)).text());
    const winter = feed.events.find((event) => event.uid === `${meetingIds.winter}@samverkansportalen`)!;
    expect(winter.start.toISOString()).toBe(coming("2026-12-15T09:00:00.000Z"));
    expect(winter.sequence).toBe(1);
  });
});

describe("revoking and refusing", () => {
  it("a new URL revokes the old one at once: the old one gets a bare 404", async () => {
    const old = feedPath;
    const response = await portal.post("/profil/kalenderlank", { intent: "renew" }, { cookie: cookies.erik });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profil#kalender");
    feedPath = (await feedUrlOnProfile(cookies.erik))!;
    expect(feedPath).not.toBe(old);
    const revoked = await portal.fetch(old);
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).toBe("Finns inte.");
    expect((await portal.fetch(feedPath)).status).toBe(200);
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "calendarFeed.renew"))).toHaveLength(1);
  });

  it.each([
    ["an unknown token of the right form", "/kalender/abcdefghijklmnopqrstuvwxyz234567.ics"],
    ["a token that is too short", "/kalender/abc.ics"],
    ["a token with characters outside base32", "/kalender/ABCDEFGHIJKLMNOPQRSTUVWXYZ01!?**.ics"],
    ["a very long token", `/kalender/${"a".repeat(500)}.ics`],
  ])("%s → the same bare 404, nothing changed", async (_name, path) => {
    const before = await tableDigest(db(), ["calendar_feeds", "audit_events"]);
    const response = await portal.fetch(path);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Finns inte.");
    expect(await tableDigest(db(), ["calendar_feeds", "audit_events"])).toEqual(before);
  });

  it("a deactivated person's feed answers 404, and works again when the account is reactivated", async () => {
    await db().update(users).set({ status: "deactivated" }).where(eq(users.email, ERIK));
    expect((await portal.fetch(feedPath)).status).toBe(404);
    await db().update(users).set({ status: "active" }).where(eq(users.email, ERIK));
    expect((await portal.fetch(feedPath)).status).toBe(200);
  });

  it("each person's URL lists only their own invitations", async () => {
    await portal.post("/profil/kalenderlank", { intent: "renew" }, { cookie: cookies.lena });
    const lenaPath = (await feedUrlOnProfile(cookies.lena))!;
    expect(lenaPath).not.toBe(feedPath);
    const feed = parseFeed(await (await portal.fetch(lenaPath)).text());
    expect(feed.events.map((event) => event.uid)).toEqual([`${meetingIds.notInvited}@samverkansportalen`]);
    expect(await db().select().from(calendarFeeds)).toHaveLength(2);
  });

  it("creating a URL needs a signed-in person", async () => {
    const before = await tableDigest(db(), ["calendar_feeds", "audit_events"]);
    const response = await portal.post("/profil/kalenderlank", { intent: "renew" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/logga-in/);
    expect(await tableDigest(db(), ["calendar_feeds", "audit_events"])).toEqual(before);
  });
});
