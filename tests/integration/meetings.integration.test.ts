import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../db/client";
import {
  auditEvents,
  emails,
  meetingInvitees,
  meetings,
  meetingSeries,
  meetingSeriesInvitees,
  memberships,
  networks,
  organisations,
  pollParticipants,
  polls,
  removedMeetingInvitees,
  users,
} from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { answerToken } from "../../app/domain/meetings/answer-links.server";
import { comingYears } from "../support/calendar";
import { liveSockets } from "../support/live-socket";
import { tableDigest } from "../support/digest";
import { freshDatabase, startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";
import { confirmation, formField, NO_FIELD_ERROR } from "../support/html";
import { flashCookieOf, flashSetCookie, statusMessage } from "../support/flash";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-15");

/**
 * Meetings of a network: planning with invitations and calendar files, changes and cancellation
 * (same UID, rising SEQUENCE), answers from the meeting page and from signed links in the mail,
 * the attendee export and who may see what.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se"; // a member of the demo network
const EXTERNAL = "extern.kontakt@forening.example"; // no account
const FORMULA = '=HYPERLINK("http://elak.example","klicka")';

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId: string;
const cookies = { amina: "", erik: "", fia: "" };

/** Every table a refused request must leave exactly as it was. */
const TABLES = ["meetings", "agenda_items", "meeting_invitees", "audit_events", "emails", "networks", "network_members", "users"];

function digest() {
  return tableDigest(db(), TABLES);
}

async function meetingMails(meetingId: string) {
  await mailSettled(db());
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "meeting"), sql`${emails.props}->>'meetingId' = ${meetingId}`))
    .orderBy(asc(emails.createdAt), asc(emails.toAddress));
}

type ParsedCalendar = { method: string; uid: string; sequence: number; start: Date; end: Date; status: string; organizer: string; attendees: Array<{ email: string; rsvp: string }> };

/** The URI scheme is case-insensitive ("MAILTO:" and "mailto:" are the same address). */
const mailto = (value: unknown) => String(value).replace(/^mailto:/i, "mailto:");

function parseIcs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent("vevent")!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue("method")),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    status: String(vevent.getFirstPropertyValue("status")),
    organizer: mailto(vevent.getFirstPropertyValue("organizer")),
    attendees: vevent.getAllProperties("attendee").map((property) => ({ email: mailto(property.getFirstValue()), rsvp: String(property.getParameter("rsvp")) })),
  };
}

/** The calendar file of a mail, downloaded from the outbox the way a developer would. */
async function icsOf(emailId: string) {
  const page = await (await portal.fetch(`/dev/mail/${emailId}`)).text();
  expect(page).toContain(`/dev/mail/${emailId}/bilagor/0`);
  const response = await portal.fetch(`/dev/mail/${emailId}/bilagor/0`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
  return parseIcs(await response.text());
}

/** The answer links in a mail, as shown in the outbox. */
async function answerLinksOf(emailId: string) {
  const page = await (await portal.fetch(`/dev/mail/${emailId}`)).text();
  const links = [...new Set([...page.matchAll(/\/svar\/([0-9a-z.-]+)/g)].map((match) => match[1]))];
  const byAnswer = (answer: string) => links.find((token) => token.split(".")[2] === answer)!;
  return { ja: byAnswer("ja"), nej: byAnswer("nej"), kanske: byAnswer("kanske") };
}

const stockholmClock = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

function meetingForm(overrides: Record<string, string | string[]> = {}) {
  return {
    title: "Samverkansmöte Järva",
    date: coming("2026-12-15"),
    startTime: "09:00",
    endTime: "10:30",
    place: "Rinkeby medborgarkontor",
    videoUrl: "https://video.example/mote",
    description: "Genomgång av lägesbilden.",
    agendaTitle: ["Lägesbild", "Medborgarlöften", ""],
    agendaPresenter: ["Erik Sandberg", "", ""],
    agendaMinutes: ["30", "20", ""],
    inviteNetwork: "on",
    extraEmails: EXTERNAL,
    ...overrides,
  };
}

async function createMeeting(overrides: Record<string, string | string[]> = {}) {
  const response = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm(overrides), { cookie: cookies.amina });
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 500))).toBe(302);
  const location = response.headers.get("location")!;
  expect(location).toMatch(/^\/moten\/[0-9a-f-]{36}$/);
  return location.slice("/moten/".length);
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  // Farsta stadsdelsnämnd is neither the owner of the demo network nor shared with it.
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: "fia.farsta@demo.stockholm.se", name: "Fia Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: fia.id, organisationId: farsta.id, role: "admin" });
  cookies.fia = await portal.signInAs(fia.email);
});

afterAll(async () => {
  closeAll();
  await portal?.close();
});

const { connectedAs, subscribe, closeAll } = liveSockets(() => portal.url);
afterEach(() => closeAll());

describe("planning a meeting", () => {
  let meetingId: string;

  it("a coordinator plans a meeting: the network and the extra addresses are invited, with an audit event", async () => {
    meetingId = await createMeeting();
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    const [network] = await db().select().from(networks).where(eq(networks.id, networkId));
    expect(meeting).toMatchObject({ networkId, status: "planerat", sequence: 0, ownerOrganisationId: network.ownerOrganisationId });
    expect([...meeting.sharedWithOrganisationIds].sort()).toEqual([...network.sharedWithOrganisationIds].sort());
    // 09:00 in December is 08:00 UTC.
    expect(meeting.startsAt.toISOString()).toBe(coming("2026-12-15T08:00:00.000Z"));
    expect(meeting.endsAt.toISOString()).toBe(coming("2026-12-15T09:30:00.000Z"));
    const invitees = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    expect(invitees.map((row) => row.email).sort()).toEqual(["amina.hassan@demo.stockholm.se", "erik.sandberg@demo.polisen.se", EXTERNAL, "johan.ek@demo.stockholm.se"].sort());
    expect(invitees.find((row) => row.email === EXTERNAL)?.userId).toBeNull();
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.create"), eq(auditEvents.entityId, meetingId)));
    expect(event.summary).toContain("Samverkansmöte Järva");

    const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
    expect(page).toContain("Samverkansmöte Järva");
    expect(page).toContain(coming("15 dec. 2026 09:00–10:30"));
    expect(page).toContain("Lägesbild");
    expect(page).toContain("Ställ in mötet");
  });

  it("every invitee gets an invitation with a calendar file: METHOD:REQUEST, SEQUENCE:0, RSVP and the meeting's times", async () => {
    const mails = await meetingMails(meetingId);
    expect(mails).toHaveLength(4);
    expect(mails.every((mail) => mail.status === "sent")).toBe(true);
    for (const mail of mails) {
      const ics = await icsOf(mail.id);
      expect(ics.method).toBe("REQUEST");
      expect(ics.uid).toBe(`${meetingId}@samverkansportalen`);
      expect(ics.sequence).toBe(0);
      expect(ics.start.toISOString()).toBe(coming("2026-12-15T08:00:00.000Z"));
      expect(ics.end.toISOString()).toBe(coming("2026-12-15T09:30:00.000Z"));
      expect(ics.organizer).toBe(`mailto:${AMINA}`);
      expect(ics.attendees).toEqual([{ email: `mailto:${mail.toAddress}`, rsvp: "TRUE" }]);
    }
  });

  it("the network page lists the meeting, and only those who may plan meetings see Nytt möte", async () => {
    const asAmina = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.amina })).text();
    expect(asAmina).toContain(`/moten/${meetingId}`);
    expect(asAmina).toContain(`/natverk/${networkId}/moten/nytt`);
    const asErik = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.erik })).text();
    expect(asErik).toContain(`/moten/${meetingId}`);
    expect(asErik).not.toContain(`/natverk/${networkId}/moten/nytt`);
    expect((await portal.fetch(`/natverk/${networkId}/moten/nytt`, { cookie: cookies.erik })).status).toBe(403);
  });

  it("the start page shows the invitee's next meetings", async () => {
    const text = await (await portal.fetch("/", { cookie: cookies.erik })).text();
    expect(text).toContain(`/moten/${meetingId}`);
    expect(text).toContain("Du har inte svarat");
    const other = await (await portal.fetch("/", { cookie: cookies.fia })).text();
    expect(other).not.toContain(`/moten/${meetingId}`);
    expect(other).toContain("Du har inga kommande möten.");
  });

  it("a change raises SEQUENCE and mails an update with the same UID to every invitee", async () => {
    const before = await meetingMails(meetingId);
    const response = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ startTime: "13:00", endTime: "15:00", extraEmails: "" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(meeting.sequence).toBe(1);
    expect(meeting.startsAt.toISOString()).toBe(coming("2026-12-15T12:00:00.000Z"));
    const updates = (await meetingMails(meetingId)).filter((mail) => !before.some((old) => old.id === mail.id));
    expect(updates).toHaveLength(4);
    for (const mail of updates) {
      expect(mail.subject).toMatch(/^Ändrat möte/);
      const ics = await icsOf(mail.id);
      expect(ics).toMatchObject({ method: "REQUEST", uid: `${meetingId}@samverkansportalen`, sequence: 1 });
      expect(ics.start.toISOString()).toBe(coming("2026-12-15T12:00:00.000Z"));
      expect(ics.end.toISOString()).toBe(coming("2026-12-15T14:00:00.000Z"));
    }
    // The earlier invitations still carry the version they were sent as.
    expect((await icsOf(before[0].id)).sequence).toBe(0);
    expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.edit"), eq(auditEvents.entityId, meetingId)))).toHaveLength(1);
  });

  it("saving the form unchanged sends nothing and keeps the SEQUENCE", async () => {
    await mailSettled(db());
    const before = await digest();
    const response = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ startTime: "13:00", endTime: "15:00", extraEmails: "" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    await mailSettled(db());
    expect(await digest()).toEqual(before);
  });

  describe("answers", () => {
    let links: { ja: string; nej: string; kanske: string };

    beforeAll(async () => {
      const mails = await meetingMails(meetingId);
      const mail = mails.filter((row) => row.toAddress === EXTERNAL).at(-1)!;
      links = await answerLinksOf(mail.id);
      for (const token of Object.values(links)) expect(token).toBeTruthy();
    });

    it("opening an answer link without signing in shows a confirmation page and changes nothing", async () => {
      const before = await digest();
      const response = await portal.fetch(`/svar/${links.kanske}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain("Samverkansmöte Järva");
      expect(text).toContain("Svara Kanske");
      expect(await digest()).toEqual(before);
    });

    it("posting the link's form records the answer and its comment; a second click gives the same single answer", async () => {
      const first = await portal.post(`/svar/${links.ja}`, { comment: FORMULA });
      expect(first.status).toBe(200);
      expect(await first.text()).toContain("Ditt svar Ja är sparat");
      const [invitee] = await db().select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.email, EXTERNAL)));
      expect(invitee).toMatchObject({ response: "ja", comment: FORMULA });
      expect(invitee.respondedAt).toBeInstanceOf(Date);
      const afterFirst = await digest();
      const second = await portal.post(`/svar/${links.ja}`, { comment: FORMULA });
      expect(second.status).toBe(200);
      expect(await digest()).toEqual(afterFirst);
      const answers = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.respond"), eq(auditEvents.entityId, meetingId)));
      expect(answers).toHaveLength(1);
    });

    it("a tampered, expired, other-meeting or malformed link is refused with a Swedish page and changes nothing", async () => {
      const [meetingPart, inviteePart, , expires, mac] = links.ja.split(".");
      const otherMeetingId = await createMeeting({ title: "Ett annat möte", extraEmails: "" });
      await mailSettled(db());
      const [otherInvitee] = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, otherMeetingId));
      const cases: Array<[string, string, number, RegExp]> = [
        ["another answer, same signature", [meetingPart, inviteePart, "nej", expires, mac].join("."), 400, /Svarslänken är ogiltig/],
        ["a later expiry, same signature", [meetingPart, inviteePart, "ja", String(Number(expires) + 86_400), mac].join("."), 400, /Svarslänken är ogiltig/],
        ["a changed signature", [meetingPart, inviteePart, "ja", expires, mac.replace(/^./, (c) => (c === "a" ? "b" : "a"))].join("."), 400, /Svarslänken är ogiltig/],
        ["moved to another meeting", [otherMeetingId, inviteePart, "ja", expires, mac].join("."), 400, /Svarslänken är ogiltig/],
        [
          "signed, but the invitee belongs to another meeting",
          answerToken({ meetingId, inviteeId: otherInvitee.id, answer: "ja", expires: new Date(Date.now() + 86_400_000) }),
          404,
          /Inbjudan finns inte längre/,
        ],
        ["expired", answerToken({ meetingId: meetingPart, inviteeId: inviteePart, answer: "nej", expires: new Date(Date.now() - 1000) }), 410, /Svarslänken har gått ut/],
        ["not a token", "hej", 400, /Svarslänken är ogiltig/],
        ["far too long", "a".repeat(400), 400, /Svarslänken är ogiltig/],
      ];
      const before = await digest();
      for (const [name, token, status, message] of cases) {
        const get = await portal.fetch(`/svar/${token}`);
        expect(get.status, `GET ${name}`).toBe(status);
        expect(await get.text(), name).toMatch(message);
        const post = await portal.post(`/svar/${token}`, { comment: "ändrat" });
        expect(post.status, `POST ${name}`).toBe(status);
        expect(await post.text(), name).toMatch(message);
      }
      expect(await digest()).toEqual(before);
    });

    it("a comment that is too long is refused in Swedish and changes nothing", async () => {
      const before = await digest();
      const response = await portal.post(`/svar/${links.nej}`, { comment: "x".repeat(501) });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Kommentaren får vara högst 500 tecken.");
      expect(await digest()).toEqual(before);
    });

    it("an answer reaches the meeting's live room at once", async () => {
      const socket = await connectedAs(cookies.amina);
      expect(await subscribe(socket, `meeting:${meetingId}`)).toEqual({ ok: true });
      const received = new Promise<unknown>((resolve) => socket.once("meeting:attendees", resolve));
      const response = await portal.post(`/moten/${meetingId}`, { intent: "respond", response: "kanske", comment: "Kommer om jag hinner" }, { cookie: cookies.erik });
      expect(response.status).toBe(200);
      // Told at the answer form, as a browser without JavaScript shows it.
      expect(await response.text()).toContain('role="status">Ditt svar är sparat: Kanske.</div>');
      expect(await received).toEqual({ meetingId });

      const byLink = new Promise<unknown>((resolve) => socket.once("meeting:attendees", resolve));
      expect((await portal.post(`/svar/${links.nej}`, { comment: "" })).status).toBe(200);
      expect(await byLink).toEqual({ meetingId });

      const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
      expect(page).toContain("Kommer om jag hinner");
      // Each count carries its column's name (data-label), for the stacked table on a phone.
      expect(page).toMatch(/Lokalpolisområde Järva<\/th><td data-label="Ja">0<\/td><td data-label="Nej">0<\/td><td data-label="Kanske">1<\/td><td data-label="Inte svarat">0<\/td>/);
      expect(page).toMatch(/Extern kontakt<\/th><td data-label="Ja">0<\/td><td data-label="Nej">1<\/td><td data-label="Kanske">0<\/td><td data-label="Inte svarat">0<\/td>/);
    });

    it("a refused answer is told at its field without JavaScript, keeps what was written, and changes nothing", async () => {
      const before = await digest();
      const long = "x".repeat(501);
      const response = await portal.post(`/moten/${meetingId}`, { intent: "respond", response: "ja", comment: long }, { cookie: cookies.erik });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(formField(html, "svar-kommentar")).toMatchObject({ invalid: "true", pointsToError: true, error: "Kommentaren får vara högst 500 tecken." });
      expect(html).toContain(`>${long}</textarea>`);
      const radios = html.match(/<input type="radio" name="response"[^>]*>/g) ?? [];
      expect(radios.filter((radio) => radio.includes('checked=""')), "the answer that was sent stays chosen").toEqual([expect.stringContaining('value="ja"')]);
      expect(await digest()).toEqual(before);
    });

    it("the invitee's own data export lists the invitation and the answer", async () => {
      const data = await (await portal.fetch("/profil/export", { cookie: cookies.erik })).json();
      expect(data.meetingInvitations).toContainEqual(expect.objectContaining({ meeting: "Samverkansmöte Järva", response: "kanske", comment: "Kommer om jag hinner" }));
    });

    it("only the invitee answers for themself: a signed-in person who is not invited is refused", async () => {
      const before = await digest();
      const [johan] = await db().select().from(users).where(eq(users.email, "johan.ek@demo.stockholm.se"));
      await db().delete(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.userId, johan.id)));
      const withoutJohan = await digest();
      const response = await portal.post(`/moten/${meetingId}`, { intent: "respond", response: "ja" }, { cookie: await portal.signInAs(johan.email) });
      expect(response.status).toBe(403);
      expect(await digest()).toEqual(withoutJohan);
      expect(withoutJohan).not.toEqual(before);
    });
  });

  describe("who sees the meeting and its attendee list", () => {
    it("a member of another organisation gets 404 on the meeting page, the CSV and the edit page, and cannot join its room", async () => {
      for (const path of [`/moten/${meetingId}`, `/moten/${meetingId}/deltagare.csv`, `/moten/${meetingId}/redigera`]) {
        const response = await portal.fetch(path, { cookie: cookies.fia });
        expect(response.status, path).toBe(404);
        const text = await response.text();
        expect(text, path).toContain("Mötet finns inte.");
        expect(text, path).not.toContain("Samverkansmöte Järva");
      }
      const socket = await connectedAs(cookies.fia);
      expect(await subscribe(socket, `meeting:${meetingId}`)).toEqual({ ok: false, error: "forbidden" });
    });

    it("an invitee sees the meeting but not the CSV; without signing in the CSV asks for sign-in", async () => {
      expect((await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.erik })).status).toBe(200);
      const csv = await portal.fetch(`/moten/${meetingId}/deltagare.csv`, { cookie: cookies.erik });
      expect(csv.status).toBe(403);
      expect(await csv.text()).not.toContain(EXTERNAL);
      const signedOut = await portal.fetch(`/moten/${meetingId}/deltagare.csv`);
      expect(signedOut.status).toBe(302);
      expect(signedOut.headers.get("location")).toMatch(/^\/logga-in\?till=/);
    });

    it("the coordinator downloads the attendee list, with formulas neutralised", async () => {
      const response = await portal.fetch(`/moten/${meetingId}/deltagare.csv`, { cookie: cookies.amina });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="deltagare-${coming("2026-12-15")}-`));
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      const lines = text.trim().split("\r\n");
      expect(lines[0]).toBe("Namn;E-post;Organisation;Svar;Kommentar;Svarade");
      expect(lines).toHaveLength(4);
      expect(text).toContain("Erik Sandberg;erik.sandberg@demo.polisen.se;Lokalpolisområde Järva;Kanske;Kommer om jag hinner;");
      const external = lines.find((line) => line.includes(EXTERNAL))!;
      expect(external).toContain(";Nej;");
      // The earlier formula comment was replaced by the "nej" answer's empty comment; check the rule itself too.
      expect(text).not.toMatch(/(^|;)=/m);
    });

    it("a formula in any cell is neutralised in the CSV", async () => {
      await db().update(meetingInvitees).set({ comment: FORMULA, name: "+Mallory" }).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.email, EXTERNAL)));
      const text = await (await portal.fetch(`/moten/${meetingId}/deltagare.csv`, { cookie: cookies.amina })).text();
      expect(text).toContain(`"'=HYPERLINK(""http://elak.example"",""klicka"")"`);
      expect(text).toContain("'+Mallory;");
      expect(text).not.toMatch(/(^|;)[=+\-@]/m);
    });
  });

  describe("cancelling", () => {
    it("someone who may not cancel is refused and nothing changes", async () => {
      await mailSettled(db());
      const before = await digest();
      const response = await portal.post(`/moten/${meetingId}`, { intent: "cancel" }, { cookie: cookies.erik });
      expect(response.status).toBe(403);
      expect(await digest()).toEqual(before);
    });

    it("the coordinator cancels: status installt, SEQUENCE + 1 and METHOD:CANCEL with the same UID to every invitee", async () => {
      const before = await meetingMails(meetingId);
      const response = await portal.post(`/moten/${meetingId}`, { intent: "cancel" }, { cookie: cookies.amina });
      expect(response.status).toBe(200);
      const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
      expect(meeting).toMatchObject({ status: "installt", sequence: 2 });
      const cancellations = (await meetingMails(meetingId)).filter((mail) => !before.some((old) => old.id === mail.id));
      expect(cancellations).toHaveLength(3);
      for (const mail of cancellations) {
        expect(mail.subject).toMatch(/^Inställt möte/);
        const ics = await icsOf(mail.id);
        expect(ics).toMatchObject({ method: "CANCEL", uid: `${meetingId}@samverkansportalen`, sequence: 2, status: "CANCELLED" });
        expect(ics.start.toISOString()).toBe(coming("2026-12-15T12:00:00.000Z"));
        const page = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
        expect(page).not.toContain("/svar/");
      }
      expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.cancel"), eq(auditEvents.entityId, meetingId)))).toHaveLength(1);
    });

    it("after cancelling, answers, a second cancel and edits are refused and change nothing", async () => {
      await mailSettled(db());
      const [mail] = (await meetingMails(meetingId)).filter((row) => row.toAddress === EXTERNAL && row.subject.startsWith("Ändrat"));
      const token = answerToken({ meetingId, inviteeId: (mail.props as { inviteeId: string }).inviteeId, answer: "ja", expires: new Date(Date.now() + 86_400_000) });
      const before = await digest();
      const answer = await portal.post(`/svar/${token}`, { comment: "" });
      expect(answer.status).toBe(409);
      expect(await answer.text()).toContain("Mötet är inställt och tar inte emot svar.");
      const again = await portal.post(`/moten/${meetingId}`, { intent: "cancel" }, { cookie: cookies.amina });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain("Mötet är redan inställt.");
      const edit = await portal.post(`/moten/${meetingId}/redigera`, meetingForm(), { cookie: cookies.amina });
      expect(edit.status).toBe(409);
      await mailSettled(db());
      expect(await digest()).toEqual(before);
      const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
      expect(page).toContain("Mötet är inställt.");
      expect(page).not.toContain("Ställ in mötet");
    });
  });
});

describe("times in Europe/Stockholm", () => {
  it.each([
    ["2026-10-27", "2026-10-27T08:00:00.000Z", "after summer time has ended"],
    ["2026-03-24", "2026-03-24T08:00:00.000Z", "before summer time begins"],
    ["2026-06-16", "2026-06-16T07:00:00.000Z", "in summer time"],
  ])("a meeting on %s at 09:00 is stored as %s and its calendar file says 09:00 in Stockholm (%s)", async (date, utc) => {
    const meetingId = await createMeeting({ title: `Tidszonsmöte ${date}`, date, startTime: "09:00", endTime: "10:00", extraEmails: "" });
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(meeting.startsAt.toISOString()).toBe(utc);
    const [mail] = await meetingMails(meetingId);
    const ics = await icsOf(mail.id);
    expect(stockholmClock.format(ics.start)).toBe(`${date} 09:00`);
    expect(stockholmClock.format(ics.end)).toBe(`${date} 10:00`);
    const edit = await (await portal.fetch(`/moten/${meetingId}/redigera`, { cookie: cookies.amina })).text();
    expect(edit).toContain(`value="${date}"`);
    expect(edit).toContain('value="09:00"');
  });
});

describe("two coordinators changing the same meeting", () => {
  it("the one who saves second is refused with what they typed kept, and the first one's change stays", async () => {
    const meetingId = await createMeeting({ title: "Möte som två ändrar", extraEmails: "" });
    const versionOf = async () => /name="version" value="([^"]+)"/.exec(await (await portal.fetch(`/moten/${meetingId}/redigera`, { cookie: cookies.amina })).text())?.[1];
    // Both open the edit page before either saves.
    const opened = await versionOf();
    expect(opened).toBeTruthy();
    const first = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som två ändrar", startTime: "10:00", endTime: "11:30", extraEmails: "", version: opened! }), { cookie: cookies.amina });
    expect(first.status).toBe(302);
    await mailSettled(db());
    const before = await digest();

    const second = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som två ändrar", place: "Husby träff", extraEmails: "", version: opened! }), { cookie: cookies.amina });
    expect(second.status).toBe(409);
    const page = await second.text();
    expect(page).toContain("Mötet har ändrats av någon annan sedan du öppnade sidan.");
    expect(page).toContain('value="Husby träff"');
    // What is stored now, where it differs from what was typed: the first one's time and the place
    // as it is stored; not the title, typed the same.
    const storedNow = /<section[^>]*aria-labelledby="sparat-nu"[^>]*>([\s\S]*?)<\/section>/.exec(page)?.[1] ?? "";
    expect(storedNow).toContain("Det här gäller nu");
    expect(storedNow).toMatch(/<dt>Tid<\/dt><dd[^>]*>\d{4}-\d{2}-\d{2} 10:00–11:30<\/dd>/);
    expect(storedNow).toMatch(/<dt>Plats<\/dt><dd[^>]*>Rinkeby medborgarkontor<\/dd>/);
    expect(storedNow).not.toContain("Rubrik");
    await mailSettled(db());
    expect(await digest()).toEqual(before);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(stockholmClock.format(meeting.startsAt)).toBe(`${coming("2026-12-15")} 10:00`);
    expect(meeting.place).toBe("Rinkeby medborgarkontor");

    // The refused form carries the version stored now: saving it again replaces that knowingly.
    const shown = /name="version" value="([^"]+)"/.exec(page)?.[1];
    expect(shown).toBe(await versionOf());
    const again = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som två ändrar", place: "Husby träff", extraEmails: "", version: shown! }), { cookie: cookies.amina });
    expect(again.status).toBe(302);
    const [replaced] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(replaced.place).toBe("Husby träff");
    expect(stockholmClock.format(replaced.startsAt)).toBe(`${coming("2026-12-15")} 09:00`);

    // Opened anew, the form carries the new version and the change goes through.
    const third = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som två ändrar", startTime: "10:00", endTime: "11:30", place: "Husby träff", extraEmails: "", version: (await versionOf())! }), { cookie: cookies.amina });
    expect(third.status).toBe(302);
    const [changed] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(stockholmClock.format(changed.startsAt)).toBe(`${coming("2026-12-15")} 10:00`);
  });
});

describe("bad input", () => {
  const cases: Array<[string, Record<string, string | string[]>, string]> = [
    ["the end before the start", { startTime: "10:00", endTime: "09:00" }, "Mötet måste sluta efter att det börjar."],
    ["a date that does not exist", { date: "2026-02-30" }, "Datumet finns inte i kalendern."],
    ["a time skipped when summer time begins", { date: "2026-03-29", startTime: "02:30", endTime: "04:00" }, "Datumet eller starttiden finns inte i Stockholms tid."],
    ["a badly written time", { startTime: "9" }, "Ange tiden som TT:MM, t.ex. 09:00."],
    ["no title", { title: " " }, "Ge mötet en rubrik (minst 3 tecken)."],
    ["neither place nor video link", { place: "", videoUrl: "" }, "Ange en plats, en videolänk eller båda."],
    ["a video link that is not a web address", { videoUrl: "javascript:alert(1)" }, "Videolänken ska vara en webbadress som börjar med https://."],
    ["an invalid extra address", { extraEmails: "inte-en-adress" }, "är inte en giltig e-postadress."],
    ["an agenda point without a title", { agendaTitle: ["", ""], agendaPresenter: ["Någon", ""], agendaMinutes: ["", ""] }, "Punkt 1 på dagordningen: ange en rubrik"],
    ["agenda minutes that are not a number", { agendaMinutes: ["trettio", "", ""] }, "ange minuter som ett heltal mellan 1 och 600."],
    ["nobody to invite", { inviteNetwork: [], extraEmails: "" }, "Bjud in minst en person."],
  ];

  it.each(cases)("%s is refused with a Swedish message, keeps what was typed and changes nothing", async (_name, overrides, message) => {
    await mailSettled(db());
    const before = await digest();
    const fields = Object.fromEntries(Object.entries(meetingForm(overrides)).filter(([, value]) => !(Array.isArray(value) && value.length === 0)));
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, fields, { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain(message.replace(/"/g, "&quot;"));
    if (overrides.place === undefined) expect(text).toContain('value="Rinkeby medborgarkontor"');
    expect(await digest()).toEqual(before);
  });

  it("a date missing from the calendar is refused beside the date field, not the start time, and nothing is stored", async () => {
    await mailSettled(db());
    const before = await digest();
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm({ title: "Möte en dag som inte finns", date: "2026-02-31" }), { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Kontrollera de markerade fälten.");
    expect(formField(html, { name: "date" })).toMatchObject({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern." });
    expect(formField(html, { name: "startTime" })).toMatchObject(NO_FIELD_ERROR);
    expect(formField(html, { name: "endTime" })).toMatchObject(NO_FIELD_ERROR);
    expect(html).toContain('value="2026-02-31"');
    expect(await digest()).toEqual(before);
  });

  it("changing a meeting to a date missing from the calendar is refused beside the date field and the meeting stays as it was", async () => {
    const meetingId = await createMeeting({ title: "Möte som flyttas till en dag som inte finns", extraEmails: "" });
    await mailSettled(db());
    const before = await digest();
    const response = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som flyttas till en dag som inte finns", date: "2026-02-31", extraEmails: "" }), { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(formField(html, { name: "date" })).toMatchObject({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern." });
    expect(formField(html, { name: "startTime" })).toMatchObject(NO_FIELD_ERROR);
    await mailSettled(db());
    expect(await digest()).toEqual(before);
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(stockholmClock.format(meeting.startsAt)).toBe(`${coming("2026-12-15")} 09:00`);
  });

  it("a person who may not plan meetings in the network is refused and nothing changes", async () => {
    const before = await digest();
    const erik = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm(), { cookie: cookies.erik });
    expect(erik.status).toBe(403);
    const fia = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm(), { cookie: cookies.fia });
    expect(fia.status).toBe(404);
    expect(await digest()).toEqual(before);
  });
});

describe("telling what was saved, once, on the page the form went to", () => {
  /** Follows a redirect the way a browser without JavaScript does: a GET with the flash cookie it set. */
  async function follow(response: Response) {
    expect(response.status, await response.clone().text().then((text) => text.slice(0, 500))).toBe(302);
    const location = response.headers.get("location")!;
    const page = await portal.fetch(location, { cookie: `${cookies.amina}; ${flashCookieOf(response)}` });
    expect(page.status).toBe(200);
    return { location, page, html: await page.text() };
  }

  it("after planning, the meeting page says how many were invited, server-drawn in its status region, and only once", async () => {
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm({ title: "Möte som bekräftas" }), { cookie: cookies.amina });
    // Signed, HttpOnly and short-lived; nothing a script on the page can read or forge.
    const setCookie = flashSetCookie(response)!;
    expect(setCookie).toMatch(/^sv_flash=[^;]+\./);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)?.[1])).toBeLessThanOrEqual(60);
    expect(setCookie).not.toContain("Mötet");

    const { location, page, html } = await follow(response);
    expect(statusMessage(html)).toBe("Mötet är skapat. Inbjudan har skickats till 4 personer.");
    // Reading it clears it: a reload or the back button does not tell it again.
    expect(flashSetCookie(page)).toMatch(/^sv_flash=; .*Max-Age=0/);
    const again = await (await portal.fetch(location, { cookie: cookies.amina })).text();
    expect(statusMessage(again)).toBeNull();
    expect(again).not.toContain("Mötet är skapat.");
  });

  it("with JavaScript, the same message comes with the page's data after the redirect", async () => {
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm({ title: "Möte via skript", extraEmails: "" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    // The browser's data request after a redirect (single fetch) runs the root loader too.
    const data = await portal.fetch(`${response.headers.get("location")}.data`, { cookie: `${cookies.amina}; ${flashCookieOf(response)}` });
    expect(data.status).toBe(200);
    expect(await data.text()).toContain("Mötet är skapat. Inbjudan har skickats till 3 personer.");
    expect(flashSetCookie(data)).toMatch(/^sv_flash=; .*Max-Age=0/);
  });

  it("a series says how many meetings it has and how many were invited", async () => {
    const response = await portal.post(
      `/natverk/${networkId}/moten/nytt`,
      meetingForm({ title: "Serie som bekräftas", repeat: "weekly", repeatEnd: "count", repeatCount: "3", extraEmails: "" }),
      { cookie: cookies.amina },
    );
    expect(statusMessage((await follow(response)).html)).toBe("Mötesserien är skapad med 3 möten. Inbjudan till serien har skickats till 3 personer.");
  });

  it("a change tells who gets the update and who is newly invited; saving unchanged says that nothing was sent", async () => {
    const meetingId = await createMeeting({ title: "Möte som ändras och bekräftas", extraEmails: "" });
    const changed = await portal.post(
      `/moten/${meetingId}/redigera`,
      meetingForm({ title: "Möte som ändras och bekräftas", startTime: "11:00", endTime: "12:00", extraEmails: "ny.person@forening.example" }),
      { cookie: cookies.amina },
    );
    expect(statusMessage((await follow(changed)).html)).toBe("Mötet är ändrat. Ändringen har skickats till 3 personer. Inbjudan har skickats till 1 ny person.");
    const unchanged = await portal.post(`/moten/${meetingId}/redigera`, meetingForm({ title: "Möte som ändras och bekräftas", startTime: "11:00", endTime: "12:00", extraEmails: "" }), {
      cookie: cookies.amina,
    });
    expect(statusMessage((await follow(unchanged)).html)).toBe("Inget var ändrat, så inga mejl har skickats.");
  });

  it("a refused form sets no flash, and a forged flash cookie is ignored", async () => {
    const refused = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm({ startTime: "10:00", endTime: "09:00" }), { cookie: cookies.amina });
    expect(refused.status).toBe(400);
    expect(flashSetCookie(refused)).toBeUndefined();
    const forged = `sv_flash=${Buffer.from(JSON.stringify({ message: "Du har vunnit!", id: "x" })).toString("base64")}`;
    const html = await (await portal.fetch(`/natverk/${networkId}`, { cookie: `${cookies.amina}; ${forged}` })).text();
    expect(statusMessage(html)).toBeNull();
    expect(html).not.toContain("Du har vunnit!");
  });

  it("without JavaScript a meeting is cancelled from the question unfolded in the page, and told once on the page it returns to", async () => {
    const meetingId = await createMeeting({ title: "Möte som ställs in utan skript", extraEmails: "" });
    await mailSettled(db());
    const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
    const cancel = confirmation(page, "Ställ in mötet");
    expect(cancel).toMatchObject({ action: `/moten/${meetingId}?bekraftat=1`, fields: { intent: "cancel" }, confirmLabel: "Ja, ställ in mötet" });
    expect(cancel.question).toContain("Ställa in mötet?");
    expect(cancel.question).toContain("Det går inte att ångra.");

    const response = await portal.post(cancel.action, cancel.fields, { cookie: cookies.amina });
    const { location, html } = await follow(response);
    expect(location).toBe(`/moten/${meetingId}`);
    expect(statusMessage(html)).toBe("Mötet är inställt. De inbjudna får ett mejl om det.");
    expect(html).not.toContain("Ställ in mötet");
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    expect(meeting.status).toBe("installt");
    await mailSettled(db());
    expect((await meetingMails(meetingId)).filter((mail) => mail.subject.startsWith("Inställt möte"))).toHaveLength(3);

    // The same post again (the back button, say) is refused, told the same way, and sends nothing.
    const before = await digest();
    const again = await portal.post(cancel.action, cancel.fields, { cookie: cookies.amina });
    expect(statusMessage((await follow(again)).html)).toBe("Mötet är redan inställt.");
    await mailSettled(db());
    expect(await digest()).toEqual(before);
  });

  it("without JavaScript a refused confirmation by someone without the right still gets the error page", async () => {
    const meetingId = await createMeeting({ title: "Möte som andra inte får ställa in", extraEmails: "" });
    await mailSettled(db());
    const before = await digest();
    const forbidden = await portal.post(`/moten/${meetingId}?bekraftat=1`, { intent: "cancel" }, { cookie: cookies.erik });
    expect(forbidden.status).toBe(403);
    expect(flashSetCookie(forbidden)).toBeUndefined();
    expect(await digest()).toEqual(before);
  });
});

describe("invitees without a known name", () => {
  const ANNA = "anna.extern@forening.example";
  /** A page's text as read: React's markers between adjacent texts left out. */
  const textOf = (html: string) => html.replaceAll("<!-- -->", "");

  it("are listed by their whole address, and greeted with a plain Hej! on the answer page", async () => {
    const meetingId = await createMeeting({ title: "Möte med en extern gäst", inviteNetwork: [], extraEmails: `${ANNA}, ${ERIK}` });
    const [anna] = await db().select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.email, ANNA)));
    expect(anna.name).toBe(ANNA);

    const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
    expect(page).toMatch(new RegExp(`>${ANNA}<`));
    expect(page).not.toMatch(/>anna\.extern</);
    const csv = await (await portal.fetch(`/moten/${meetingId}/deltagare.csv`, { cookie: cookies.amina })).text();
    expect(csv).toContain(`${ANNA};${ANNA};Extern kontakt;`);

    const expires = new Date(Date.now() + 86_400_000);
    const annaAnswers = textOf(await (await portal.fetch(`/svar/${answerToken({ meetingId, inviteeId: anna.id, answer: "ja", expires })}`)).text());
    expect(annaAnswers).toContain("Hej! Du svarar");
    expect(annaAnswers).not.toContain("anna.extern");
    const [erik] = await db().select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.email, ERIK)));
    expect(textOf(await (await portal.fetch(`/svar/${answerToken({ meetingId, inviteeId: erik.id, answer: "ja", expires })}`)).text())).toContain("Hej Erik Sandberg! Du svarar");
  });

  it("invited before, when the address's local part was stored as the name, migration 0016 gives them the whole address", async () => {
    const MIGRATION = "0016_invitee_names_whole_address";
    // The migrations as they were before this one: the same folder, its journal ending just before it.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
    fs.cpSync(path.resolve("db/migrations"), folder, { recursive: true });
    const journalPath = path.join(folder, "meta/_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: Array<{ idx: number; tag: string }> };
    const target = journal.entries.find((entry) => entry.tag === MIGRATION);
    expect(target, `${MIGRATION} is in the journal`).toBeDefined();
    journal.entries = journal.entries.filter((entry) => entry.idx < target!.idx);
    fs.writeFileSync(journalPath, JSON.stringify(journal));

    const fresh = await freshDatabase();
    try {
      const { database } = fresh;
      const before = database.db;
      if (database.kind === "pglite") await migratePglite(before as never, { migrationsFolder: folder });
      else await migratePg(before as never, { migrationsFolder: folder });

      const [organisation] = await before.insert(organisations).values({ name: "Förr AB", type: "naringsliv" }).returning();
      const owner = { ownerOrganisationId: organisation.id };
      // An account holder whose name happens to be the local part of their address keeps it.
      const [kalle] = await before.insert(users).values({ email: "kalle@forr.example", name: "kalle", status: "active" }).returning();
      const [network] = await before.insert(networks).values({ name: "Nätverket förr", ...owner }).returning();
      const times = { startsAt: new Date("2026-03-02T08:00:00Z"), endsAt: new Date("2026-03-02T09:00:00Z") };
      const [meeting] = await before.insert(meetings).values({ networkId: network.id, ...owner, title: "Mötet förr", ...times }).returning();
      const [series] = await before
        .insert(meetingSeries)
        .values({ networkId: network.id, ...owner, title: "Serien förr", frequency: "weekly", rule: "FREQ=WEEKLY", ...times })
        .returning();
      const [poll] = await before.insert(polls).values({ networkId: network.id, ...owner, title: "Tidsförslaget förr", closesAt: times.startsAt }).returning();

      const LOCAL_PART = { userId: null, email: "anna.extern@forening.example", name: "anna.extern" };
      // Recognised as the portal did: trimmed and case-insensitive.
      const LOCAL_PART_AS_TYPED = { userId: null, email: "Bo.Gast@Forening.Example", name: " bo.gast\t" };
      const ACCOUNT = { userId: kalle.id, email: kalle.email, name: "kalle" };
      const CONTACT = { userId: null, email: "cilla@forening.example", name: "Cilla Kontakt" };
      const ADDRESS = { userId: null, email: "dan@forening.example", name: "dan@forening.example" };
      // No "@", so no local part: left alone.
      const NO_AT = { userId: null, email: "utan-snabel-a", name: "utan-snabel-a" };
      const people = [LOCAL_PART, LOCAL_PART_AS_TYPED, ACCOUNT, CONTACT, ADDRESS, NO_AT];
      await before.insert(meetingInvitees).values(people.map((person) => ({ ...person, meetingId: meeting.id })));
      await before.insert(meetingSeriesInvitees).values(people.map((person) => ({ ...person, seriesId: series.id })));
      await before.insert(pollParticipants).values(people.map((person) => ({ ...person, pollId: poll.id })));
      await before.insert(removedMeetingInvitees).values(people.map((person) => ({ ...person, id: crypto.randomUUID(), meetingId: meeting.id })));

      await migrateDatabase(database);

      const { db: after } = database;
      const columns = (table: typeof meetingInvitees | typeof meetingSeriesInvitees | typeof pollParticipants | typeof removedMeetingInvitees) => ({
        userId: table.userId,
        email: table.email,
        name: table.name,
      });
      const stored = {
        meeting_invitees: await after.select(columns(meetingInvitees)).from(meetingInvitees),
        meeting_series_invitees: await after.select(columns(meetingSeriesInvitees)).from(meetingSeriesInvitees),
        poll_participants: await after.select(columns(pollParticipants)).from(pollParticipants),
        removed_meeting_invitees: await after.select(columns(removedMeetingInvitees)).from(removedMeetingInvitees),
      };
      const expected = [
        { ...LOCAL_PART, name: LOCAL_PART.email },
        { ...LOCAL_PART_AS_TYPED, name: LOCAL_PART_AS_TYPED.email },
        ACCOUNT,
        CONTACT,
        ADDRESS,
        NO_AT,
      ];
      for (const [table, rows] of Object.entries(stored)) {
        expect(rows, table).toHaveLength(expected.length);
        expect(rows, table).toEqual(expect.arrayContaining(expected));
      }
    } finally {
      await fresh.drop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("the portal's icon", () => {
  it("/favicon.ico answers with the icon, cached, and every page links the icon", async () => {
    const icon = await portal.fetch("/favicon.ico");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("cache-control")).toMatch(/^public, max-age=\d{6,}/);
    expect(await icon.text()).toMatch(/^<svg[^>]*>.*#004b87/s);

    const html = await (await portal.fetch("/logga-in")).text();
    const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"\/>/.exec(html)?.[1];
    expect(href).toBeTruthy();
    const linked = await portal.fetch(href!);
    expect(linked.status).toBe(200);
    expect(linked.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
  });
});
