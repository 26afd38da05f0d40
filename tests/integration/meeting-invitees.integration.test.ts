import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, meetingInvitees, meetings, memberships, networks, organisations, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { comingYears } from "../support/calendar";
import { liveSockets } from "../support/live-socket";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-15");

/**
 * After a meeting is planned: the coordinator marks a past meeting held (genomfört) and
 * withdraws single invitations (the person's calendar gets a cancellation, their answer links
 * stop working); the start page lists the invitations a person has not answered yet.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se"; // a member of the demo network
const FIA = "fia.farsta@demo.stockholm.se"; // Farsta: sees a meeting only when invited
const EXTERNAL = "extern.kontakt@forening.example";

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId = "";
const cookies = { amina: "", erik: "", fia: "" };
const meetingIds = { coming: "", held: "", unmarked: "" };

const TABLES = ["meetings", "meeting_invitees", "removed_meeting_invitees", "audit_events", "emails", "network_members"];

async function digest() {
  await mailSettled(db());
  return tableDigest(db(), TABLES);
}

const stockholmDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" });
const daysFromNow = (days: number) => stockholmDay.format(new Date(Date.now() + days * 24 * 60 * 60 * 1000));

async function planMeeting(title: string, date: string, extraEmails: string, inviteNetwork = true) {
  const response = await portal.post(
    `/natverk/${networkId}/moten/nytt`,
    { title, date, startTime: "09:00", endTime: "10:30", place: "Rinkeby medborgarkontor", extraEmails, ...(inviteNetwork ? { inviteNetwork: "on" } : {}) },
    { cookie: cookies.amina },
  );
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("/").pop()!;
}

async function mailsTo(address: string, meetingId: string) {
  await mailSettled(db());
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.toAddress, address), sql`${emails.props}->>'meetingId' = ${meetingId}`))
    .orderBy(asc(emails.createdAt));
}

async function icsOf(emailId: string) {
  const response = await portal.fetch(`/dev/mail/${emailId}/bilagor/0`);
  expect(response.status).toBe(200);
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  const vevent = calendar.getFirstSubcomponent("vevent")!;
  const event = new ICAL.Event(vevent);
  return { method: String(calendar.getFirstPropertyValue("method")), uid: event.uid, sequence: event.sequence, status: String(vevent.getFirstPropertyValue("status")), start: event.startDate.toJSDate() };
}

async function answerLinkOf(emailId: string, answer: string) {
  const page = await (await portal.fetch(`/dev/mail/${emailId}`)).text();
  return [...page.matchAll(/\/svar\/([0-9a-z.-]+)/g)].map((match) => match[1]).find((token) => token.split(".")[2] === answer)!;
}

async function inviteeId(meetingId: string, email: string) {
  const [row] = await db().select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.email, email)));
  return row?.id;
}

/** The text of one card on the start page, from its heading to the end of its section. */
async function startPageCard(cookie: string, headingId: string) {
  const text = await (await portal.fetch("/", { cookie })).text();
  const start = text.indexOf(`id="${headingId}"`);
  expect(start).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf("</section>", start));
}

const { connectedAs, subscribe, closed, closeAll } = liveSockets(() => portal.url);
afterEach(() => closeAll());

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: FIA, name: "Fia Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: fia.id, organisationId: farsta.id, role: "medlem" });
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.fia = await portal.signInAs(FIA);
  meetingIds.coming = await planMeeting("Kommande samverkansmöte", coming("2026-12-15"), `${EXTERNAL} ${FIA}`);
  meetingIds.held = await planMeeting("Möte i förrgår", daysFromNow(-2), "");
  meetingIds.unmarked = await planMeeting("Möte förra veckan", daysFromNow(-7), "");
});

afterAll(async () => {
  closeAll();
  await portal?.close();
});

describe("genomfört", () => {
  it("a meeting that has not begun cannot be marked held", async () => {
    const before = await digest();
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "markHeld" }, { cookie: cookies.amina });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Mötet har inte börjat ännu.");
    expect(await digest()).toEqual(before);
  });

  it("a member who does not run the network may not mark a meeting held", async () => {
    const before = await digest();
    const response = await portal.post(`/moten/${meetingIds.held}`, { intent: "markHeld" }, { cookie: cookies.erik });
    expect(response.status).toBe(403);
    expect(await digest()).toEqual(before);
    expect((await (await portal.fetch(`/moten/${meetingIds.held}`, { cookie: cookies.erik })).text())).not.toContain("Markera som genomfört");
  });

  it("the coordinator marks a past meeting held: status, audit, no mail, and no more answers", async () => {
    const page = await (await portal.fetch(`/moten/${meetingIds.held}`, { cookie: cookies.amina })).text();
    expect(page).toContain("Markera som genomfört");
    expect(page).toContain("Har ägt rum (inte markerat som genomfört)");
    const mailsBefore = (await mailsTo(ERIK, meetingIds.held)).length;
    const response = await portal.post(`/moten/${meetingIds.held}`, { intent: "markHeld" }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Mötet är markerat som genomfört.");
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingIds.held));
    expect(meeting.status).toBe("genomfort");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.markHeld"), eq(auditEvents.entityId, meetingIds.held)));
    expect(event.summary).toBe("Amina Hassan markerade mötet Möte i förrgår som genomfört");
    expect(await mailsTo(ERIK, meetingIds.held)).toHaveLength(mailsBefore);
    const after = await (await portal.fetch(`/moten/${meetingIds.held}`, { cookie: cookies.amina })).text();
    expect(after).not.toContain("Markera som genomfört");
    const answer = await portal.post(`/moten/${meetingIds.held}`, { intent: "respond", response: "ja" }, { cookie: cookies.erik });
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain("Mötet är genomfört och tar inte emot svar.");
    const again = await portal.post(`/moten/${meetingIds.held}`, { intent: "markHeld" }, { cookie: cookies.amina });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Mötet är redan markerat som genomfört.");
    const cancel = await portal.post(`/moten/${meetingIds.held}`, { intent: "cancel" }, { cookie: cookies.amina });
    expect(cancel.status).toBe(409);
    expect(await cancel.text()).toContain("Ett genomfört möte kan inte ställas in.");
  });

  it("the network page shows Planerat, Inställt and Genomfört, and a planned meeting that has ended among the past ones", async () => {
    const text = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.erik })).text();
    const past = text.slice(text.indexOf('id="tidigare-moten"'));
    expect(past).toMatch(/Möte i förrgår<\/a> <span class="badge badge--ok">Genomfört<\/span>/);
    expect(past).toMatch(/Möte förra veckan<\/a> <span class="badge">Planerat<\/span>/);
    expect(past).toContain("har ägt rum, inte markerat som genomfört");
    const coming = text.slice(text.indexOf('id="kommande-moten"'), text.indexOf('id="tidigare-moten"'));
    expect(coming).toMatch(/Kommande samverkansmöte<\/a> <span class="badge">Planerat<\/span>/);
    expect(coming).not.toContain("Möte förra veckan");
  });
});

describe("withdrawing one invitation", () => {
  it("a member who does not run the network may not remove an invitee", async () => {
    const before = await digest();
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "removeInvitee", inviteeId: (await inviteeId(meetingIds.coming, EXTERNAL))! }, { cookie: cookies.erik });
    expect(response.status).toBe(403);
    expect(await digest()).toEqual(before);
  });

  it.each([
    ["an invitee id that is not an id", "abc", 400, "Ogiltig inbjuden."],
    ["an invitee that does not exist", "00000000-0000-4000-8000-000000000000", 404, "Personen är inte inbjuden till mötet."],
  ])("%s → a Swedish message, nothing changed", async (_name, id, status, message) => {
    const before = await digest();
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "removeInvitee", inviteeId: id }, { cookie: cookies.amina });
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message);
    expect(await digest()).toEqual(before);
  });

  it("an invitee of another meeting cannot be removed through this one", async () => {
    const before = await digest();
    const other = (await inviteeId(meetingIds.unmarked, ERIK))!;
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "removeInvitee", inviteeId: other }, { cookie: cookies.amina });
    expect(response.status).toBe(404);
    expect(await digest()).toEqual(before);
  });

  it("the removed person gets a cancellation for their calendar (same UID, higher SEQUENCE); nobody else gets mail", async () => {
    const [invitation] = await mailsTo(EXTERNAL, meetingIds.coming);
    const invitationIcs = await icsOf(invitation.id);
    const jaLink = await answerLinkOf(invitation.id, "ja");
    const othersBefore = await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where props->>'meetingId' = ${meetingIds.coming} and to_address <> ${EXTERNAL}`);

    const page = await (await portal.fetch(`/moten/${meetingIds.coming}`, { cookie: cookies.amina })).text();
    // No name is known for the address: it is named in full.
    expect(page).toContain(`Ta bort ${EXTERNAL}`);
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "removeInvitee", inviteeId: (await inviteeId(meetingIds.coming, EXTERNAL))! }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`${EXTERNAL} är borttagen från mötet och får ett mejl om det.`);
    expect(await inviteeId(meetingIds.coming, EXTERNAL)).toBeUndefined();

    const mails = await mailsTo(EXTERNAL, meetingIds.coming);
    expect(mails.map((mail) => mail.template)).toEqual(["meeting", "meeting-removed"]);
    const removal = mails[1];
    expect(removal.status).toBe("sent");
    const ics = await icsOf(removal.id);
    expect(ics.method).toBe("CANCEL");
    expect(ics.status).toBe("CANCELLED");
    expect(ics.uid).toBe(invitationIcs.uid);
    expect(ics.sequence).toBeGreaterThan(invitationIcs.sequence);
    expect(ics.start.toISOString()).toBe(coming("2026-12-15T08:00:00.000Z"));
    const body = await (await portal.fetch(`/dev/mail/${removal.id}`)).text();
    expect(body).toContain("Du är inte längre inbjuden: Kommande samverkansmöte");
    const othersAfter = await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where props->>'meetingId' = ${meetingIds.coming} and to_address <> ${EXTERNAL}`);
    expect(othersAfter[0].n).toBe(othersBefore[0].n);

    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.removeInvitee"), eq(auditEvents.entityId, meetingIds.coming)));
    expect(event.summary).toBe(`Amina Hassan tog bort ${EXTERNAL} från mötet Kommande samverkansmöte`);

    // The old answer link: a clear Swedish answer, and nothing changes.
    const before = await digest();
    const opened = await portal.fetch(`/svar/${jaLink}`);
    expect(opened.status).toBe(410);
    expect(await opened.text()).toContain("Du är inte längre inbjuden till det här mötet, så svarslänken fungerar inte.");
    const posted = await portal.post(`/svar/${jaLink}`, { comment: "Jag kommer ändå" });
    expect(posted.status).toBe(410);
    expect(await digest()).toEqual(before);
  });

  it("a removed person who saw the meeting only as an invitee loses its page and its live room at once", async () => {
    const socket = await connectedAs(cookies.fia);
    expect(await subscribe(socket, `meeting:${meetingIds.coming}`)).toEqual({ ok: true });
    const gone = closed(socket);
    const response = await portal.post(`/moten/${meetingIds.coming}`, { intent: "removeInvitee", inviteeId: (await inviteeId(meetingIds.coming, FIA))! }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    const again = await connectedAs(cookies.fia);
    expect(await subscribe(again, `meeting:${meetingIds.coming}`)).toEqual({ ok: false, error: "forbidden" });
    expect((await portal.fetch(`/moten/${meetingIds.coming}`, { cookie: cookies.fia })).status).toBe(404);
  });

  it("nobody can be removed from a meeting that is no longer planned", async () => {
    const before = await digest();
    const response = await portal.post(`/moten/${meetingIds.held}`, { intent: "removeInvitee", inviteeId: (await inviteeId(meetingIds.held, ERIK))! }, { cookie: cookies.amina });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Deltagare kan bara tas bort från ett planerat möte.");
    expect(await digest()).toEqual(before);
  });
});

describe("the start page", () => {
  it("lists invitations awaiting an answer with answer buttons; an answer takes the invitation off the list", async () => {
    const card = await startPageCard(cookies.erik, "att-svara-pa");
    expect(card).toContain("Inbjudningar att svara på");
    expect(card).toContain(`/moten/${meetingIds.coming}`);
    expect(card).toContain('name="response" value="ja"');
    // Past meetings are not waiting for anyone.
    expect(card).not.toContain(`/moten/${meetingIds.unmarked}`);
    expect(card).not.toContain(`/moten/${meetingIds.held}`);
    // What the card's Ja button sends.
    const answer = await portal.post(`/moten/${meetingIds.coming}`, { intent: "respond", response: "ja" }, { cookie: cookies.erik });
    expect(answer.status).toBe(200);
    const after = await startPageCard(cookies.erik, "att-svara-pa");
    expect(after).not.toContain(`/moten/${meetingIds.coming}`);
    expect(after).toContain("Du har inga obesvarade inbjudningar.");
    expect(await startPageCard(cookies.erik, "mina-moten")).toContain("Du har svarat Ja");
  });

  it("shows nobody else's invitations", async () => {
    const card = await startPageCard(cookies.fia, "att-svara-pa");
    expect(card).toContain("Du har inga obesvarade inbjudningar.");
  });
});
