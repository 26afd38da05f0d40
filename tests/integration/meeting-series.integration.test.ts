import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, meetingInvitees, meetingSeries, meetingSeriesInvitees, meetings, memberships, networks, organisations, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { answerToken } from "../../app/domain/meetings/answer-links.server";
import { seriesAnswerToken } from "../../app/domain/meetings/series-answer-links.server";
import { comingYears } from "../support/calendar";
import { flashCookieOf, statusMessage } from "../support/flash";
import { tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2027-03-10");

/**
 * Recurring series (mötesserier): planning a series, its one invitation mail per invitee with a
 * recurring calendar event, changing and cancelling one occurrence (same UID, RECURRENCE-ID,
 * rising SEQUENCE), "this and following" (the old series ends with UNTIL, a new one starts),
 * answers by the series links, and a weekly 09:00 series that stays at 09:00 in Stockholm across
 * both summer-time changes, in the stored meetings and in the calendar files.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se"; // a member of the demo network
const EXTERNAL = "extern.serie@forening.example"; // no account
const ZONE = "Europe/Stockholm";

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId: string;
const cookies = { amina: "", erik: "", fia: "" };

const TABLES = ["meetings", "meeting_series", "meeting_series_invitees", "agenda_items", "meeting_invitees", "audit_events", "emails"];
const digest = () => tableDigest(db(), TABLES);

/** Mails about a series (template meeting-series), oldest first. */
async function seriesMails(seriesId: string) {
  await mailSettled(db());
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "meeting-series"), sql`${emails.props}->>'seriesId' = ${seriesId}`))
    .orderBy(asc(emails.createdAt), asc(emails.toAddress));
}

/** Mails about one meeting row (template meeting), oldest first. */
async function meetingMails(meetingId: string) {
  await mailSettled(db());
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "meeting"), sql`${emails.props}->>'meetingId' = ${meetingId}`))
    .orderBy(asc(emails.createdAt), asc(emails.toAddress));
}

/** The calendar file of a mail, downloaded from the outbox. */
async function icsTextOf(emailId: string) {
  const response = await portal.fetch(`/dev/mail/${emailId}/bilagor/0`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
  return response.text();
}

const stockholm = new Intl.DateTimeFormat("sv-SE", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
const local = (instant: Date) => stockholm.format(instant);

type ParsedEvent = { uid: string; sequence: number; start: Date; end: Date; startZone: string; recurrenceId: Date | null; status: string; rrule: string | null; exdates: Date[] };

/**
 * An iCalendar file parsed with ical.js. Its own VTIMEZONE is registered, as a calendar program
 * would use it, so the times below are what a calendar shows; they are then compared with the
 * time-zone database (Intl) for Europe/Stockholm.
 */
function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents("vtimezone");
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  const vevents = calendar.getAllSubcomponents("vevent");
  const events: ParsedEvent[] = vevents.map((vevent) => {
    const event = new ICAL.Event(vevent);
    const recurrence = vevent.getFirstPropertyValue("recurrence-id") as ICAL.Time | null;
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      startZone: String(vevent.getFirstProperty("dtstart")!.getParameter("tzid") ?? ""),
      recurrenceId: recurrence ? recurrence.toJSDate() : null,
      status: String(vevent.getFirstPropertyValue("status")),
      rrule: vevent.getFirstProperty("rrule") ? String(vevent.getFirstPropertyValue("rrule")) : null,
      exdates: vevent.getAllProperties("exdate").map((property) => (property.getFirstValue() as ICAL.Time).toJSDate()),
    };
  });
  /** The occurrences the calendar shows: the rule expanded by ical.js, EXDATEs removed and overrides applied. */
  function expand() {
    const masterComponent = vevents.find((vevent) => vevent.hasProperty("rrule"))!;
    const master = new ICAL.Event(masterComponent);
    for (const vevent of vevents) if (vevent !== masterComponent) master.relateException(vevent);
    const iterator = master.iterator();
    const out: Array<{ start: Date; end: Date; recurrenceId: Date }> = [];
    for (let next = iterator.next(); next && out.length < 200; next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      out.push({ start: details.startDate.toJSDate(), end: details.endDate.toJSDate(), recurrenceId: details.recurrenceId.toJSDate() });
    }
    return out;
  }
  return { method: String(calendar.getFirstPropertyValue("method")), zones: zones.map((zone) => String(zone.getFirstPropertyValue("tzid"))), events, expand };
}

function seriesForm(overrides: Record<string, string | string[]> = {}) {
  return {
    title: "Veckomöte Järva",
    // A Tuesday; the series crosses the last Sunday of March (28 March 2027) and of October (31 October 2027).
    date: coming("2027-03-16"),
    startTime: "09:00",
    endTime: "10:00",
    place: "Rinkeby medborgarkontor",
    videoUrl: "",
    description: "Veckans lägesbild.",
    agendaTitle: ["Lägesbild", ""],
    agendaPresenter: ["", ""],
    agendaMinutes: ["", ""],
    inviteNetwork: "on",
    extraEmails: EXTERNAL,
    repeat: "weekly",
    repeatEnd: "count",
    repeatCount: "34",
    repeatUntil: "",
    ...overrides,
  };
}

async function occurrencesOf(seriesId: string) {
  return db().select().from(meetings).where(eq(meetings.seriesId, seriesId)).orderBy(asc(meetings.recurrenceId));
}

async function seriesRow(seriesId: string) {
  const [row] = await db().select().from(meetingSeries).where(eq(meetingSeries.id, seriesId));
  return row;
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: "fia.serie@demo.stockholm.se", name: "Fia Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: fia.id, organisationId: farsta.id, role: "admin" });
  cookies.fia = await portal.signInAs(fia.email);
});

afterAll(async () => {
  await portal?.close();
});

describe("a weekly series at 09:00 across both summer-time changes", () => {
  let seriesId: string;
  let firstMeetingId: string;
  let oldUid: string;

  it("is stored as one series with 34 meetings, every one at 09:00–10:00 in Stockholm, each with the invitees and the agenda", async () => {
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm(), { cookie: cookies.amina });
    expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(302);
    firstMeetingId = response.headers.get("location")!.slice("/moten/".length);
    const [first] = await db().select().from(meetings).where(eq(meetings.id, firstMeetingId));
    seriesId = first.seriesId!;
    expect(seriesId).toBeTruthy();
    const series = await seriesRow(seriesId);
    expect(series).toMatchObject({ frequency: "weekly", rule: "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=34", timeZone: ZONE, sequence: 0, cancelledAt: null });

    const occurrences = await occurrencesOf(seriesId);
    expect(occurrences).toHaveLength(34);
    expect(occurrences.map((row) => local(row.startsAt).slice(11))).toEqual(Array(34).fill("09:00"));
    expect(occurrences.map((row) => local(row.endsAt).slice(11))).toEqual(Array(34).fill("10:00"));
    expect(occurrences.every((row) => row.recurrenceId!.getTime() === row.startsAt.getTime() && row.status === "planerat")).toBe(true);
    // Winter time (UTC+1), summer time (UTC+2), winter time again: the UTC instants move, the local time does not.
    expect(occurrences[1].startsAt.toISOString()).toBe(coming("2027-03-23T08:00:00.000Z"));
    expect(occurrences[2].startsAt.toISOString()).toBe(coming("2027-03-30T07:00:00.000Z"));
    expect(occurrences[32].startsAt.toISOString()).toBe(coming("2027-10-26T07:00:00.000Z"));
    expect(occurrences[33].startsAt.toISOString()).toBe(coming("2027-11-02T08:00:00.000Z"));
    expect(local(occurrences[33].startsAt)).toBe(coming("2027-11-02 09:00"));

    const invitees = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, occurrences[20].id));
    expect(invitees.map((row) => row.email).sort()).toEqual([AMINA, ERIK, EXTERNAL, "johan.ek@demo.stockholm.se"].sort());
    expect(await db().select().from(meetingSeriesInvitees).where(eq(meetingSeriesInvitees.seriesId, seriesId))).toHaveLength(4);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.create"), eq(auditEvents.entityId, seriesId)));
    expect(event.summary).toContain("34 möten");
  });

  it("each invitee gets ONE mail for the series, with a recurring event: stable UID, SEQUENCE 0, RRULE, DTSTART in Europe/Stockholm with its VTIMEZONE", async () => {
    const mails = await seriesMails(seriesId);
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([AMINA, ERIK, EXTERNAL, "johan.ek@demo.stockholm.se"].sort());
    expect(mails.every((mail) => mail.status === "sent" && mail.subject.startsWith("Inbjudan till mötesserie"))).toBe(true);
    // No separate invitation per occurrence.
    expect(await meetingMails(firstMeetingId)).toHaveLength(0);
    const occurrences = await occurrencesOf(seriesId);
    oldUid = `${seriesId}@samverkansportalen`;
    for (const mail of mails) {
      const calendar = parseCalendar(await icsTextOf(mail.id));
      expect(calendar.method).toBe("REQUEST");
      expect(calendar.zones).toEqual([ZONE]);
      expect(calendar.events).toHaveLength(1);
      const [master] = calendar.events;
      expect(master).toMatchObject({ uid: oldUid, sequence: 0, startZone: ZONE, recurrenceId: null, status: "CONFIRMED" });
      expect(master.rrule).toBe("FREQ=WEEKLY;COUNT=34;BYDAY=TU");
      // ical.js expands the rule in the file's time zone: the same 34 instants as the stored rows, all at 09:00 in Stockholm.
      const expanded = calendar.expand();
      expect(expanded.map((occurrence) => occurrence.start.toISOString())).toEqual(occurrences.map((row) => row.startsAt.toISOString()));
      expect(expanded.map((occurrence) => local(occurrence.start).slice(11))).toEqual(Array(34).fill("09:00"));
      expect(expanded.map((occurrence) => local(occurrence.end).slice(11))).toEqual(Array(34).fill("10:00"));
    }
    const page = await (await portal.fetch(`/dev/mail/${mails[0].id}`)).text();
    expect(page).toContain(coming("Varje vecka på tisdagar 09:00–10:00, 34 gånger från 16 mars 2027"));
    expect(page).toContain("/svar/serie/");
  });

  it("the meeting page shows the series, and offers to cancel only this meeting or this and the following", async () => {
    const page = await (await portal.fetch(`/moten/${firstMeetingId}`, { cookie: cookies.amina })).text();
    expect(page).toContain("Mötesserie");
    expect(page).toContain("Varje vecka på tisdagar 09:00–10:00");
    expect(page).toContain("Ställ in bara detta möte");
    expect(page).toContain("Ställ in detta och följande");
    const edit = await (await portal.fetch(`/moten/${firstMeetingId}/redigera`, { cookie: cookies.amina })).text();
    expect(edit).toContain("Bara detta möte");
    expect(edit).toContain("Detta och följande");
    const asErik = await (await portal.fetch(`/moten/${firstMeetingId}`, { cookie: cookies.erik })).text();
    expect(asErik).toContain("Mötesserie");
    expect(asErik).not.toContain("Ställ in bara detta möte");
  });

  describe("answers by the series links", () => {
    let links: Record<"ja" | "nej" | "kanske", string>;

    beforeAll(async () => {
      const mail = (await seriesMails(seriesId)).find((row) => row.toAddress === EXTERNAL)!;
      const page = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
      const tokens = [...new Set([...page.matchAll(/\/svar\/serie\/([0-9a-z.-]+)/g)].map((match) => match[1]))];
      const byAnswer = (answer: string) => tokens.find((token) => token.split(".")[2] === answer)!;
      links = { ja: byAnswer("ja"), nej: byAnswer("nej"), kanske: byAnswer("kanske") };
      expect(Object.values(links).every(Boolean)).toBe(true);
    });

    it("opening the link changes nothing; posting it answers every coming meeting; a second click changes nothing", async () => {
      const before = await digest();
      const opened = await portal.fetch(`/svar/serie/${links.ja}`);
      expect(opened.status).toBe(200);
      expect(await opened.text()).toMatch(/alla (<!-- -->)?34(<!-- -->)? kommande möten/);
      expect(await digest()).toEqual(before);

      const first = await portal.post(`/svar/serie/${links.ja}`, { comment: "Jag kommer" });
      expect(first.status).toBe(200);
      expect(await first.text()).toContain("sparat för alla kommande möten");
      const answers = await db()
        .select({ response: meetingInvitees.response, comment: meetingInvitees.comment })
        .from(meetingInvitees)
        .innerJoin(meetings, eq(meetings.id, meetingInvitees.meetingId))
        .where(and(eq(meetings.seriesId, seriesId), eq(meetingInvitees.email, EXTERNAL)));
      expect(answers).toHaveLength(34);
      expect(answers.every((row) => row.response === "ja" && row.comment === "Jag kommer")).toBe(true);
      const afterFirst = await digest();
      expect((await portal.post(`/svar/serie/${links.ja}`, { comment: "Jag kommer" })).status).toBe(200);
      expect(await digest()).toEqual(afterFirst);
      expect(await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.respond"), eq(auditEvents.entityId, seriesId)))).toHaveLength(1);
    });

    it("a tampered, expired, misplaced or single-meeting link is refused with a Swedish page and changes nothing", async () => {
      const [seriesPart, inviteePart, , expires, mac] = links.ja.split(".");
      const [someInvitee] = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, firstMeetingId));
      const cases: Array<[string, string, number, RegExp]> = [
        ["another answer, same signature", [seriesPart, inviteePart, "nej", expires, mac].join("."), 400, /Svarslänken är ogiltig/],
        ["a changed signature", [seriesPart, inviteePart, "ja", expires, mac.replace(/^./, (c) => (c === "a" ? "b" : "a"))].join("."), 400, /Svarslänken är ogiltig/],
        ["a single meeting's token", answerToken({ meetingId: firstMeetingId, inviteeId: someInvitee.id, answer: "ja", expires: new Date(Date.now() + 86_400_000) }), 400, /Svarslänken är ogiltig/],
        ["expired", seriesAnswerToken({ seriesId: seriesPart, inviteeId: inviteePart, answer: "nej", expires: new Date(Date.now() - 1000) }), 410, /Svarslänken har gått ut/],
        ["signed, but for an invitee of no such series", seriesAnswerToken({ seriesId: seriesPart, inviteeId: someInvitee.id, answer: "nej", expires: new Date(Date.now() + 86_400_000) }), 404, /Inbjudan finns inte längre/],
      ];
      const before = await digest();
      for (const [name, token, status, message] of cases) {
        const post = await portal.post(`/svar/serie/${token}`, { comment: "ändrat" });
        expect(post.status, name).toBe(status);
        expect(await post.text(), name).toMatch(message);
      }
      expect(await digest()).toEqual(before);
    });
  });

  describe("changing and cancelling occurrences", () => {
    it("changing only one meeting sends that meeting's invitees a REQUEST with the series' UID, its RECURRENCE-ID and SEQUENCE 1", async () => {
      const occurrences = await occurrencesOf(seriesId);
      const target = occurrences[2]; // 30 March 2027, the first meeting in summer time
      const response = await portal.post(`/moten/${target.id}/redigera`, { ...seriesForm({ date: coming("2027-03-30"), startTime: "13:00", endTime: "14:30", extraEmails: "" }), scope: "this" }, { cookie: cookies.amina });
      expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(302);
      expect(response.headers.get("location")).toBe(`/moten/${target.id}`);
      const [changed] = await db().select().from(meetings).where(eq(meetings.id, target.id));
      expect(local(changed.startsAt)).toBe(coming("2027-03-30 13:00"));
      expect(changed.recurrenceId!.toISOString()).toBe(target.recurrenceId!.toISOString());
      expect(changed.sequence).toBe(1);
      expect((await seriesRow(seriesId)).sequence).toBe(1);
      // The other meetings are untouched.
      const [other] = await db().select().from(meetings).where(eq(meetings.id, occurrences[3].id));
      expect(other).toEqual(occurrences[3]);

      const mails = await meetingMails(target.id);
      expect(mails).toHaveLength(4);
      for (const mail of mails) {
        expect(mail.subject).toMatch(/^Ändrat möte/);
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("REQUEST");
        expect(calendar.events).toHaveLength(1);
        const [event] = calendar.events;
        expect(event).toMatchObject({ uid: oldUid, sequence: 1, rrule: null, startZone: ZONE });
        expect(event.recurrenceId!.toISOString()).toBe(coming("2027-03-30T07:00:00.000Z"));
        expect(local(event.start)).toBe(coming("2027-03-30 13:00"));
        expect(local(event.end)).toBe(coming("2027-03-30 14:30"));
      }
    });

    it("changing only the reminders, of one meeting or of it and the following ones, keeps the new choice, mails nobody and says so", async () => {
      const occurrences = await occurrencesOf(seriesId);
      const asStored = (target: (typeof occurrences)[number]) => {
        const [date, time] = local(target.startsAt).split(" ");
        return { ...seriesForm({ date, startTime: time, endTime: local(target.endsAt).split(" ")[1], extraEmails: "" }) };
      };
      const mailsBefore = await db().select({ id: emails.id }).from(emails);

      const one = occurrences[4];
      const onlyThis = await portal.post(`/moten/${one.id}/redigera`, { ...asStored(one), reminders: ["", "120"], scope: "this" }, { cookie: cookies.amina });
      expect(onlyThis.status).toBe(302);
      const page = await portal.fetch(onlyThis.headers.get("location")!, { cookie: `${cookies.amina}; ${flashCookieOf(onlyThis)}` });
      expect(statusMessage(await page.text())).toBe("Påminnelserna är ändrade.");
      const [changed] = await db().select().from(meetings).where(eq(meetings.id, one.id));
      expect(changed.reminderOffsetsMinutes).toEqual([120]);
      const [neighbour] = await db().select().from(meetings).where(eq(meetings.id, occurrences[5].id));
      expect(neighbour.reminderOffsetsMinutes).toEqual(occurrences[5].reminderOffsetsMinutes);

      const from = occurrences[6];
      const following = await portal.post(`/moten/${from.id}/redigera`, { ...asStored(from), reminders: ["", "1440"], scope: "following" }, { cookie: cookies.amina });
      expect(following.status).toBe(302);
      expect(following.headers.get("location")).toBe(`/moten/${from.id}`);
      const after = await occurrencesOf(seriesId);
      expect(after.slice(6).every((row) => row.reminderOffsetsMinutes.join() === "1440")).toBe(true);
      expect(after[5].reminderOffsetsMinutes).toEqual(occurrences[5].reminderOffsetsMinutes);
      // Still the same series, and no mail about any of it.
      expect(after.map((row) => row.id)).toEqual(occurrences.map((row) => row.id));
      expect(await db().select({ id: emails.id }).from(emails)).toHaveLength(mailsBefore.length);
    });

    it("cancelling only one meeting sends METHOD:CANCEL with the series' UID, its RECURRENCE-ID and SEQUENCE 2", async () => {
      const occurrences = await occurrencesOf(seriesId);
      const target = occurrences[4];
      const refused = await portal.post(`/moten/${target.id}`, { intent: "cancel", scope: "this" }, { cookie: cookies.erik });
      expect(refused.status).toBe(403);
      const response = await portal.post(`/moten/${target.id}`, { intent: "cancel", scope: "this" }, { cookie: cookies.amina });
      expect(response.status).toBe(200);
      const [cancelled] = await db().select().from(meetings).where(eq(meetings.id, target.id));
      expect(cancelled).toMatchObject({ status: "installt", sequence: 2 });
      expect((await occurrencesOf(seriesId)).filter((row) => row.status === "installt").map((row) => row.id)).toEqual([target.id]);
      const mails = await meetingMails(target.id);
      expect(mails).toHaveLength(4);
      for (const mail of mails) {
        expect(mail.subject).toMatch(/^Inställt möte/);
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("CANCEL");
        expect(calendar.events[0]).toMatchObject({ uid: oldUid, sequence: 2, status: "CANCELLED" });
        expect(calendar.events[0].recurrenceId!.toISOString()).toBe(target.recurrenceId!.toISOString());
        expect(local(calendar.events[0].recurrenceId!)).toBe(coming("2027-04-13 09:00"));
      }
    });

    it("changing this and following ends the old series with UNTIL (SEQUENCE 3) and invites to a new series with a new UID", async () => {
      const before = await occurrencesOf(seriesId);
      const target = before[10]; // 25 May 2027
      const mailsBefore = await seriesMails(seriesId);
      const response = await portal.post(
        `/moten/${target.id}/redigera`,
        { ...seriesForm({ date: coming("2027-05-25"), startTime: "10:00", endTime: "11:00", title: "Veckomöte Järva (ny tid)", extraEmails: "" }), scope: "following" },
        { cookie: cookies.amina },
      );
      expect(response.status, await response.clone().text().then((text) => text.slice(0, 300))).toBe(302);
      const newFirstId = response.headers.get("location")!.slice("/moten/".length);
      const [newFirst] = await db().select().from(meetings).where(eq(meetings.id, newFirstId));
      const newSeriesId = newFirst.seriesId!;
      expect(newSeriesId).not.toBe(seriesId);

      // The old series keeps its first ten meetings and ends with the tenth (UNTIL, inclusive, in UTC).
      const old = await seriesRow(seriesId);
      expect(old.rule).toBe(`FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;UNTIL=${before[9].startsAt.toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`);
      expect(old.sequence).toBe(3);
      expect((await occurrencesOf(seriesId)).map((row) => row.id)).toEqual(before.slice(0, 10).map((row) => row.id));
      const update = (await seriesMails(seriesId)).filter((mail) => !mailsBefore.some((earlier) => earlier.id === mail.id));
      expect(update).toHaveLength(4);
      for (const mail of update) {
        expect(mail.subject).toMatch(/^Ändrad mötesserie/);
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("REQUEST");
        expect(calendar.events.every((event) => event.uid === oldUid && event.sequence === 3)).toBe(true);
        const master = calendar.events.find((event) => event.rrule)!;
        expect(master.rrule).toContain("UNTIL=");
        // The cancelled meeting is an EXDATE, the changed one an override with its RECURRENCE-ID.
        expect(master.exdates.map((date) => date.toISOString())).toEqual([before[4].startsAt.toISOString()]);
        const override = calendar.events.find((event) => event.recurrenceId)!;
        expect(override.recurrenceId!.toISOString()).toBe(before[2].recurrenceId!.toISOString());
        expect(local(override.start)).toBe(coming("2027-03-30 13:00"));
        const expanded = calendar.expand();
        expect(expanded).toHaveLength(9);
        expect(expanded.map((occurrence) => local(occurrence.start))).toEqual(
          before
            .slice(0, 10)
            .filter((_, index) => index !== 4)
            .map((row, index) => (index === 2 ? coming("2027-03-30 13:00") : local(row.startsAt))),
        );
      }

      // The new series: the 24 remaining meetings at 10:00 from 25 May, across the end of summer time.
      const fresh = await seriesRow(newSeriesId);
      expect(fresh).toMatchObject({ rule: "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=24", sequence: 0, previousSeriesId: seriesId, title: "Veckomöte Järva (ny tid)" });
      const next = await occurrencesOf(newSeriesId);
      expect(next).toHaveLength(24);
      expect(next.map((row) => local(row.startsAt).slice(11))).toEqual(Array(24).fill("10:00"));
      expect(local(next[23].startsAt)).toBe(coming("2027-11-02 10:00"));
      const invitations = await seriesMails(newSeriesId);
      expect(invitations).toHaveLength(4);
      for (const mail of invitations) {
        expect(mail.subject).toMatch(/^Inbjudan till mötesserie/);
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("REQUEST");
        expect(calendar.events).toHaveLength(1);
        expect(calendar.events[0]).toMatchObject({ uid: `${newSeriesId}@samverkansportalen`, sequence: 0, startZone: ZONE });
        const expanded = calendar.expand();
        expect(expanded.map((occurrence) => occurrence.start.toISOString())).toEqual(next.map((row) => row.startsAt.toISOString()));
        expect(expanded.every((occurrence) => local(occurrence.start).endsWith("10:00"))).toBe(true);
      }
      expect((await portal.fetch(`/moten/${target.id}`, { cookie: cookies.amina })).status).toBe(404);
    });

    it("cancelling this and following ends the series with UNTIL; from its first meeting it cancels the whole series' UID", async () => {
      const [{ id: newSeriesId }] = await db().select({ id: meetingSeries.id }).from(meetingSeries).where(eq(meetingSeries.previousSeriesId, seriesId));
      const uid = `${newSeriesId}@samverkansportalen`;
      const occurrences = await occurrencesOf(newSeriesId);
      let seen = await seriesMails(newSeriesId);

      const fromFifth = await portal.post(`/moten/${occurrences[4].id}`, { intent: "cancel", scope: "following" }, { cookie: cookies.amina });
      expect(fromFifth.status).toBe(200);
      const after = await occurrencesOf(newSeriesId);
      expect(after.map((row) => row.status)).toEqual([...Array(4).fill("planerat"), ...Array(20).fill("installt")]);
      expect((await seriesRow(newSeriesId)).sequence).toBe(1);
      const updates = (await seriesMails(newSeriesId)).filter((mail) => !seen.some((earlier) => earlier.id === mail.id));
      expect(updates).toHaveLength(4);
      for (const mail of updates) {
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("REQUEST");
        expect(calendar.events).toHaveLength(1);
        expect(calendar.events[0]).toMatchObject({ uid, sequence: 1 });
        expect(calendar.expand().map((occurrence) => occurrence.start.toISOString())).toEqual(occurrences.slice(0, 4).map((row) => row.startsAt.toISOString()));
      }

      seen = await seriesMails(newSeriesId);
      const whole = await portal.post(`/moten/${occurrences[0].id}`, { intent: "cancel", scope: "following" }, { cookie: cookies.amina });
      expect(whole.status).toBe(200);
      const series = await seriesRow(newSeriesId);
      expect(series.sequence).toBe(2);
      expect(series.cancelledAt).toBeInstanceOf(Date);
      expect((await occurrencesOf(newSeriesId)).every((row) => row.status === "installt")).toBe(true);
      const cancellations = (await seriesMails(newSeriesId)).filter((mail) => !seen.some((earlier) => earlier.id === mail.id));
      expect(cancellations).toHaveLength(4);
      for (const mail of cancellations) {
        expect(mail.subject).toMatch(/^Inställd mötesserie/);
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(calendar.method).toBe("CANCEL");
        expect(calendar.events[0]).toMatchObject({ uid, sequence: 2, status: "CANCELLED", recurrenceId: null });
        const page = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
        expect(page).not.toContain("/svar/");
      }
    });

    it("every calendar file for the first series kept its UID and never lowered its SEQUENCE", async () => {
      const all = [...(await seriesMails(seriesId))];
      const occurrenceIds = (await occurrencesOf(seriesId)).map((row) => row.id);
      for (const id of occurrenceIds) all.push(...(await meetingMails(id)));
      all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const sequences: number[] = [];
      for (const mail of all.filter((row) => row.toAddress === EXTERNAL)) {
        const calendar = parseCalendar(await icsTextOf(mail.id));
        expect(new Set(calendar.events.map((event) => event.uid))).toEqual(new Set([oldUid]));
        sequences.push(calendar.events[0].sequence);
      }
      expect(sequences).toEqual([0, 1, 2, 3]);
    });
  });
});

describe("personal data", () => {
  it("anonymising a person also removes their name and address from the series they were invited to", async () => {
    const [jarva] = await db().select().from(organisations).where(eq(organisations.name, "Järva stadsdelsnämnd"));
    const [sara] = await db().insert(users).values({ email: "sara.serie@demo.stockholm.se", name: "Sara Serie", status: "active" }).returning();
    await db().insert(memberships).values({ userId: sara.id, organisationId: jarva.id, role: "medlem" });
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm({ title: "Serie med Sara", inviteNetwork: [], extraEmails: sara.email, repeatCount: "2" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    await mailSettled(db());
    const [invited] = await db().select().from(meetingSeriesInvitees).where(eq(meetingSeriesInvitees.userId, sara.id));
    expect(invited).toMatchObject({ email: sara.email, name: "Sara Serie" });
    const johan = await portal.signInAs("johan.ek@demo.stockholm.se");
    expect((await portal.post(`/organisationer/${jarva.id}`, { intent: "deactivate", userId: sara.id }, { cookie: johan })).status).toBe(200);
    expect((await portal.post(`/organisationer/${jarva.id}`, { intent: "anonymise", userId: sara.id }, { cookie: johan })).status).toBe(200);
    const [after] = await db().select().from(meetingSeriesInvitees).where(eq(meetingSeriesInvitees.id, invited.id));
    expect(after.name).toBe("Anonymiserad person");
    expect(after.email).not.toContain("sara");
  });
});

describe("bad input", () => {
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ["0 meetings", { repeatCount: "0" }, "repeatCount", "Ange antalet möten som ett heltal mellan 2 och 52."],
    ["1000 meetings", { repeatCount: "1000" }, "repeatCount", "Ange antalet möten som ett heltal mellan 2 och 52."],
    ["a count that is not a number", { repeatCount: "många" }, "repeatCount", "Ange antalet möten som ett heltal mellan 2 och 52."],
    ["an end date before the first meeting", { repeatEnd: "until", repeatUntil: coming("2027-03-01"), repeatCount: "" }, "repeatUntil", "Seriens slutdatum måste vara efter det första mötet."],
    ["an end date that gives more than 52 meetings", { repeatEnd: "until", repeatUntil: coming("2029-01-01"), repeatCount: "" }, "repeatUntil", "En serie får ha högst 52 möten."],
    ["a badly written end date", { repeatEnd: "until", repeatUntil: "31/12/2027" }, "repeatUntil", "Ange seriens slutdatum som ÅÅÅÅ-MM-DD."],
    ["a first meeting on a day missing from the calendar", { date: "2027-02-30" }, "date", "Datumet finns inte i kalendern."],
    ["a repetition without an end", { repeatEnd: "" }, "repeatEnd", "Välj när serien slutar"],
    ["an unknown repetition", { repeat: "daily" }, "repeat", "Välj hur mötet ska upprepas."],
    ["monthly on the 30th", { repeat: "monthly-date", date: coming("2027-03-30") }, "repeat", "Månadsvis på datum går bara för den 1–28:e."],
    ["a meeting that would fall in the hour skipped in spring", { date: coming("2027-03-14"), startTime: "02:30", endTime: "03:30", repeat: "weekly", repeatCount: "3" }, "repeatCount", "som inte finns i Stockholms tid"],
  ];

  it.each(cases)("%s is refused with a Swedish message beside the field, keeps what was typed and stores nothing", async (_name, overrides, field, message) => {
    await mailSettled(db());
    const before = await digest();
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm(overrides), { cookie: cookies.amina });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain(message);
    expect(text).toContain(`id="field-${field}-error"`);
    expect(text).toContain('value="Veckomöte Järva"');
    expect(await digest()).toEqual(before);
  });

  it("moving one occurrence to a day missing from the calendar is refused beside the date field and nothing changes", async () => {
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm({ title: "Serie med en dag som inte finns", repeatCount: "2" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    const meetingId = response.headers.get("location")!.slice("/moten/".length);
    await mailSettled(db());
    const before = await digest();
    const refused = await portal.post(`/moten/${meetingId}/redigera`, { ...seriesForm({ title: "Serie med en dag som inte finns", date: "2027-02-31", extraEmails: "" }), scope: "this" }, { cookie: cookies.amina });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    const dateInput = /<input[^>]*name="date"[^>]*>/.exec(html)?.[0] ?? "";
    expect(dateInput).toContain('aria-invalid="true"');
    expect(dateInput).toMatch(/aria-describedby="[^"]*field-date-error/);
    expect(html).toContain('id="field-date-error">Datumet finns inte i kalendern.<');
    expect(/<input[^>]*name="startTime"[^>]*>/.exec(html)?.[0]).not.toContain("aria-invalid");
    await mailSettled(db());
    expect(await digest()).toEqual(before);
  });

  it("an occurrence changed or cancelled without choosing which meetings, or with new invitees for one meeting only, is refused and nothing changes", async () => {
    const response = await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm({ title: "Ännu en serie", repeatCount: "3" }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    const meetingId = response.headers.get("location")!.slice("/moten/".length);
    await mailSettled(db());
    const before = await digest();
    const noScope = await portal.post(`/moten/${meetingId}/redigera`, seriesForm({ title: "Ännu en serie", startTime: "11:00", endTime: "12:00", extraEmails: "" }), { cookie: cookies.amina });
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toContain("Välj om det gäller bara detta möte eller detta och följande möten i serien.");
    const badScope = await portal.post(`/moten/${meetingId}`, { intent: "cancel", scope: "alla" }, { cookie: cookies.amina });
    expect(badScope.status).toBe(400);
    const missingScope = await portal.post(`/moten/${meetingId}`, { intent: "cancel" }, { cookie: cookies.amina });
    expect(missingScope.status).toBe(400);
    expect(await missingScope.text()).toContain("Välj om det gäller bara detta möte");
    const extra = await portal.post(`/moten/${meetingId}/redigera`, { ...seriesForm({ title: "Ännu en serie", extraEmails: "ny.person@forening.example" }), scope: "this" }, { cookie: cookies.amina });
    expect(extra.status).toBe(400);
    expect(await extra.text()).toContain("Välj Detta och följande för att bjuda in fler");
    const [, second] = await db().select().from(meetings).where(eq(meetings.seriesId, (await db().select().from(meetings).where(eq(meetings.id, meetingId)))[0].seriesId!)).orderBy(asc(meetings.startsAt));
    const backwards = await portal.post(`/moten/${second.id}/redigera`, { ...seriesForm({ title: "Ännu en serie", date: coming("2027-03-10"), extraEmails: "" }), scope: "following" }, { cookie: cookies.amina });
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain("kan inte flyttas till före seriens föregående möte");
    // Who may not act learns nothing from a missing choice: 404 for an outsider, 403 for a member.
    for (const fields of [{ intent: "cancel", scope: "following" }, { intent: "cancel" }] as Array<Record<string, string>>) {
      expect((await portal.post(`/moten/${meetingId}`, fields, { cookie: cookies.fia })).status).toBe(404);
      expect((await portal.post(`/moten/${meetingId}`, fields, { cookie: cookies.erik })).status).toBe(403);
    }
    const member = await portal.post(`/moten/${meetingId}/redigera`, { ...seriesForm({ title: "Ännu en serie" }), scope: "following" }, { cookie: cookies.erik });
    expect(member.status).toBe(403);
    await mailSettled(db());
    expect(await digest()).toEqual(before);
  });

  it("a person who may not plan meetings cannot plan a series", async () => {
    const before = await digest();
    expect((await portal.post(`/natverk/${networkId}/moten/nytt`, seriesForm(), { cookie: cookies.erik })).status).toBe(403);
    expect(await digest()).toEqual(before);
  });
});
