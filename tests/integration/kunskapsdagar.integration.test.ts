import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, kunskapsdagar, kunskapsdagRegistrations, organisations } from "../../db/schema";
import { manageToken } from "../../app/domain/kunskapsdagar/manage-links.server";
import { rows, tableDigest } from "../support/digest";
import { kunskapsdagForm } from "../support/kunskapsdag";
import { startTestPortal, type TestPortal } from "../support/portal";
import { stockholmDay, waitFor } from "../support/wait";
import { formField, NO_FIELD_ERROR } from "../support/html";
import { flashCookieOf, flashSetCookie, statusMessage } from "../support/flash";

/**
 * Kunskapsdagar: organisers create and publish a day; anyone registers without an account, gets a
 * seat or a waitlist place in arrival order, a mail with a calendar file and a personal manage
 * link; a cancellation moves the first on the waitlist up exactly once; seats are live.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret
const ERIK = "erik.sandberg@demo.polisen.se"; // plain member of a police area

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { amina: "", erik: "" };
let stadsledningskontoret: string;
let dayId: string;

const TABLES = ["kunskapsdagar", "kunskapsdag_registrations", "kunskapsdag_programme_items", "kunskapsdag_organisers", "audit_events"];

/**
 * The tables a refused request must leave as they were, and the mails that exist (not their
 * sending status: the queue keeps delivering the 500 confirmations in the background).
 */
async function digest() {
  const mails = await rows<{ n: number; ids: string }>(db(), sql`select count(*)::int as n, md5(coalesce(string_agg(idempotency_key || ':' || to_address || ':' || props::text, ',' order by idempotency_key), '')) as ids from emails`);
  return { ...(await tableDigest(db(), TABLES)), emails: `${mails[0].n}:${mails[0].ids}` };
}

function dayForm(overrides: Record<string, string | string[]> = {}) {
  return kunskapsdagForm(stadsledningskontoret, {
    title: "Kunskapsdag: så är det brottsförebyggande arbetet organiserat",
    description: "Första stycket.\n\nAndra stycket.",
    place: "Stadshuset, Ragnar Östbergs plan 1",
    capacity: "100",
    questions: ["titel", "kost"],
    programmeTime: ["09:00", "10:30", ""],
    programmeTitle: ["Välkommen", "Lagen om kommuners ansvar", ""],
    programmeSpeaker: ["Amina Hassan", "Erik Sandberg", ""],
    ...overrides,
  });
}

async function createDay(overrides: Record<string, string | string[]> = {}) {
  const response = await portal.post("/kunskapsdagar/ny", dayForm(overrides), { cookie: cookies.amina });
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 400))).toBe(302);
  const match = /^\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "");
  expect(match).not.toBeNull();
  return match![1];
}

async function publish(id: string) {
  const response = await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina });
  expect(response.status).toBe(200);
}

function registration(index: number, overrides: Record<string, string> = {}) {
  return {
    name: `Deltagare ${index}`,
    email: `deltagare${index}@exempel.se`,
    organisationId: stadsledningskontoret,
    organisationOther: "",
    jobTitle: "Handläggare",
    dietaryNeeds: "",
    consent: "on",
    ...overrides,
  };
}

async function register(id: string, fields: Record<string, string>) {
  const response = await portal.post(`/kunskapsdagar/${id}`, fields);
  return { status: response.status, text: await response.text() };
}

async function registrationsOf(id: string) {
  return db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, id)).orderBy(asc(kunskapsdagRegistrations.arrival));
}

async function mailsOf(registrationId: string) {
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "kunskapsdag-registration"), sql`${emails.props}->>'registrationId' = ${registrationId}`))
    .orderBy(asc(emails.createdAt));
}

const tokenFor = (registrationId: string, expires = new Date(Date.now() + 60 * 86_400_000)) => manageToken({ registrationId, expires });

const sockets: Socket[] = [];
function publicSocket() {
  const socket = io(`${portal.url}/public`, { transports: ["websocket"], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
});

afterAll(async () => {
  await portal?.close();
});

describe("creating and publishing a kunskapsdag", () => {
  it("a coordinator creates a draft with its programme and becomes its organiser, with an audit event", async () => {
    dayId = await createDay();
    const [day] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
    expect(day).toMatchObject({ status: "utkast", capacity: 100, ownerOrganisationId: stadsledningskontoret, questions: ["titel", "kost"] });
    // 09:00 Stockholm is 08:00 or 07:00 UTC depending on summer time; the stored instant reads back as 09:00 there.
    expect(new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", hour: "2-digit", minute: "2-digit" }).format(day.startsAt)).toBe("09:00");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "kunskapsdag.create"), eq(auditEvents.entityId, dayId)));
    expect(event.summary).toContain("Amina Hassan");
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/hantera`, { cookie: cookies.amina })).text();
    expect(page).toContain("Publicera");
  });

  it("after creating, the organiser page says once, without JavaScript, that the day is a draft until published", async () => {
    const response = await portal.post("/kunskapsdagar/ny", dayForm({ title: "Kunskapsdag som bekräftas" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    const page = await portal.fetch(location, { cookie: `${cookies.amina}; ${flashCookieOf(response)}` });
    expect(statusMessage(await page.text())).toBe("Kunskapsdagen är sparad som utkast. Den syns och tar emot anmälningar först när du publicerar den.");
    expect(flashSetCookie(page)).toMatch(/^sv_flash=; .*Max-Age=0/);
    expect(statusMessage(await (await portal.fetch(location, { cookie: cookies.amina })).text())).toBeNull();
  });

  it("a plain member may not create one: 403 and nothing stored", async () => {
    const before = await digest();
    expect((await portal.fetch("/kunskapsdagar/ny", { cookie: cookies.erik })).status).toBe(403);
    const response = await portal.post("/kunskapsdagar/ny", dayForm(), { cookie: cookies.erik });
    expect(response.status).toBe(403);
    expect(await digest()).toEqual(before);
  });

  it("bad form input is refused field by field in Swedish and nothing is stored", async () => {
    const before = await digest();
    const noSeats = await portal.post("/kunskapsdagar/ny", dayForm({ capacity: "0" }), { cookie: cookies.amina });
    expect(noSeats.status).toBe(400);
    expect(await noSeats.text()).toContain("Ange minst 1 plats.");
    // A day that does not exist is told beside the date, not the start time, and is no failed query.
    const noSuchDay = await portal.post("/kunskapsdagar/ny", dayForm({ date: "2026-02-31" }), { cookie: cookies.amina });
    expect(noSuchDay.status).toBe(400);
    const noSuchDayHtml = await noSuchDay.text();
    expect(formField(noSuchDayHtml, { name: "date" })).toMatchObject({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern." });
    expect(formField(noSuchDayHtml, { name: "startTime" })).toMatchObject(NO_FIELD_ERROR);
    expect(formField(noSuchDayHtml, { name: "endTime" })).toMatchObject(NO_FIELD_ERROR);
    const response = await portal.post("/kunskapsdagar/ny", dayForm({ endTime: "08:00", registrationCloses: `${stockholmDay(31)}T12:00` }), { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("Kunskapsdagen måste sluta efter att den börjar.");
    expect(text).toContain("Anmälan måste stänga senast när kunskapsdagen börjar.");
    expect(await digest()).toEqual(before);
  });

  it("a draft is not public: 404 without an account, in the list, for registration and on the public socket", async () => {
    const before = await digest();
    expect((await portal.fetch(`/kunskapsdagar/${dayId}`)).status).toBe(404);
    expect(await (await portal.fetch("/kunskapsdagar")).text()).not.toContain(dayId);
    expect((await register(dayId, registration(0))).status).toBe(404);
    const socket = publicSocket();
    expect(await socket.timeout(5000).emitWithAck("subscribe", `kunskapsdag:${dayId}`)).toEqual({ ok: false, error: "not_found" });
    expect(await digest()).toEqual(before);
    // Its organiser sees the draft.
    expect((await portal.fetch(`/kunskapsdagar/${dayId}`, { cookie: cookies.amina })).status).toBe(200);
  });

  it("once published it is listed and readable without an account, with the consent text and the deletion date", async () => {
    await publish(dayId);
    const list = await (await portal.fetch("/kunskapsdagar")).text();
    expect(list).toContain(`/kunskapsdagar/${dayId}`);
    expect(list).toContain("100 platser kvar");
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}`)).text();
    expect(page).toContain("Lagen om kommuners ansvar");
    expect(page).toContain("raderas senast");
    expect(page).toContain("Anmäl mig");
  });
});

describe("registration", () => {
  it("500 registrations at once for 100 seats: exactly 100 confirmed, 400 waitlisted in arrival order, none lost, one mail each", async () => {
    const socket = publicSocket();
    const seatEvents: Array<{ seatsLeft: number; waitlisted: number }> = [];
    socket.on("kunskapsdag:seats", (payload) => seatEvents.push(payload));
    expect(await socket.timeout(5000).emitWithAck("subscribe", `kunskapsdag:${dayId}`)).toEqual({ ok: true });

    const answers = await Promise.all(Array.from({ length: 500 }, (_, index) => register(dayId, registration(index + 1))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(500).fill(200));

    const stored = await registrationsOf(dayId);
    expect(stored).toHaveLength(500);
    expect(stored.map((row) => row.arrival)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    expect(new Set(stored.map((row) => row.email)).size).toBe(500);
    const confirmed = stored.filter((row) => row.status === "bekraftad");
    const waitlisted = stored.filter((row) => row.status === "vantelista");
    expect(confirmed).toHaveLength(100);
    expect(waitlisted).toHaveLength(400);
    // The first hundred to arrive got the seats; the rest wait in the order they came.
    expect(confirmed.map((row) => row.arrival)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));

    // Each person was told their place: the waitlisted answer names a place that matches the arrival order.
    for (const [index, answer] of answers.entries()) {
      const row = stored.find((candidate) => candidate.email === `deltagare${index + 1}@exempel.se`)!;
      if (row.status === "bekraftad") expect(answer.text).toContain("Du har fått en plats");
      else expect(answer.text).toContain(`Du står på plats ${row.arrival - 100} på väntelistan`);
    }

    const mails = await db().select().from(emails).where(eq(emails.template, "kunskapsdag-registration"));
    expect(mails).toHaveLength(500);
    const byRegistration = new Map(mails.map((mail) => [String(mail.props.registrationId), mail]));
    expect(byRegistration.size).toBe(500);
    for (const row of stored) expect(byRegistration.get(row.id)?.props.kind).toBe(row.status === "bekraftad" ? "bekraftad" : "vantelista");

    // The page's live count followed: the last seat event says full, 400 waiting.
    await waitFor(async () => seatEvents.some((event) => event.seatsLeft === 0 && event.waitlisted === 400), "the live seat count");
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}`)).text();
    expect(page).toContain("Fullt – 400 på väntelistan");
    expect(page).toContain("Ställ mig på väntelistan");
  }, 180_000);

  it("the confirmation mail carries a calendar file and a working personal manage link", async () => {
    const [first] = await registrationsOf(dayId);
    const mail = await waitFor(async () => (await mailsOf(first.id)).find((row) => row.status === "sent"), "the first confirmation to be sent", 120_000);
    const outbox = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
    const link = /\/kunskapsdagar\/anmalan\/([0-9a-z.-]+)/.exec(outbox);
    expect(link).not.toBeNull();
    const managePage = await (await portal.fetch(`/kunskapsdagar/anmalan/${link![1]}`)).text();
    expect(managePage).toContain("Bekräftad plats");
    expect(managePage).toContain(first.email);
    const ics = await (await portal.fetch(`/dev/mail/${mail.id}/bilagor/0`)).text();
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(String(calendar.getFirstPropertyValue("method"))).toBe("PUBLISH");
    const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent")!);
    expect(event.uid).toBe(`kunskapsdag-${dayId}@samverkansportalen`);
    const [day] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
    expect(event.startDate.toJSDate().toISOString()).toBe(day.startsAt.toISOString());
  }, 240_000);

  it("the same address again (in other letter case) gets a clear message, not a second seat", async () => {
    const before = await digest();
    const answer = await register(dayId, registration(1, { email: "DELTAGARE1@Exempel.se" }));
    expect(answer.status).toBe(409);
    expect(answer.text).toContain("redan anmäld till kunskapsdagen");
    expect(await digest()).toEqual(before);
  }, 240_000);

  it("registration without consent, or with an unknown organisation, is refused and nothing changes", async () => {
    const before = await digest();
    const noConsent = await register(dayId, { ...registration(900), consent: "" });
    expect(noConsent.status).toBe(400);
    expect(noConsent.text).toContain("godkänna");
    const badOrganisation = await register(dayId, registration(901, { organisationId: "00000000-0000-4000-8000-000000000000" }));
    expect(badOrganisation.status).toBe(400);
    expect(badOrganisation.text).toContain("Välj din organisation i listan.");
    expect(await digest()).toEqual(before);
  });
});

describe("cancellation and the waitlist", () => {
  it("a cancellation gives the seat to the first on the waitlist, exactly once and with a mail", async () => {
    const [first] = await registrationsOf(dayId);
    const response = await portal.post(`/kunskapsdagar/anmalan/${tokenFor(first.id)}`, { intent: "cancel" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Din plats är avbokad");
    const stored = await registrationsOf(dayId);
    expect(stored.find((row) => row.arrival === 1)?.status).toBe("avbokad");
    expect(stored.find((row) => row.arrival === 101)?.status).toBe("bekraftad");
    expect(stored.filter((row) => row.status === "bekraftad")).toHaveLength(100);
    const promoted = stored.find((row) => row.arrival === 101)!;
    expect((await mailsOf(promoted.id)).map((mail) => mail.props.kind)).toEqual(["vantelista", "flyttad-upp"]);
    expect((await mailsOf(first.id)).map((mail) => mail.props.kind)).toEqual(["bekraftad", "avbokad"]);

    // Cancelling again changes nothing.
    const before = await digest();
    const again = await portal.post(`/kunskapsdagar/anmalan/${tokenFor(first.id)}`, { intent: "cancel" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("redan avbokad");
    expect(await digest()).toEqual(before);
  }, 240_000);

  it("two cancellations at the same moment move up the next two on the waitlist, each once", async () => {
    const stored = await registrationsOf(dayId);
    const [a, b] = stored.filter((row) => row.arrival === 2 || row.arrival === 3);
    const answers = await Promise.all([a, b].map((row) => portal.post(`/kunskapsdagar/anmalan/${tokenFor(row.id)}`, { intent: "cancel" })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const after = await registrationsOf(dayId);
    expect(after.filter((row) => row.status === "bekraftad")).toHaveLength(100);
    expect(after.filter((row) => row.arrival >= 102 && row.arrival <= 104).map((row) => row.status)).toEqual(["bekraftad", "bekraftad", "vantelista"]);
    const promotions = await db()
      .select()
      .from(emails)
      .where(and(eq(emails.template, "kunskapsdag-registration"), sql`${emails.props}->>'kind' = 'flyttad-upp'`));
    const promotedIds = after.filter((row) => row.arrival >= 101 && row.arrival <= 103).map((row) => row.id);
    expect(promotions.map((mail) => String(mail.props.registrationId)).sort()).toEqual(promotedIds.sort());
  });

  it("a person leaves the waitlist themselves: no seat moves and the places behind them move forward", async () => {
    const stored = await registrationsOf(dayId);
    const waiting = stored.filter((row) => row.status === "vantelista");
    const leaving = waiting[0];
    const next = waiting[1];
    expect((await (await portal.fetch(`/kunskapsdagar/anmalan/${tokenFor(next.id)}`)).text())).toContain("du står på plats 2 på väntelistan");
    const response = await portal.post(`/kunskapsdagar/anmalan/${tokenFor(leaving.id)}`, { intent: "cancel" });
    expect(await response.text()).toContain("Du har lämnat väntelistan");
    const after = await registrationsOf(dayId);
    expect(after.filter((row) => row.status === "bekraftad")).toHaveLength(100);
    expect((await (await portal.fetch(`/kunskapsdagar/anmalan/${tokenFor(next.id)}`)).text())).toContain("du står på plats 1 på väntelistan");
    expect((await mailsOf(leaving.id)).map((mail) => mail.props.kind)).toEqual(["vantelista", "lamnat-vantelistan"]);
  });

  it("a registered person changes their answers through the link; the address stays", async () => {
    const [row] = (await registrationsOf(dayId)).filter((candidate) => candidate.status === "bekraftad");
    const response = await portal.post(`/kunskapsdagar/anmalan/${tokenFor(row.id)}`, {
      intent: "update",
      name: "Nytt Namn",
      organisationId: "annan",
      organisationOther: "Föreningen Trygg Tensta",
      jobTitle: "Ordförande",
      dietaryNeeds: "Vegetarisk",
      email: "kapad@exempel.se",
    });
    expect(response.status).toBe(200);
    const [updated] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, row.id));
    expect(updated).toMatchObject({ name: "Nytt Namn", organisationId: null, organisationName: "Föreningen Trygg Tensta", jobTitle: "Ordförande", dietaryNeeds: "Vegetarisk", email: row.email, status: "bekraftad" });
  });
});

describe("changing the day", () => {
  it("more seats move the first on the waitlist up at once; fewer seats than confirmed are refused", async () => {
    const before = await registrationsOf(dayId);
    const nextTwo = before.filter((row) => row.status === "vantelista").slice(0, 2).map((row) => row.id);
    const more = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ capacity: "102", organiserEmails: AMINA }), { cookie: cookies.amina });
    expect(more.status, await more.clone().text().then((text) => text.slice(0, 300))).toBe(302);
    const after = await registrationsOf(dayId);
    expect(after.filter((row) => row.status === "bekraftad")).toHaveLength(102);
    expect(after.filter((row) => nextTwo.includes(row.id)).map((row) => row.status)).toEqual(["bekraftad", "bekraftad"]);
    for (const id of nextTwo) expect((await mailsOf(id)).map((mail) => mail.props.kind)).toEqual(["vantelista", "flyttad-upp"]);

    const unchanged = await digest();
    const fewer = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ capacity: "50", organiserEmails: AMINA }), { cookie: cookies.amina });
    expect(fewer.status).toBe(400);
    expect(await fewer.text()).toContain("102 personer har redan bekräftade platser");
    // A member of another organisation who is no organiser may not change it.
    expect((await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ capacity: "500" }), { cookie: cookies.erik })).status).toBe(403);
    expect(await digest()).toEqual(unchanged);
  });

  it("a date missing from the calendar is refused beside the date field and the stored day stays as it was", async () => {
    const before = await digest();
    const [stored] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
    const response = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ date: "2026-02-31", capacity: "102", organiserEmails: AMINA }), { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Kontrollera de markerade fälten.");
    expect(formField(html, { name: "date" })).toMatchObject({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern." });
    expect(formField(html, { name: "startTime" })).toMatchObject(NO_FIELD_ERROR);
    expect(await digest()).toEqual(before);
    const [after] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
    expect(after.startsAt).toEqual(stored.startsAt);
    expect(after.updatedAt).toEqual(stored.updatedAt);
  });
});

describe("manage links that are not right", () => {
  it("tampered, expired or another registration's links get a Swedish error and change nothing", async () => {
    const stored = await registrationsOf(dayId);
    const mine = stored.find((row) => row.status === "bekraftad")!;
    const other = stored.find((row) => row.status === "bekraftad" && row.id !== mine.id)!;
    const good = tokenFor(mine.id);
    const [id, expires, signature] = good.split(".");
    const otherSignature = tokenFor(other.id).split(".")[2];
    const cases = [
      { name: "changed signature", token: `${id}.${expires}.${signature.slice(0, -1)}${signature.endsWith("a") ? "b" : "a"}`, status: 400, text: "Länken är ogiltig" },
      { name: "later expiry", token: `${id}.${Number(expires) + 86_400}.${signature}`, status: 400, text: "Länken är ogiltig" },
      { name: "another registration's signature", token: `${id}.${expires}.${otherSignature}`, status: 400, text: "Länken är ogiltig" },
      { name: "another registration's id with this signature", token: `${other.id}.${expires}.${signature}`, status: 400, text: "Länken är ogiltig" },
      { name: "expired", token: tokenFor(mine.id, new Date(Date.now() - 60_000)), status: 410, text: "Länken har gått ut" },
      { name: "garbage", token: "inte-en-lank", status: 400, text: "Länken är ogiltig" },
    ];
    const before = await digest();
    for (const testCase of cases) {
      const page = await portal.fetch(`/kunskapsdagar/anmalan/${testCase.token}`);
      expect(page.status, testCase.name).toBe(testCase.status);
      expect(await page.text(), testCase.name).toContain(testCase.text);
      const cancel = await portal.post(`/kunskapsdagar/anmalan/${testCase.token}`, { intent: "cancel" });
      expect(cancel.status, testCase.name).toBe(testCase.status);
      const update = await portal.post(`/kunskapsdagar/anmalan/${testCase.token}`, { intent: "update", name: "Kapad", organisationId: stadsledningskontoret });
      expect(update.status, testCase.name).toBe(testCase.status);
    }
    expect(await digest()).toEqual(before);
  }, 240_000);
});

describe("the public live room", () => {
  it("needs no account, refuses malformed and unknown rooms, and only carries seat counts", async () => {
    const socket = publicSocket();
    const ack = (room: unknown) => socket.timeout(5000).emitWithAck("subscribe", room);
    expect(await ack(`kunskapsdag:${dayId}`)).toEqual({ ok: true });
    expect(await ack("kunskapsdag:inte-ett-id")).toEqual({ ok: false, error: "malformed" });
    expect(await ack("kunskapsdag:00000000-0000-4000-8000-000000000000")).toEqual({ ok: false, error: "not_found" });
    expect(await ack("admin:mail")).toEqual({ ok: false, error: "not_found" });
    expect(await ack({ room: 1 })).toEqual({ ok: false, error: "malformed" });
    const received = new Promise<Record<string, unknown>>((resolve) => socket.once("kunskapsdag:seats", resolve));
    const waiting = (await registrationsOf(dayId)).find((row) => row.status === "vantelista")!;
    await portal.post(`/kunskapsdagar/anmalan/${tokenFor(waiting.id)}`, { intent: "cancel" });
    const payload = await received;
    expect(Object.keys(payload).sort()).toEqual(["capacity", "confirmed", "kunskapsdagId", "seatsLeft", "waitlisted"]);
  });
});
