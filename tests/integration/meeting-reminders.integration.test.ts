import { addDays } from "date-fns";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, meetingInvitees, meetings, networks } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { easterSunday, workingDaysBefore } from "../../app/domain/calendar/swedish-holidays";
import { meetingWhen } from "../../app/domain/meetings/meetings.server";
import { scanMeetingReminders } from "../../app/domain/meetings/reminders.server";
import { stockholmDate, stockholmToUtc } from "../../app/domain/meetings/time";
import { tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled } from "../support/wait";

/**
 * Meeting reminders on a clock the test controls: the scan is called with `now`, exactly as the
 * job calls it with the real time. Meetings lie weeks ahead, so the job's own scans every minute
 * (on the real clock) find nothing due and only the test's scans send anything.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se";
const JOHAN = "johan.ek@demo.stockholm.se";
const EXTERNAL = "extern.kontakt@forening.example";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId: string;
const cookies = { amina: "", erik: "", johan: "" };

/** A Stockholm date `days` from today, so that the meetings always lie ahead of the real clock. */
function dateAhead(days: number) {
  return stockholmDate(addDays(new Date(), days));
}

/**
 * The first Stockholm date at least `days` from today whose agenda reminder (08:00 on the third
 * working day before) comes after its seven-day reminder: around Christmas or Easter the third
 * working day before lies more than a week back, and the agenda reminder would be due first.
 */
function dateAheadWithoutHolidays(days: number) {
  for (let offset = days; ; offset++) {
    const date = dateAhead(offset);
    const daysBack = (Date.parse(date) - Date.parse(workingDaysBefore(date, 3))) / DAY;
    if (daysBack < 7) return date;
  }
}

function meetingForm(date: string, overrides: Record<string, string | string[]> = {}) {
  return {
    title: "Samverkansmöte Järva",
    date,
    startTime: "09:00",
    endTime: "10:30",
    place: "Rinkeby medborgarkontor",
    videoUrl: "https://video.example/mote",
    description: "",
    agendaTitle: ["Lägesbild", ""],
    agendaPresenter: ["Erik Sandberg", ""],
    agendaMinutes: ["30", ""],
    inviteNetwork: "on",
    extraEmails: EXTERNAL,
    ...overrides,
  };
}

async function createMeeting(date: string, overrides: Record<string, string | string[]> = {}) {
  const response = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm(date, overrides), { cookie: cookies.amina });
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 500))).toBe(302);
  const meetingId = response.headers.get("location")!.split("/").at(-1)!;
  await mailSettled(db());
  return meetingId;
}

async function meeting(meetingId: string) {
  const [row] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
  return row;
}

type ReminderMail = { id: string; to: string; template: string; key: string; startsAt: string; offset: number | null; status: string };

/** The reminder mails of one meeting, in the order they were queued. */
async function reminderMails(meetingId: string): Promise<ReminderMail[]> {
  await mailSettled(db());
  const found = await db()
    .select()
    .from(emails)
    .where(and(sql`${emails.template} in ('meeting-reminder', 'meeting-agenda-reminder')`, sql`${emails.props}->>'meetingId' = ${meetingId}`))
    .orderBy(asc(emails.createdAt), asc(emails.toAddress));
  return found.map((row) => ({
    id: row.id,
    to: row.toAddress,
    template: row.template,
    key: row.idempotencyKey,
    startsAt: String(row.props.startsAt),
    offset: typeof row.props.offsetMinutes === "number" ? row.props.offsetMinutes : null,
    status: row.status,
  }));
}

/** Who got which invitee reminder: "address offset", sorted. */
function received(mails: ReminderMail[], startsAt?: Date) {
  return mails
    .filter((mail) => mail.template === "meeting-reminder" && (!startsAt || mail.startsAt === startsAt.toISOString()))
    .map((mail) => `${mail.to} ${mail.offset}`)
    .sort();
}

async function answer(meetingId: string, cookie: string, response: "ja" | "nej" | "kanske") {
  const result = await portal.post(`/moten/${meetingId}`, { intent: "respond", response, comment: "" }, { cookie });
  expect(result.status).toBeLessThan(400);
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: networkId }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.johan = await portal.signInAs(JOHAN);
});

afterAll(async () => {
  await portal?.close();
});

describe("meeting reminders", () => {
  it("each invitee who has not declined gets each reminder exactly once, however often and however concurrently the scan runs", async () => {
    const meetingId = await createMeeting(dateAheadWithoutHolidays(30));
    const { startsAt } = await meeting(meetingId);
    await answer(meetingId, cookies.erik, "nej");
    await answer(meetingId, cookies.johan, "kanske");

    // A minute before the 7-day reminder: nothing.
    expect(await scanMeetingReminders(db(), new Date(startsAt.getTime() - 7 * DAY - MINUTE))).toEqual({ meetings: 0, mails: 0 });
    expect(await reminderMails(meetingId)).toEqual([]);

    // Due: scanned twice in a row and three times at once.
    const sevenDays = new Date(startsAt.getTime() - 7 * DAY + MINUTE);
    await scanMeetingReminders(db(), sevenDays);
    await scanMeetingReminders(db(), sevenDays);
    await Promise.all([1, 2, 3].map(() => scanMeetingReminders(db(), sevenDays)));
    expect(received(await reminderMails(meetingId))).toEqual([`${AMINA} 10080`, `${EXTERNAL} 10080`, `${JOHAN} 10080`]);

    const oneDay = new Date(startsAt.getTime() - DAY + MINUTE);
    await Promise.all([1, 2, 3].map(() => scanMeetingReminders(db(), oneDay)));
    await scanMeetingReminders(db(), new Date(oneDay.getTime() + 30 * MINUTE));
    const mails = await reminderMails(meetingId);
    // Erik said nej: he gets none. Everyone else exactly one of each, and every mail went out.
    expect(received(mails)).toEqual([`${AMINA} 10080`, `${AMINA} 1440`, `${EXTERNAL} 10080`, `${EXTERNAL} 1440`, `${JOHAN} 10080`, `${JOHAN} 1440`]);
    expect(new Set(mails.map((mail) => mail.key)).size).toBe(mails.length);
    expect(mails.every((mail) => mail.status === "sent")).toBe(true);
    expect((await meeting(meetingId)).nextReminderAt).toBeNull();

    // The external contact has not answered: the reminder carries the answer links; Johan's shows his answer.
    const external = mails.find((mail) => mail.to === EXTERNAL && mail.offset === 1440)!;
    const externalPage = await (await portal.fetch(`/dev/mail/${external.id}`)).text();
    expect(externalPage).toContain("Påminnelse: Samverkansmöte Järva");
    expect(externalPage).toContain("Rinkeby medborgarkontor");
    expect(externalPage).toContain("https://video.example/mote");
    expect(externalPage).toContain("Lägesbild");
    expect(externalPage).toMatch(/\/svar\/[0-9a-z.-]+/);
    const johan = mails.find((mail) => mail.to === JOHAN && mail.offset === 1440)!;
    const johanPage = await (await portal.fetch(`/dev/mail/${johan.id}`)).text();
    expect(johanPage).toContain("Du har svarat Kanske");
    expect(johanPage).not.toMatch(/\/svar\//);

    // After the start nothing more is sent.
    expect(await scanMeetingReminders(db(), new Date(startsAt.getTime() + MINUTE))).toEqual({ meetings: 0, mails: 0 });
  });

  it("a moved meeting is reminded for its new time: a reminder sent for the old time does not block it, one not yet due moves", async () => {
    const meetingId = await createMeeting(dateAhead(40));
    const before = (await meeting(meetingId)).startsAt;
    await scanMeetingReminders(db(), new Date(before.getTime() - 7 * DAY + MINUTE));
    expect(received(await reminderMails(meetingId), before)).toEqual([`${AMINA} 10080`, `${ERIK} 10080`, `${EXTERNAL} 10080`, `${JOHAN} 10080`]);

    // Two days later; the 1-day reminder of the old time was not due yet.
    const moved = await portal.post(`/moten/${meetingId}/redigera`, { ...meetingForm(dateAhead(42)), extraEmails: "" }, { cookie: cookies.amina });
    expect(moved.status).toBe(302);
    const after = (await meeting(meetingId)).startsAt;
    expect(after.getTime() - before.getTime()).toBe(2 * DAY);

    // At the old 1-day time: the new time's 7-day reminder (it came due since the move), not the old 1-day one.
    await scanMeetingReminders(db(), new Date(before.getTime() - DAY + MINUTE));
    await scanMeetingReminders(db(), new Date(after.getTime() - DAY + MINUTE));
    const mails = await reminderMails(meetingId);
    expect(received(mails, before)).toEqual([`${AMINA} 10080`, `${ERIK} 10080`, `${EXTERNAL} 10080`, `${JOHAN} 10080`]);
    expect(received(mails, after)).toEqual([`${AMINA} 10080`, `${AMINA} 1440`, `${ERIK} 10080`, `${ERIK} 1440`, `${EXTERNAL} 10080`, `${EXTERNAL} 1440`, `${JOHAN} 10080`, `${JOHAN} 1440`]);
    // The mail tells the new time.
    const { endsAt } = await meeting(meetingId);
    const page = await (await portal.fetch(`/dev/mail/${mails.at(-1)!.id}`)).text();
    expect(page).toContain(meetingWhen(after, endsAt));
    expect(page).not.toContain(meetingWhen(before, new Date(endsAt.getTime() - 2 * DAY)));
  });

  it("a cancelled meeting sends no reminders", async () => {
    const meetingId = await createMeeting(dateAhead(30));
    const { startsAt } = await meeting(meetingId);
    const cancelled = await portal.post(`/moten/${meetingId}`, { intent: "cancel" }, { cookie: cookies.amina });
    expect(cancelled.status).toBeLessThan(400);
    expect((await meeting(meetingId)).status).toBe("installt");
    for (const offset of [7 * DAY, 3 * DAY, DAY, 2 * 60 * MINUTE]) await scanMeetingReminders(db(), new Date(startsAt.getTime() - offset + MINUTE));
    expect(await reminderMails(meetingId)).toEqual([]);
    expect((await meeting(meetingId)).nextReminderAt).toBeNull();
  });

  it("the coordinators are reminded of the agenda at 08:00 on the third working day before, counted over a weekend and Easter", async () => {
    // The Tuesday after Easter next year: Monday is Annandag påsk, then the weekend, then Långfredagen.
    const easter = stockholmToUtc(easterSunday(new Date().getUTCFullYear() + 1), "12:00")!;
    const tuesday = stockholmDate(addDays(easter, 2));
    const meetingId = await createMeeting(tuesday, { reminders: [""] });
    expect((await meeting(meetingId)).reminderOffsetsMinutes).toEqual([]);
    const expected = stockholmToUtc(stockholmDate(addDays(easter, -5)), "08:00")!; // the Tuesday before Easter
    await scanMeetingReminders(db(), new Date(expected.getTime() - MINUTE));
    expect(await reminderMails(meetingId)).toEqual([]);
    await scanMeetingReminders(db(), expected);
    await scanMeetingReminders(db(), expected);
    const mails = await reminderMails(meetingId);
    // Only the network's coordinator, and no invitee reminders: none were chosen.
    expect(mails.map((mail) => [mail.template, mail.to])).toEqual([["meeting-agenda-reminder", AMINA]]);
    const page = await (await portal.fetch(`/dev/mail/${mails[0].id}`)).text();
    expect(page).toContain("Dagordning inför Samverkansmöte Järva");
    expect(page).toContain("Lägesbild");
    expect(page).toContain(`/moten/${meetingId}/redigera`);
    expect((await meeting(meetingId)).nextReminderAt).toBeNull();
  });

  it("the form offers the reminders with the defaults ticked, keeps a change of reminders without mailing the invitees, and refuses an unknown choice", async () => {
    const form = await (await portal.fetch(`/natverk/${networkId}/moten/nytt`, { cookie: cookies.amina })).text();
    expect(form).toContain("<legend>Påminnelser</legend>");
    expect(form).toContain('<input type="checkbox" name="reminders" checked="" value="10080"/>');
    expect(form).toContain('<input type="checkbox" name="reminders" checked="" value="1440"/>');
    expect(form).toContain('<input type="checkbox" name="reminders" value="120"/>');

    const meetingId = await createMeeting(dateAhead(20), { reminders: ["", "120"] });
    expect((await meeting(meetingId)).reminderOffsetsMinutes).toEqual([120]);
    const mailsBefore = await db().select({ id: emails.id }).from(emails);
    const changed = await portal.post(`/moten/${meetingId}/redigera`, { ...meetingForm(dateAhead(20)), extraEmails: "", reminders: ["", "10080", "120"] }, { cookie: cookies.amina });
    expect(changed.status).toBe(302);
    const row = await meeting(meetingId);
    expect(row.reminderOffsetsMinutes).toEqual([10080, 120]);
    expect(row.sequence).toBe(0);
    expect(row.nextReminderAt?.toISOString()).toBe(new Date(row.startsAt.getTime() - 7 * DAY).toISOString());
    await mailSettled(db());
    expect(await db().select({ id: emails.id }).from(emails)).toHaveLength(mailsBefore.length);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.reminders"), eq(auditEvents.entityId, meetingId)));
    expect(event.summary).toContain("7 dagar och 2 timmar före");
    const edit = await (await portal.fetch(`/moten/${meetingId}/redigera`, { cookie: cookies.amina })).text();
    expect(edit).toContain('<input type="checkbox" name="reminders" checked="" value="10080"/>');
    expect(edit).toContain('<input type="checkbox" name="reminders" value="1440"/>');
    expect(edit).toContain('<input type="checkbox" name="reminders" checked="" value="120"/>');
    const page = await (await portal.fetch(`/moten/${meetingId}`, { cookie: cookies.amina })).text();
    expect(page).toContain("7 dagar och 2 timmar före");

    const TABLES = ["meetings", "agenda_items", "meeting_invitees", "audit_events", "emails"];
    const digest = await tableDigest(db(), TABLES);
    const refused = await portal.post(`/moten/${meetingId}/redigera`, { ...meetingForm(dateAhead(21)), extraEmails: "", reminders: ["", "5"] }, { cookie: cookies.amina });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Välj påminnelser bland alternativen.");
    const refusedNew = await portal.post(`/natverk/${networkId}/moten/nytt`, meetingForm(dateAhead(21), { reminders: ["", "10080", "x"] }), { cookie: cookies.amina });
    expect(refusedNew.status).toBe(400);
    expect(await tableDigest(db(), TABLES)).toEqual(digest);
  });

  it("someone who declines after a reminder was planned gets no later reminder", async () => {
    const meetingId = await createMeeting(dateAhead(30));
    const { startsAt } = await meeting(meetingId);
    await scanMeetingReminders(db(), new Date(startsAt.getTime() - 7 * DAY + MINUTE));
    await mailSettled(db());
    await answer(meetingId, cookies.johan, "nej");
    await scanMeetingReminders(db(), new Date(startsAt.getTime() - DAY + MINUTE));
    const mails = await reminderMails(meetingId);
    expect(received(mails)).toEqual([`${AMINA} 10080`, `${AMINA} 1440`, `${ERIK} 10080`, `${ERIK} 1440`, `${EXTERNAL} 10080`, `${EXTERNAL} 1440`, `${JOHAN} 10080`]);
    const invitees = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    expect(invitees.find((row) => row.email === JOHAN)?.response).toBe("nej");
  });

  it("someone who has turned off meeting reminders in their profile gets none; the invitation still comes", async () => {
    const profile = (reminders: boolean) =>
      portal.post("/profil", { name: "Johan Ek", title: "Avdelningschef", phone: "", actionDigest: "on", mentions: "on", ...(reminders ? { meetingReminders: "on" } : {}) }, { cookie: cookies.johan });
    expect((await profile(false)).status).toBe(200);
    try {
      const meetingId = await createMeeting(dateAhead(30));
      const { startsAt } = await meeting(meetingId);
      await scanMeetingReminders(db(), new Date(startsAt.getTime() - DAY + MINUTE));
      expect(received(await reminderMails(meetingId))).toEqual([`${AMINA} 1440`, `${ERIK} 1440`, `${EXTERNAL} 1440`]);
      const invitations = await db().select().from(emails).where(and(eq(emails.template, "meeting"), eq(emails.toAddress, JOHAN), sql`${emails.props}->>'meetingId' = ${meetingId}`));
      expect(invitations).toHaveLength(1);
    } finally {
      expect((await profile(true)).status).toBe(200);
    }
  });
});
