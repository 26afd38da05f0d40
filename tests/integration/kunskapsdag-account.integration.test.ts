import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kunskapsdagRegistrations, organisations } from "../../db/schema";
import { kunskapsdagForm } from "../support/kunskapsdag";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * Registration needs no account, but someone who has one sees the kunskapsdagar they registered
 * for with its address on their start page and in their calendar feed.
 */
const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret, runs the days
const ERIK = "erik.sandberg@demo.polisen.se"; // registers with the address of his account

let portal: TestPortal;
const cookies = { amina: "", erik: "" };
let stadsledningskontoret: string;

async function publishedDay(title: string, capacity: number) {
  const created = await portal.post(
    "/kunskapsdagar/ny",
    kunskapsdagForm(stadsledningskontoret, { title, capacity: String(capacity), programmeTime: ["09:00"], programmeTitle: ["Välkommen"], programmeSpeaker: [""] }),
    { cookie: cookies.amina },
  );
  expect(created.status).toBe(302);
  const id = /^\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(created.headers.get("location") ?? "")![1];
  expect((await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
  return id;
}

async function register(dayId: string, name: string, email: string) {
  const response = await portal.post(`/kunskapsdagar/${dayId}`, { name, email, organisationId: stadsledningskontoret, organisationOther: "", consent: "on" });
  expect(response.status).toBe(200);
}

async function feedEvents(cookie: string) {
  expect((await portal.post("/profil/kalenderlank", { intent: "renew" }, { cookie })).status).toBeLessThan(400);
  const profile = await (await portal.fetch("/profil", { cookie })).text();
  const path = /\/kalender\/[a-z2-7]{32}\.ics/.exec(profile)![0];
  const calendar = new ICAL.Component(ICAL.parse(await (await portal.fetch(path)).text()));
  return calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: stadsledningskontoret }] = await portal.portal.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
});

afterAll(async () => {
  await portal?.close();
});

describe("a person's own kunskapsdagar", () => {
  it("are on the start page with their state and in the calendar feed while they hold a seat", async () => {
    const seated = await publishedDay("Kunskapsdag om trygghetsvandringar", 10);
    const full = await publishedDay("Kunskapsdag om lägesbilder", 1);
    await register(seated, "Erik Sandberg", "Erik.Sandberg@demo.polisen.se");
    await register(full, "Någon Annan", "nagon.annan@exempel.se");
    await register(full, "Erik Sandberg", ERIK);

    const start = await (await portal.fetch("/", { cookie: cookies.erik })).text();
    expect(start).toContain("Kunskapsdag om trygghetsvandringar");
    expect(start).toContain("du har en plats");
    expect(start).toContain("Kunskapsdag om lägesbilder");
    expect(start).toContain("på väntelistan");
    // Someone else's start page does not show Erik's registrations.
    const amina = await (await portal.fetch("/", { cookie: cookies.amina })).text();
    expect(amina).not.toContain("Kunskapsdag om trygghetsvandringar");

    // The feed has the day with a seat (same UID as the confirmation's calendar file), not the waitlisted one.
    const events = await feedEvents(cookies.erik);
    const days = events.filter((event) => event.uid.startsWith("kunskapsdag-"));
    expect(days.map((event) => event.uid)).toEqual([`kunskapsdag-${seated}@samverkansportalen`]);
    expect(days[0].summary).toBe("Kunskapsdag: Kunskapsdag om trygghetsvandringar");
    expect(days[0].startDate.toJSDate().toISOString()).toMatch(/T0[78]:00:00.000Z$/);

    // Cancelled: gone from both.
    await portal.portal.db.update(kunskapsdagRegistrations).set({ status: "avbokad", cancelledAt: new Date() }).where(eq(kunskapsdagRegistrations.kunskapsdagId, seated));
    expect(await (await portal.fetch("/", { cookie: cookies.erik })).text()).not.toContain("Kunskapsdag om trygghetsvandringar");
    expect((await feedEvents(cookies.erik)).filter((event) => event.uid.startsWith("kunskapsdag-"))).toEqual([]);
  });
});
