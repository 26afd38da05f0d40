import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, meetingInvitees, meetings, memberships, networks, organisations, pollAnswers, pollParticipants, polls, pollSlots, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { pollToken } from "../../app/domain/polls/poll-links.server";
import { sendPollReminders } from "../../app/domain/polls/polls.server";
import { anonymisePerson } from "../../app/domain/people/people.server";
import { SYSTEM_ACTOR } from "../../app/domain/audit/audit.server";
import { comingYears } from "../support/calendar";
import { liveSockets } from "../support/live-socket";
import { tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2027-01-08");

/**
 * Time polls (tidsförslag): proposing times, answers in the portal and by signed link, who sees
 * what, the live tally, picking a time (the meeting and its invitations in one step), the closing
 * date and the one reminder to those who have not answered.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se"; // a member of the demo network
const JOHAN = "johan.ek@demo.stockholm.se"; // a member of the demo network
const EXTERNAL = "extern.deltagare@forening.example"; // no account

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId: string;
const cookies = { amina: "", erik: "", johan: "", fia: "" };

/** Every table a refused request must leave exactly as it was. */
const TABLES = ["polls", "poll_slots", "poll_participants", "poll_answers", "meetings", "meeting_invitees", "audit_events", "emails"];

function digest() {
  return tableDigest(db(), TABLES);
}

async function pollMails(pollId: string, kind?: string) {
  await mailSettled(db());
  const all = await db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "poll"), sql`${emails.props}->>'pollId' = ${pollId}`))
    .orderBy(asc(emails.toAddress));
  return kind ? all.filter((mail) => (mail.props as { kind: string }).kind === kind) : all;
}

/** The personal answer link in a mail, as shown in the outbox. */
async function answerTokenOf(emailId: string) {
  const page = await (await portal.fetch(`/dev/mail/${emailId}`)).text();
  const match = /\/tidsforslag\/svar\/([0-9a-z.-]+)/.exec(page);
  expect(match, "the mail carries an answer link").not.toBeNull();
  return match![1];
}

function pollForm(overrides: Record<string, string | string[]> = {}) {
  return {
    title: "Nästa samverkansmöte Järva",
    description: "Vi behöver en tid för genomgången av lägesbilden.",
    place: "Rinkeby medborgarkontor",
    videoUrl: "",
    closesOn: coming("2027-01-08"),
    // The second time is in summer time, to show that each time is converted on its own date.
    slotDate: [coming("2027-01-12"), coming("2027-03-30"), coming("2027-01-14"), ""],
    slotStart: ["09:00", "09:00", "13:00", ""],
    slotEnd: ["10:30", "10:30", "14:00", ""],
    inviteNetwork: "on",
    extraEmails: EXTERNAL,
    ...overrides,
  };
}

async function createPoll(overrides: Record<string, string | string[]> = {}, cookie = cookies.amina) {
  const response = await portal.post(`/natverk/${networkId}/tidsforslag/nytt`, pollForm(overrides), { cookie });
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 800))).toBe(302);
  const location = response.headers.get("location")!;
  expect(location).toMatch(/^\/tidsforslag\/[0-9a-f-]{36}$/);
  return location.slice("/tidsforslag/".length);
}

async function slotIds(pollId: string) {
  return (await db().select().from(pollSlots).where(eq(pollSlots.pollId, pollId)).orderBy(asc(pollSlots.position))).map((slot) => slot.id);
}

/** The answer form's fields: one choice per time, in time order. */
async function answerFields(pollId: string, answers: string[]) {
  const ids = await slotIds(pollId);
  return Object.fromEntries(ids.map((id, index) => [`slot-${id}`, answers[index]]));
}

async function answersOf(pollId: string, email: string) {
  const [participant] = await db()
    .select()
    .from(pollParticipants)
    .where(and(eq(pollParticipants.pollId, pollId), eq(pollParticipants.email, email)));
  const ids = await slotIds(pollId);
  const stored = await db().select().from(pollAnswers).where(eq(pollAnswers.participantId, participant.id));
  return ids.map((id) => stored.find((row) => row.slotId === id)?.answer ?? null);
}

/** The "Summa" row of the coordinator's grid, one text per time in order. */
function totalsOf(page: string) {
  return [...page.matchAll(/data-slot-total="[^"]+">([^<]*)</g)].map((match) => match[1]);
}

/** The opening tag of the form that holds `marker`. */
function formAround(page: string, marker: string) {
  const at = page.indexOf(marker);
  expect(at, `the page has ${marker}`).toBeGreaterThan(-1);
  const start = page.lastIndexOf("<form", at);
  return page.slice(start, page.indexOf(">", start) + 1);
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.johan = await portal.signInAs(JOHAN);
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

describe("proposing times", () => {
  let pollId: string;

  it("a coordinator proposes times to the network and an extra address; each time is stored in UTC", async () => {
    pollId = await createPoll();
    const [poll] = await db().select().from(polls).where(eq(polls.id, pollId));
    const [network] = await db().select().from(networks).where(eq(networks.id, networkId));
    expect(poll).toMatchObject({ networkId, status: "oppen", ownerOrganisationId: network.ownerOrganisationId, title: "Nästa samverkansmöte Järva" });
    // Answers are taken through 8 January: the poll closes at midnight Stockholm time (23:00 UTC in winter).
    expect(poll.closesAt.toISOString()).toBe(coming("2027-01-08T23:00:00.000Z"));
    const slots = await db().select().from(pollSlots).where(eq(pollSlots.pollId, pollId)).orderBy(asc(pollSlots.position));
    expect(slots.map((slot) => [slot.startsAt.toISOString(), slot.endsAt.toISOString()])).toEqual([
      [coming("2027-01-12T08:00:00.000Z"), coming("2027-01-12T09:30:00.000Z")],
      [coming("2027-01-14T12:00:00.000Z"), coming("2027-01-14T13:00:00.000Z")],
      [coming("2027-03-30T07:00:00.000Z"), coming("2027-03-30T08:30:00.000Z")],
    ]);
    const participants = await db().select().from(pollParticipants).where(eq(pollParticipants.pollId, pollId));
    expect(participants.map((row) => row.email).sort()).toEqual([AMINA, ERIK, EXTERNAL, JOHAN].sort());
    expect(participants.find((row) => row.email === EXTERNAL)?.userId).toBeNull();
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "poll.create"), eq(auditEvents.entityId, pollId)));
    expect(event.summary).toContain("Nästa samverkansmöte Järva");
  });

  it("everyone asked gets one mail with the times and a personal answer link", async () => {
    const mails = await pollMails(pollId, "invitation");
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([AMINA, ERIK, EXTERNAL, JOHAN].sort());
    expect(mails.every((mail) => mail.status === "sent")).toBe(true);
    const page = await (await portal.fetch(`/dev/mail/${mails.find((mail) => mail.toAddress === EXTERNAL)!.id}`)).text();
    expect(page).toContain(coming("12 jan. 2027 09:00–10:30"));
    expect(page).toContain(coming("30 mars 2027 09:00–10:30"));
    expect(page).toContain("Svara på tidsförslaget");
    // No name is known for an address asked on its own: the mail greets without one, and the poll
    // lists the whole address, never its first part as a name.
    expect(page).toContain("Hej,");
    expect(page).not.toContain("Hej extern.deltagare");
    const erikMail = await (await portal.fetch(`/dev/mail/${mails.find((mail) => mail.toAddress === ERIK)!.id}`)).text();
    expect(erikMail).toContain("Hej Erik Sandberg,");
    const pollPage = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.amina })).text();
    expect(pollPage).toContain(EXTERNAL);
    expect(pollPage).not.toMatch(/>extern\.deltagare</);
    const tokens = new Set(await Promise.all(mails.map((mail) => answerTokenOf(mail.id))));
    expect(tokens.size).toBe(4);
  });

  it("the network page lists the open poll for those asked, and the start page asks for an answer", async () => {
    const asErik = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.erik })).text();
    expect(asErik).toContain(`/tidsforslag/${pollId}`);
    expect(asErik).not.toContain(`/natverk/${networkId}/tidsforslag/nytt`);
    const asAmina = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.amina })).text();
    expect(asAmina).toContain(`/natverk/${networkId}/tidsforslag/nytt`);
    const start = await (await portal.fetch("/", { cookie: cookies.erik })).text();
    expect(start).toContain("Öppna tidsförslag");
    expect(start).toContain(`/tidsforslag/${pollId}`);
    const other = await (await portal.fetch("/", { cookie: cookies.fia })).text();
    expect(other).not.toContain(`/tidsforslag/${pollId}`);
    expect(other).toContain("Inga tidsförslag väntar på ditt svar.");
  });

  it("a member who may not plan meetings gets 403 for the form and for a post, and nothing changes", async () => {
    expect((await portal.fetch(`/natverk/${networkId}/tidsforslag/nytt`, { cookie: cookies.erik })).status).toBe(403);
    await mailSettled(db());
    const before = await digest();
    const response = await portal.post(`/natverk/${networkId}/tidsforslag/nytt`, pollForm(), { cookie: cookies.erik });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Du har inte behörighet");
    const asFia = await portal.post(`/natverk/${networkId}/tidsforslag/nytt`, pollForm(), { cookie: cookies.fia });
    expect(asFia.status).toBe(404);
    expect(await digest()).toEqual(before);
  });

  it.each([
    ["only one time", { slotDate: [coming("2027-01-12")], slotStart: ["09:00"], slotEnd: ["10:00"] }, "Föreslå mellan 2 och 10 tider."],
    [
      "eleven times",
      { slotDate: Array.from({ length: 11 }, (_, i) => coming(`2027-02-${String(i + 10)}`)), slotStart: Array(11).fill("09:00"), slotEnd: Array(11).fill("10:00") },
      "Föreslå mellan 2 och 10 tider.",
    ],
    ["a time that ends before it starts", { slotEnd: ["08:00", "10:30", "14:00", ""] }, "Tid 1: mötet måste sluta efter att det börjar."],
    ["a time in the past", { slotDate: ["2020-01-12", coming("2027-03-30"), coming("2027-01-14"), ""], closesOn: "2019-12-01" }, "Tid 1: tiden har redan varit."],
    ["the same time twice", { slotDate: [coming("2027-01-12"), coming("2027-01-12"), "", ""], slotStart: ["09:00", "09:00", "", ""], slotEnd: ["10:30", "10:30", "", ""] }, "Tid 2: samma tid finns redan med."],
    ["an hour that does not exist in Stockholm", { slotDate: [coming("2027-03-28"), coming("2027-03-30"), "", ""], slotStart: ["02:30", "09:00", "", ""], slotEnd: ["03:30", "10:00", "", ""] }, "Tid 1: tiden finns inte i Stockholms tid."],
    ["a last answer day on the first time's day", { closesOn: coming("2027-01-12") }, "Sista svarsdag måste vara före den första föreslagna tiden."],
    ["a last answer day in the past", { closesOn: "2020-01-01" }, "Sista svarsdag har redan varit."],
    ["a last answer day that does not exist", { closesOn: "2027-02-31" }, "Datumet finns inte i kalendern."],
    ["a proposed day that does not exist", { slotDate: [coming("2027-02-30"), coming("2027-03-30"), coming("2027-01-14"), ""] }, "Tid 1: datumet finns inte i kalendern."],
    ["no place or video link", { place: "" }, "Ange en plats, en videolänk eller båda."],
    ["an invalid address", { extraEmails: "inte-en-adress" }, "är inte en giltig e-postadress"],
    ["nobody asked", { inviteNetwork: [], extraEmails: "" }, "Fråga minst en person."],
    ["a chosen person who is not in the network", { inviteNetwork: [], memberIds: "00000000-0000-4000-8000-000000000001", extraEmails: "" }, "En av de valda personerna är inte medlem i nätverket."],
    ["a chosen person that is not an id", { inviteNetwork: [], memberIds: "'; drop table polls; --", extraEmails: "" }, "Ogiltig medlem."],
  ])("a form with %s is refused with a Swedish message and changes nothing", async (_name, overrides, message) => {
    await mailSettled(db());
    const before = await digest();
    const fields = pollForm(overrides as Record<string, string | string[]>);
    if (Array.isArray(fields.inviteNetwork)) delete (fields as Record<string, unknown>).inviteNetwork;
    const response = await portal.post(`/natverk/${networkId}/tidsforslag/nytt`, fields, { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain(message.replace(/"/g, "&quot;"));
    // What was typed comes back.
    expect(text).toContain("Nästa samverkansmöte Järva");
    expect(await digest()).toEqual(before);
  });
});

describe("answers", () => {
  let pollId: string;
  let externalToken: string;

  beforeAll(async () => {
    pollId = await createPoll({ title: "Svarsprov" });
    const mails = await pollMails(pollId, "invitation");
    externalToken = await answerTokenOf(mails.find((mail) => mail.toAddress === EXTERNAL)!.id);
  });

  it("a person asked answers on the poll page; the same answers again change nothing", async () => {
    const fields = { intent: "answer", ...(await answerFields(pollId, ["ja", "om_nodvandigt", "nej"])) };
    const first = await portal.post(`/tidsforslag/${pollId}`, fields, { cookie: cookies.erik });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Dina svar är sparade.");
    expect(await answersOf(pollId, ERIK)).toEqual(["ja", "om_nodvandigt", "nej"]);
    const afterFirst = await digest();
    const second = await portal.post(`/tidsforslag/${pollId}`, fields, { cookie: cookies.erik });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("Dina svar är oförändrade.");
    expect(await digest()).toEqual(afterFirst);
    expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "poll.answer"), eq(auditEvents.entityId, pollId)))).toHaveLength(1);
  });

  it("answers can be changed until the poll closes", async () => {
    const fields = { intent: "answer", ...(await answerFields(pollId, ["nej", "ja", "ja"])) };
    expect((await portal.post(`/tidsforslag/${pollId}`, fields, { cookie: cookies.erik })).status).toBe(200);
    expect(await answersOf(pollId, ERIK)).toEqual(["nej", "ja", "ja"]);
  });

  it("an answer with no time answered, an unknown choice or another poll's times is refused in Swedish and changes nothing", async () => {
    const otherPoll = await createPoll({ title: "Annat förslag", extraEmails: "" });
    await mailSettled(db());
    const ids = await slotIds(pollId);
    const otherIds = await slotIds(otherPoll);
    const before = await digest();
    const cases: Array<[Record<string, string>, string]> = [
      [{}, "Svara Ja, Om nödvändigt eller Nej för minst en av tiderna."],
      [Object.fromEntries(ids.map((id) => [`slot-${id}`, ""])), "Svara Ja, Om nödvändigt eller Nej för minst en av tiderna."],
      [{ [`slot-${ids[0]}`]: "ja", [`slot-${ids[1]}`]: "ja", [`slot-${ids[2]}`]: "kanske" }, "Svara Ja, Om nödvändigt eller Nej, eller lämna tiden tom."],
      [Object.fromEntries(otherIds.map((id) => [`slot-${id}`, "ja"])), "Svaren gäller tider som inte finns i det här tidsförslaget."],
      [{ [`slot-${ids[0]}`]: "ja", [`slot-${otherIds[0]}`]: "ja" }, "Svaren gäller tider som inte finns i det här tidsförslaget."],
    ];
    for (const [fields, message] of cases) {
      const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...fields }, { cookie: cookies.erik });
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toContain(message);
      const byLink = await portal.post(`/tidsforslag/svar/${externalToken}`, fields);
      expect(byLink.status, JSON.stringify(fields)).toBe(400);
      expect(await byLink.text()).toContain(message);
    }
    expect(await digest()).toEqual(before);
  });

  it("opening the mail's link without signing in shows the times and changes nothing", async () => {
    const before = await digest();
    const response = await portal.fetch(`/tidsforslag/svar/${externalToken}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("Svarsprov");
    expect(text).toContain(coming("12 jan. 2027 09:00–10:30"));
    // Someone answering by link sees the totals, not who answered what.
    expect(text).toContain("1 ja, 0 om nödvändigt, 0 nej");
    expect(text).not.toContain("Erik Sandberg");
    expect(await digest()).toEqual(before);
  });

  it("the proposed times are given with their weekday on the poll page, on the answer link and in the mail", async () => {
    const times = [coming("tis 12 jan. 2027 09:00–10:30"), coming("tors 14 jan. 2027 13:00–14:00"), coming("tis 30 mars 2027 09:00–10:30")];
    const pollPage = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.erik })).text();
    const linkPage = await (await portal.fetch(`/tidsforslag/svar/${externalToken}`)).text();
    const mails = await pollMails(pollId, "invitation");
    const mail = await (await portal.fetch(`/dev/mail/${mails.find((row) => row.toAddress === EXTERNAL)!.id}`)).text();
    for (const when of times) {
      expect(pollPage, "poll page").toContain(when);
      expect(linkPage, "answer link").toContain(when);
      expect(mail, "mail").toContain(when);
    }
  });

  it("posting the link's form saves the answers; the same submission twice gives one answer", async () => {
    const fields = await answerFields(pollId, ["ja", "ja", "om_nodvandigt"]);
    const first = await portal.post(`/tidsforslag/svar/${externalToken}`, fields);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Tack! Dina svar är sparade.");
    expect(await answersOf(pollId, EXTERNAL)).toEqual(["ja", "ja", "om_nodvandigt"]);
    const afterFirst = await digest();
    const second = await portal.post(`/tidsforslag/svar/${externalToken}`, fields);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("oförändrade");
    expect(await digest()).toEqual(afterFirst);
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "poll.answer"), eq(auditEvents.entityId, pollId)));
    expect(events.filter((event) => event.summary.includes("via länk"))).toHaveLength(1);
  });

  it("a tampered, expired, other-person, other-poll or malformed link is refused in Swedish and changes nothing", async () => {
    const [pollPart, participantPart, expires, mac] = externalToken.split(".");
    const otherPoll = await createPoll({ title: "Tredje förslaget", inviteNetwork: [] as unknown as string, extraEmails: "annan.person@forening.example" });
    await mailSettled(db());
    const [otherParticipant] = await db().select().from(pollParticipants).where(eq(pollParticipants.pollId, otherPoll));
    const [erik] = await db().select().from(pollParticipants).where(and(eq(pollParticipants.pollId, pollId), eq(pollParticipants.email, ERIK)));
    const future = new Date(Date.now() + 86_400_000);
    const cases: Array<[string, string, number, RegExp]> = [
      ["another person, same signature", [pollPart, erik.id, expires, mac].join("."), 400, /Länken till tidsförslaget är ogiltig/],
      ["another poll, same signature", [otherPoll, participantPart, expires, mac].join("."), 400, /Länken till tidsförslaget är ogiltig/],
      ["a later expiry, same signature", [pollPart, participantPart, String(Number(expires) + 86_400), mac].join("."), 400, /Länken till tidsförslaget är ogiltig/],
      ["a changed signature", [pollPart, participantPart, expires, mac.replace(/^./, (c) => (c === "a" ? "b" : "a"))].join("."), 400, /Länken till tidsförslaget är ogiltig/],
      ["signed, but the person was asked in another poll", pollToken({ pollId, participantId: otherParticipant.id, expires: future }), 404, /finns inte längre/],
      ["expired", pollToken({ pollId: pollPart, participantId: participantPart, expires: new Date(Date.now() - 1000) }), 410, /har gått ut/],
      ["not a token", "hej", 400, /Länken till tidsförslaget är ogiltig/],
      ["far too long", "a".repeat(400), 400, /Länken till tidsförslaget är ogiltig/],
    ];
    const fields = await answerFields(pollId, ["nej", "nej", "nej"]);
    const before = await digest();
    for (const [name, token, status, message] of cases) {
      const get = await portal.fetch(`/tidsforslag/svar/${token}`);
      expect(get.status, `GET ${name}`).toBe(status);
      expect(await get.text(), name).toMatch(message);
      const post = await portal.post(`/tidsforslag/svar/${token}`, fields);
      expect(post.status, `POST ${name}`).toBe(status);
      expect(await post.text(), name).toMatch(message);
    }
    expect(await digest()).toEqual(before);
  });

  it("the coordinator's grid shows everyone's answers, the totals and the best time", async () => {
    const text = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.amina })).text();
    expect(text).toContain("Erik Sandberg");
    expect(text).toContain("Svar (2 av 4)");
    // Times in order: 12 Jan (Erik nej, external ja), 14 Jan (ja, ja), 30 Mar (ja, om nödvändigt).
    expect(text).toContain("1 ja, 0 om nödvändigt, 1 nej");
    expect(text).toContain("2 ja, 0 om nödvändigt, 0 nej");
    expect(text).toContain("1 ja, 1 om nödvändigt, 0 nej");
    expect(text).toContain(coming("Bäst just nu: tors 14 jan. 2027 13:00–14:00"));
    // The network page counts the same answers.
    const networkPage = (await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies.amina })).text()).replaceAll("<!-- -->", "");
    expect(networkPage).toContain("2 av 4 har svarat");
  });
});

describe("leaving a time blank", () => {
  let pollId: string;
  let externalToken: string;

  beforeAll(async () => {
    pollId = await createPoll({ title: "Delvis besvarat" });
    const mails = await pollMails(pollId, "invitation");
    externalToken = await answerTokenOf(mails.find((mail) => mail.toAddress === EXTERNAL)!.id);
  });

  it("the answer forms leave checking to the server, so the browser asks for no answer to every time", async () => {
    const pollPage = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.erik })).text();
    expect(formAround(pollPage, 'name="intent" value="answer"')).toContain('novalidate=""');
    // No time is announced as required, and each has a choice that takes an earlier answer back.
    const answerAt = pollPage.indexOf('name="intent" value="answer"');
    const answerForm = pollPage.slice(pollPage.lastIndexOf("<form", answerAt), pollPage.indexOf("</form>", answerAt));
    expect(answerForm).not.toContain("required");
    expect(answerForm.match(/value=""[^>]*\/>Inget svar/g) ?? []).toHaveLength((await slotIds(pollId)).length);
    expect(pollPage).toContain("En tid som du lämnar tom räknas som inte svarat.");
    const linkPage = await (await portal.fetch(`/tidsforslag/svar/${externalToken}`)).text();
    expect(formAround(linkPage, 'name="slot-')).toContain('novalidate=""');
    expect(linkPage).toContain("En tid som du lämnar tom räknas som inte svarat.");
  });

  it("a time left blank is saved as not answered, told by its number, and counted nowhere", async () => {
    const ids = await slotIds(pollId);
    const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", [`slot-${ids[0]}`]: "ja", [`slot-${ids[2]}`]: "nej" }, { cookie: cookies.erik });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Dina svar är sparade. Du har inte svarat för tid 2.");
    expect(await answersOf(pollId, ERIK)).toEqual(["ja", null, "nej"]);
    const grid = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.amina })).text();
    expect(grid).toContain("Svar (1 av 4)");
    expect(totalsOf(grid)).toEqual(["1 ja, 0 om nödvändigt, 0 nej", "0 ja, 0 om nödvändigt, 0 nej", "0 ja, 0 om nödvändigt, 1 nej"]);
  });

  it("the form is the whole answer: a time sent blank later no longer has the earlier answer", async () => {
    const ids = await slotIds(pollId);
    const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", [`slot-${ids[0]}`]: "", [`slot-${ids[1]}`]: "om_nodvandigt", [`slot-${ids[2]}`]: "" }, { cookie: cookies.erik });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Dina svar är sparade. Du har inte svarat för tiderna 1 och 3.");
    expect(await answersOf(pollId, ERIK)).toEqual([null, "om_nodvandigt", null]);
    const grid = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.amina })).text();
    expect(totalsOf(grid)).toEqual(["0 ja, 0 om nödvändigt, 0 nej", "0 ja, 1 om nödvändigt, 0 nej", "0 ja, 0 om nödvändigt, 0 nej"]);
  });

  it("by the mail's link, too, some times may be left blank", async () => {
    const ids = await slotIds(pollId);
    const response = await portal.post(`/tidsforslag/svar/${externalToken}`, { [`slot-${ids[2]}`]: "ja" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Tack! Dina svar är sparade. Du har inte svarat för tiderna 1 och 2.");
    expect(await answersOf(pollId, EXTERNAL)).toEqual([null, null, "ja"]);
    const linkPage = await (await portal.fetch(`/tidsforslag/svar/${externalToken}`)).text();
    expect(linkPage).toContain("1 ja, 0 om nödvändigt, 0 nej");
  });
});

describe("who sees a poll", () => {
  let pollId: string;

  beforeAll(async () => {
    const [erik] = await db().select().from(users).where(eq(users.email, ERIK));
    // Only Erik is asked: Johan is a member of the network who was not.
    pollId = await createPoll({ title: "Bara Erik", inviteNetwork: [] as unknown as string, memberIds: erik.id, extraEmails: "" });
    await mailSettled(db());
  });

  it.each([
    ["the coordinator", "amina", 200],
    ["the person asked", "erik", 200],
    ["a network member who was not asked", "johan", 404],
    ["an admin of another organisation", "fia", 404],
  ] as const)("%s → %s", async (_name, who, status) => {
    const response = await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies[who] });
    expect(response.status).toBe(status);
    const text = await response.text();
    if (status === 404) {
      expect(text).toContain("Tidsförslaget finns inte.");
      expect(text).not.toContain("Bara Erik");
    } else expect(text).toContain("Bara Erik");
    const network = await (await portal.fetch(`/natverk/${networkId}`, { cookie: cookies[who] })).text();
    if (who !== "fia") expect(network.includes(`/tidsforslag/${pollId}`), "listed on the network page").toBe(status === 200);
  });

  it("someone not asked cannot answer, pick or close, and nothing changes", async () => {
    await mailSettled(db());
    const fields = await answerFields(pollId, ["ja", "ja", "ja"]);
    const ids = await slotIds(pollId);
    const before = await digest();
    const attempts: Array<[keyof typeof cookies, Record<string, string>, number]> = [
      ["johan", { intent: "answer", ...fields }, 404],
      ["fia", { intent: "answer", ...fields }, 404],
      ["johan", { intent: "pick", slotId: ids[0] }, 404],
      ["erik", { intent: "pick", slotId: ids[0] }, 403],
      ["erik", { intent: "close" }, 403],
      ["amina", { intent: "answer", ...fields }, 403],
      ["amina", { intent: "pick", slotId: "inte-ett-id" }, 400],
      ["amina", { intent: "pick", slotId: (await slotIds((await db().select().from(polls).where(eq(polls.title, "Svarsprov")))[0].id))[0] }, 400],
      ["amina", { intent: "radera" }, 400],
    ];
    for (const [who, body, status] of attempts) {
      const response = await portal.post(`/tidsforslag/${pollId}`, body, { cookie: cookies[who] });
      expect(response.status, `${who} ${body.intent}`).toBe(status);
    }
    expect(await digest()).toEqual(before);
  });

  it("the live room admits those who see the poll and refuses the rest and malformed rooms", async () => {
    const cases: Array<[keyof typeof cookies, unknown, object]> = [
      ["amina", `poll:${pollId}`, { ok: true }],
      ["erik", `poll:${pollId}`, { ok: true }],
      ["johan", `poll:${pollId}`, { ok: false, error: "forbidden" }],
      ["fia", `poll:${pollId}`, { ok: false, error: "forbidden" }],
      ["amina", "poll:inte-ett-id", { ok: false, error: "malformed" }],
      ["amina", "poll:00000000-0000-4000-8000-000000000000", { ok: false, error: "not_found" }],
      ["amina", { room: `poll:${pollId}` }, { ok: false, error: "malformed" }],
      ["amina", `poll:${pollId}`.padEnd(200, "x"), { ok: false, error: "malformed" }],
    ];
    await mailSettled(db());
    const before = await digest();
    for (const [who, room, expected] of cases) {
      const socket = await connectedAs(cookies[who]);
      expect(await subscribe(socket, room), `${who} ${JSON.stringify(room)}`).toEqual(expected);
    }
    expect(await digest()).toEqual(before);
  });

  it("an answer reaches the coordinator's live room at once", async () => {
    const socket = await connectedAs(cookies.amina);
    expect(await subscribe(socket, `poll:${pollId}`)).toEqual({ ok: true });
    const received = new Promise<unknown>((resolve) => socket.once("poll:answers", resolve));
    const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...(await answerFields(pollId, ["ja", "nej", "ja"])) }, { cookie: cookies.erik });
    expect(response.status).toBe(200);
    expect(await received).toEqual({ pollId });
  });
});

type ParsedCalendar = { method: string; uid: string; start: Date; end: Date };

function parseIcs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent")!);
  return { method: String(calendar.getFirstPropertyValue("method")), uid: event.uid, start: event.startDate.toJSDate(), end: event.endDate.toJSDate() };
}

describe("picking a time", () => {
  let pollId: string;
  let externalToken: string;

  beforeAll(async () => {
    pollId = await createPoll({ title: "Välj tid-prov" });
    const mails = await pollMails(pollId, "invitation");
    externalToken = await answerTokenOf(mails.find((mail) => mail.toAddress === EXTERNAL)!.id);
    // Times in order: 12 Jan, 14 Jan, 30 Mar.
    const answered = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...(await answerFields(pollId, ["ja", "nej", "ja"])) }, { cookie: cookies.erik });
    expect(answered.status).toBe(200);
  });

  it("picking a time plans the meeting, invites everyone asked with a calendar file and closes the poll, in one step", async () => {
    const ids = await slotIds(pollId);
    const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "pick", slotId: ids[2] }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Mötet är planerat och inbjudningarna skickas.");
    const meetingId = (await db().select().from(polls).where(eq(polls.id, pollId)))[0].meetingId!;
    const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
    // The third time in order is 30 March 2027 09:00, summer time: 07:00 UTC.
    expect(meeting).toMatchObject({ networkId, title: "Välj tid-prov", place: "Rinkeby medborgarkontor", status: "planerat" });
    expect(meeting.startsAt.toISOString()).toBe(coming("2027-03-30T07:00:00.000Z"));
    const [poll] = await db().select().from(polls).where(eq(polls.id, pollId));
    expect(poll).toMatchObject({ status: "vald", meetingId, chosenSlotId: ids[2] });
    const invitees = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    expect(invitees.map((row) => row.email).sort()).toEqual([AMINA, ERIK, EXTERNAL, JOHAN].sort());

    await mailSettled(db());
    const invitations = await db().select().from(emails).where(and(eq(emails.template, "meeting"), sql`${emails.props}->>'meetingId' = ${meetingId}`));
    expect(invitations.map((mail) => mail.toAddress).sort()).toEqual([AMINA, ERIK, EXTERNAL, JOHAN].sort());
    for (const mail of invitations) {
      expect(mail.status).toBe("sent");
      const attachment = await portal.fetch(`/dev/mail/${mail.id}/bilagor/0`);
      expect(attachment.headers.get("content-type")).toMatch(/^text\/calendar/);
      const ics = parseIcs(await attachment.text());
      expect(ics).toMatchObject({ method: "REQUEST", uid: `${meetingId}@samverkansportalen` });
      expect(ics.start.toISOString()).toBe(coming("2027-03-30T07:00:00.000Z"));
      expect(ics.end.toISOString()).toBe(coming("2027-03-30T08:30:00.000Z"));
    }
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "poll.pick"), eq(auditEvents.entityId, pollId)));
    expect(events).toHaveLength(1);
  });

  it("once a time is chosen, the poll page shows it with a link to the meeting and the answers read-only, and asks nobody to answer", async () => {
    const [{ meetingId }] = await db().select({ meetingId: polls.meetingId }).from(polls).where(eq(polls.id, pollId));
    const chosen = (await slotIds(pollId))[2];
    for (const who of ["erik", "johan", "amina"] as const) {
      const page = await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies[who] })).text();
      expect(page, who).toContain(coming("En tid är vald: tis 30 mars 2027 09:00–10:30."));
      expect(page, who).toContain("Tidsförslaget är stängt och tar inte emot fler svar.");
      expect(page, who).toContain(`href="/moten/${meetingId}"`);
      // Everyone's answers stay readable, the chosen time marked as such.
      expect(page, who).toContain("Svar (1 av 4)");
      expect(totalsOf(page), who).toEqual(["1 ja, 0 om nödvändigt, 0 nej", "0 ja, 0 om nödvändigt, 1 nej", "1 ja, 0 om nödvändigt, 0 nej"]);
      expect(page, who).toContain('<span class="badge badge--ok">Vald</span>');
      // The chosen time's column has a look of its own, not the one of the best time while answers came in.
      expect(page, who).toContain(`<td class="poll-chosen" data-slot-total="${chosen}">`);
      expect(page, who).toContain('<th scope="col" class="poll-chosen">Tid <!-- -->3');
      expect(page, who).not.toContain("poll-best");
      // Nothing asks for an answer or suggests a time any more.
      expect(page, who).not.toContain('value="answer"');
      expect(page, who).not.toContain("Spara svar");
      expect(page, who).not.toContain("Dina svar");
      expect(page, who).not.toContain("Du har inte svarat ännu.");
      expect(page, who).not.toContain("Bäst just nu");
      expect(page, who).not.toContain(">Bäst<");
      expect(page, who).not.toContain('id="valj-tid"');
    }
  });

  it("a second pick is refused and plans no second meeting", async () => {
    await mailSettled(db());
    const before = await digest();
    const ids = await slotIds(pollId);
    const response = await portal.post(`/tidsforslag/${pollId}`, { intent: "pick", slotId: ids[0] }, { cookie: cookies.amina });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Tidsförslaget är redan avgjort eller stängt.");
    expect(await digest()).toEqual(before);
  });

  it("after the pick no answers are taken, and the link tells the chosen time", async () => {
    await mailSettled(db());
    const before = await digest();
    const fields = await answerFields(pollId, ["ja", "ja", "ja"]);
    const inPortal = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...fields }, { cookie: cookies.erik });
    expect(inPortal.status).toBe(409);
    const byLink = await portal.post(`/tidsforslag/svar/${externalToken}`, fields);
    expect(byLink.status).toBe(409);
    expect(await byLink.text()).toContain("Tidsförslaget är stängt och tar inte emot fler svar.");
    const page = await (await portal.fetch(`/tidsforslag/svar/${externalToken}`)).text();
    expect(page).toContain(coming("En tid är vald: tis 30 mars 2027 09:00–10:30."));
    expect(await digest()).toEqual(before);
  });

  it("a late answer is refused with a Swedish message naming the chosen time, in the portal and by link, and the stored answers stay", async () => {
    await mailSettled(db());
    const before = await digest();
    const refusal = coming("Tidsförslaget är stängt och tar inte emot fler svar. Vald tid: tis 30 mars 2027 09:00–10:30. Det du skickade nu sparades inte.");
    const fields = await answerFields(pollId, ["nej", "nej", "nej"]);
    // The portal page without JavaScript, where the answer form posts as a page.
    const inPortal = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...fields }, { cookie: cookies.erik });
    expect(inPortal.status).toBe(409);
    const portalPage = await inPortal.text();
    expect(portalPage).toContain(refusal);
    expect(portalPage).not.toContain("Spara svar");
    const byLink = await portal.post(`/tidsforslag/svar/${externalToken}`, fields);
    expect(byLink.status).toBe(409);
    const linkPage = await byLink.text();
    expect(linkPage).toContain(refusal);
    expect(linkPage).toContain(coming("En tid är vald: tis 30 mars 2027 09:00–10:30."));
    expect(linkPage).not.toContain("Spara svar");
    expect(linkPage).not.toContain(">Bäst<");
    expect(await answersOf(pollId, ERIK)).toEqual(["ja", "nej", "ja"]);
    expect(await answersOf(pollId, EXTERNAL)).toEqual([null, null, null]);
    expect(await digest()).toEqual(before);
  });

  it("two coordinators picking at the same time plan exactly one meeting", async () => {
    const racing = await createPoll({ title: "Kapplöpning", extraEmails: "" });
    await mailSettled(db());
    const ids = await slotIds(racing);
    const [first, second] = await Promise.all([
      portal.post(`/tidsforslag/${racing}`, { intent: "pick", slotId: ids[0] }, { cookie: cookies.amina }),
      portal.post(`/tidsforslag/${racing}`, { intent: "pick", slotId: ids[1] }, { cookie: cookies.amina }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect(await db().select().from(meetings).where(eq(meetings.title, "Kapplöpning"))).toHaveLength(1);
  });

  it("a poll closed without a pick takes no answers and plans nothing", async () => {
    const closing = await createPoll({ title: "Stängs utan möte", extraEmails: "" });
    const response = await portal.post(`/tidsforslag/${closing}`, { intent: "close" }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect((await db().select().from(polls).where(eq(polls.id, closing)))[0].status).toBe("stangd");
    expect(await db().select().from(meetings).where(eq(meetings.title, "Stängs utan möte"))).toHaveLength(0);
    const answer = await portal.post(`/tidsforslag/${closing}`, { intent: "answer", ...(await answerFields(closing, ["ja", "ja", "ja"])) }, { cookie: cookies.erik });
    expect(answer.status).toBe(409);
  });
});

describe("the closing date and the reminder", () => {
  let pollId: string;
  let closesAt: Date;

  beforeAll(async () => {
    pollId = await createPoll({ title: "Påminnelseprov" });
    closesAt = (await db().select().from(polls).where(eq(polls.id, pollId)))[0].closesAt;
    // Erik answers; the others do not.
    expect((await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...(await answerFields(pollId, ["ja", "ja", "nej"])) }, { cookie: cookies.erik })).status).toBe(200);
    await mailSettled(db());
  });

  it("before the last day nothing is sent", async () => {
    const result = await sendPollReminders(db(), new Date(closesAt.getTime() - 25 * 3600_000));
    expect(result.queued).toBe(0);
    expect(await pollMails(pollId, "reminder")).toHaveLength(0);
  });

  it("a day before closing, each person who has not answered gets one reminder, however often the scan runs", async () => {
    const now = new Date(closesAt.getTime() - 23 * 3600_000);
    const first = await sendPollReminders(db(), now);
    expect(first.queued).toBeGreaterThanOrEqual(3);
    const again = await sendPollReminders(db(), new Date(now.getTime() + 5 * 60_000));
    expect(again.queued).toBe(0);
    // Even when the poll's mark is lost (another process ran the scan without seeing it), the mails' keys hold.
    await db().update(polls).set({ remindedAt: null }).where(eq(polls.id, pollId));
    await sendPollReminders(db(), new Date(now.getTime() + 10 * 60_000));
    const reminders = await pollMails(pollId, "reminder");
    expect(reminders.map((mail) => mail.toAddress).sort()).toEqual([AMINA, EXTERNAL, JOHAN].sort());
    expect(reminders.every((mail) => mail.status === "sent")).toBe(true);
    const page = await (await portal.fetch(`/dev/mail/${reminders[0].id}`)).text();
    expect(page).toContain("Du har ännu inte svarat");
    expect(page).toContain("/tidsforslag/svar/");
  });

  it("after the closing date no answers are taken, in the portal or by link, and nothing changes", async () => {
    const mails = await pollMails(pollId, "invitation");
    const token = await answerTokenOf(mails.find((mail) => mail.toAddress === EXTERNAL)!.id);
    await db().update(polls).set({ closesAt: new Date(Date.now() - 60_000) }).where(eq(polls.id, pollId));
    await mailSettled(db());
    const before = await digest();
    const fields = await answerFields(pollId, ["nej", "nej", "nej"]);
    const inPortal = await portal.post(`/tidsforslag/${pollId}`, { intent: "answer", ...fields }, { cookie: cookies.erik });
    expect(inPortal.status).toBe(409);
    expect(await inPortal.text()).toContain("Tidsförslaget är stängt och tar inte emot fler svar.");
    const page = await portal.fetch(`/tidsforslag/svar/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Tidsförslaget tar inte längre emot svar.");
    expect((await portal.post(`/tidsforslag/svar/${token}`, fields)).status).toBe(409);
    // A closed poll is no longer on the start page; the coordinator can still pick a time.
    expect(await (await portal.fetch("/", { cookie: cookies.johan })).text()).not.toContain(`/tidsforslag/${pollId}`);
    expect(await (await portal.fetch(`/tidsforslag/${pollId}`, { cookie: cookies.amina })).text()).toContain("Sista svarsdagen har passerat.");
    expect(await digest()).toEqual(before);
  });
});

describe("personal data", () => {
  it("a person's data export lists the polls they were asked in, with their answers", async () => {
    const data = await (await portal.fetch("/profil/export", { cookie: cookies.erik })).json();
    const entry = data.timePolls.find((row: { poll: string }) => row.poll === "Svarsprov");
    expect(entry).toMatchObject({ email: ERIK });
    expect(entry.answers.map((answer: { answer: string }) => answer.answer)).toEqual(["Nej", "Ja", "Ja"]);
  });

  it("anonymising a person removes their name and address from the polls, and the grid shows no trace of them", async () => {
    const [johan] = await db().select().from(users).where(eq(users.email, JOHAN));
    await db().update(users).set({ status: "deactivated" }).where(eq(users.id, johan.id));
    await anonymisePerson(db(), SYSTEM_ACTOR, johan.id);
    const rowsOfJohan = await db().select().from(pollParticipants).where(eq(pollParticipants.userId, johan.id));
    expect(rowsOfJohan.length).toBeGreaterThan(0);
    expect(rowsOfJohan.every((row) => row.name === "Anonymiserad person" && row.email === `anonymiserad-${johan.id}@invalid`)).toBe(true);
    const [poll] = await db().select().from(polls).where(eq(polls.title, "Svarsprov"));
    const page = await (await portal.fetch(`/tidsforslag/${poll.id}`, { cookie: cookies.amina })).text();
    expect(page).toContain("Anonymiserad person");
    expect(page).not.toContain("Johan Ek");
  });
});
