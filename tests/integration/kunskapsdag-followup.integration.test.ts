import { and, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kunskapsdagar, kunskapsdagEvaluationAnswers, kunskapsdagRegistrations, organisations } from "../../db/schema";
import { anonymiseKunskapsdagar } from "../../app/domain/kunskapsdagar/anonymise.server";
import { kunskapsdagUid } from "../../app/domain/kunskapsdagar/ics.server";
import { loadRegistrationEmail } from "../../app/domain/kunskapsdagar/registrations.server";
import { scanEvaluations } from "../../app/domain/kunskapsdagar/evaluation.server";
import { loadFollowupEmail, scanKunskapsdagReminders, type FollowupEmailStored } from "../../app/domain/kunskapsdagar/reminders.server";
import { rows, tableDigest } from "../support/digest";
import { kunskapsdagForm } from "../support/kunskapsdag";
import { stockholmDay } from "../support/wait";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * After registration: the reminder before the day (confirmed people only, exactly once), change
 * and cancellation mails with calendar files, the anonymous evaluation after the day, and the
 * anonymisation of participants' personal data after the retention time.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret
const ERIK = "erik.sandberg@demo.polisen.se"; // plain member of a police area
const DAY_MS = 86_400_000;

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { amina: "", erik: "" };
let stadsledningskontoret: string;

function dayForm(overrides: Record<string, string | string[]> = {}) {
  return kunskapsdagForm(stadsledningskontoret, {
    description: "Om hur det brottsförebyggande arbetet är organiserat.",
    capacity: "2",
    questions: ["fritext"],
    freeTextQuestion: "Vad vill du veta mer om?",
    organiserEmails: AMINA,
    ...overrides,
  });
}

async function createPublishedDay(overrides: Record<string, string | string[]> = {}) {
  const response = await portal.post("/kunskapsdagar/ny", dayForm(overrides), { cookie: cookies.amina });
  expect(response.status).toBe(302);
  const id = /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "")![1];
  expect((await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
  return id;
}

async function register(dayId: string, name: string, email: string, freeText = "") {
  const response = await portal.post(`/kunskapsdagar/${dayId}`, { name, email, organisationId: stadsledningskontoret, organisationOther: "", freeText, consent: "on" });
  expect(response.status).toBeLessThan(400);
  const [row] = await db().select().from(kunskapsdagRegistrations).where(and(eq(kunskapsdagRegistrations.kunskapsdagId, dayId), eq(kunskapsdagRegistrations.email, email)));
  return row;
}

async function followups(dayId: string, kind: string) {
  return rows<{ to_address: string; props: FollowupEmailStored; idempotency_key: string }>(
    db(),
    sql`select e.to_address, e.props, e.idempotency_key from emails e join kunskapsdag_registrations r on r.id::text = e.props->>'registrationId'
        where e.template = 'kunskapsdag-followup' and e.props->>'kind' = ${kind} and r.kunskapsdag_id = ${dayId} order by e.to_address`,
  );
}

function parseEvent(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent("vevent")!;
  return { method: calendar.getFirstPropertyValue("method"), uid: event.getFirstPropertyValue("uid"), sequence: Number(event.getFirstPropertyValue("sequence")), location: event.getFirstPropertyValue("location"), status: event.getFirstPropertyValue("status") };
}

async function dayRow(id: string) {
  const [day] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, id));
  return day;
}

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
});

afterAll(async () => {
  await portal?.close();
});

describe("reminders, change and cancellation mails", () => {
  let dayId: string;
  const people: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    dayId = await createPublishedDay();
    people.anna = await register(dayId, "Anna Påminnelse", "anna.paminnelse@exempel.se");
    people.bo = await register(dayId, "Bo Påminnelse", "bo.paminnelse@exempel.se");
    people.cecilia = await register(dayId, "Cecilia Väntar", "cecilia.vantar@exempel.se");
    people.david = await register(dayId, "David Lämnar", "david.lamnar@exempel.se");
    // David leaves the waitlist through his own link.
    const { manageToken } = await import("../../app/domain/kunskapsdagar/manage-links.server");
    const token = manageToken({ registrationId: people.david.id, expires: new Date(Date.now() + 60 * DAY_MS) });
    expect((await portal.post(`/kunskapsdagar/anmalan/${token}`, { intent: "cancel" })).status).toBe(200);
  });

  it("the reminder goes out 2 days before, to confirmed people only, exactly once", async () => {
    const day = await dayRow(dayId);
    expect(day.reminderDaysBefore).toBe(2);
    expect(day.nextReminderAt?.toISOString()).toBe(new Date(day.startsAt.getTime() - 2 * DAY_MS).toISOString());
    // Three days before: nothing is due.
    expect(await scanKunskapsdagReminders(db(), new Date(day.startsAt.getTime() - 3 * DAY_MS))).toEqual({ days: 0, mails: 0 });
    expect(await followups(dayId, "paminnelse")).toHaveLength(0);
    const due = new Date(day.startsAt.getTime() - 2 * DAY_MS + 60_000);
    expect(await scanKunskapsdagReminders(db(), due)).toEqual({ days: 1, mails: 2 });
    // Run again, later, and at the same time twice: nobody gets a second one.
    await Promise.all([scanKunskapsdagReminders(db(), due), scanKunskapsdagReminders(db(), new Date(due.getTime() + DAY_MS))]);
    const sent = await followups(dayId, "paminnelse");
    expect(sent.map((mail) => mail.to_address)).toEqual(["anna.paminnelse@exempel.se", "bo.paminnelse@exempel.se"]);
    const rendered = await loadFollowupEmail(db(), sent[0].props);
    expect(rendered).toMatchObject({ kind: "paminnelse", recipientName: "Anna Påminnelse", title: "Kunskapsdag om samverkan" });
    expect(rendered!.manageUrl).toContain("/kunskapsdagar/anmalan/");
  });

  it("a change of time and place mails everyone registered a calendar file with the same UID and a higher SEQUENCE, once per change", async () => {
    const confirmation = await loadRegistrationEmail(db(), { registrationId: people.anna.id, kind: "bekraftad", sequence: 0 });
    const original = parseEvent(confirmation!.ics!);
    const refused = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ reminderDaysBefore: "0" }), { cookie: cookies.amina });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Påminnelsen skickas minst 1 dag före.");
    const changed = dayForm({ place: "Kulturhuset, Sergels torg", startTime: "10:00", reminderDaysBefore: "3" });
    const response = await portal.post(`/kunskapsdagar/${dayId}/redigera`, changed, { cookie: cookies.amina });
    expect(response.status).toBe(302);
    // The same form again changes nothing and mails nobody.
    expect((await portal.post(`/kunskapsdagar/${dayId}/redigera`, changed, { cookie: cookies.amina })).status).toBe(302);
    const mails = await followups(dayId, "andrad");
    expect(mails.map((mail) => mail.to_address)).toEqual(["anna.paminnelse@exempel.se", "bo.paminnelse@exempel.se", "cecilia.vantar@exempel.se"]);
    const event = parseEvent((await loadFollowupEmail(db(), mails[0].props))!.ics!);
    expect(event.uid).toBe(original.uid);
    expect(event.uid).toBe(kunskapsdagUid(dayId));
    expect(event.sequence).toBeGreaterThan(original.sequence);
    expect(event.method).toBe("PUBLISH");
    expect(event.location).toContain("Kulturhuset");
    // The moved day's reminder is planned again for its new time and the chosen 3 days before.
    const day = await dayRow(dayId);
    expect(day.reminderDaysBefore).toBe(3);
    expect(day.nextReminderAt?.toISOString()).toBe(new Date(day.startsAt.getTime() - 3 * DAY_MS).toISOString());
  });

  it("cancelling the day mails everyone registered a METHOD:CANCEL file, once, and no more reminders go out", async () => {
    const before = parseEvent((await loadFollowupEmail(db(), (await followups(dayId, "andrad"))[0].props))!.ics!);
    const response = await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "installd" }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Kunskapsdagen är inställd");
    const again = await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "installd" }, { cookie: cookies.amina });
    expect(again.status).toBe(409);
    const mails = await followups(dayId, "installd");
    expect(mails.map((mail) => mail.to_address)).toEqual(["anna.paminnelse@exempel.se", "bo.paminnelse@exempel.se", "cecilia.vantar@exempel.se"]);
    const event = parseEvent((await loadFollowupEmail(db(), mails[2].props))!.ics!);
    expect(event).toMatchObject({ method: "CANCEL", uid: before.uid, status: "CANCELLED" });
    expect(event.sequence).toBeGreaterThan(before.sequence);
    const day = await dayRow(dayId);
    expect(day.nextReminderAt).toBeNull();
    expect(await scanKunskapsdagReminders(db(), new Date(day.startsAt.getTime() - DAY_MS))).toEqual({ days: 0, mails: 0 });
    // The public page says so and takes no registrations.
    expect(await (await portal.fetch(`/kunskapsdagar/${dayId}`)).text()).toContain("inställd");
  });

  it("after the day is cancelled the personal link says so and offers no change, cancellation or leaving the waitlist", async () => {
    const { manageToken } = await import("../../app/domain/kunskapsdagar/manage-links.server");
    const link = (registrationId: string) => `/kunskapsdagar/anmalan/${manageToken({ registrationId, expires: new Date(Date.now() + 60 * DAY_MS) })}`;
    for (const person of [people.anna, people.cecilia]) {
      const response = await portal.fetch(link(person.id));
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain("Kunskapsdagen är inställd.");
      expect(page).not.toContain("Spara ändringarna");
      expect(page).not.toContain("Avboka min plats");
      expect(page).not.toContain("Lämna väntelistan");
    }
  });
});

describe("evaluation and anonymisation after the day", () => {
  let dayId: string;
  let link: string;
  const names = ["Greta Utvärdering", "Hugo Utvärdering", "Ingrid Väntelista"];
  const addresses = ["greta.utvardering@exempel.se", "hugo.utvardering@exempel.se", "ingrid.vantelista@exempel.se"];
  const secretAnswer = "Min hemliga fritextfråga om Grönkvist";
  const TABLES = ["kunskapsdagar", "kunskapsdag_registrations", "kunskapsdag_evaluation_answers", "kunskapsdag_evaluation_markers", "emails"];

  beforeAll(async () => {
    dayId = await createPublishedDay({ date: stockholmDay(10), registrationCloses: `${stockholmDay(9)}T12:00` });
    for (let i = 0; i < 3; i++) await register(dayId, names[i], addresses[i], i === 0 ? secretAnswer : "");
    // The day takes place: it is moved into the past, as time passing would do.
    await db().execute(sql`update kunskapsdagar set starts_at = now() - interval '2 days', ends_at = now() - interval '2 days' + interval '7 hours' where id = ${dayId}`);
  });

  it("after the day those with a seat get one evaluation mail each with a personal link", async () => {
    expect((await scanEvaluations(db(), new Date())).mails).toBe(2);
    expect((await scanEvaluations(db(), new Date())).mails).toBe(0);
    const mails = await followups(dayId, "utvardering");
    expect(mails.map((mail) => mail.to_address)).toEqual(addresses.slice(0, 2));
    const rendered = await loadFollowupEmail(db(), mails[0].props);
    link = new URL(rendered!.evaluationUrl!).pathname;
    expect(link).toMatch(/^\/kunskapsdagar\/utvardering\//);
    const page = await portal.fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Helhetsintryck");
  });

  it("an answer is stored without the person, once per link; a second answer or a tampered link changes nothing", async () => {
    const missing = await portal.post(link, { comment: "" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Välj ett betyg för helhetsintryck.");
    const ok = await portal.post(link, { overall: "5", content: "4", speakers: "4", organisation: "3", comment: "Mycket givande dag." });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Tack för ditt svar!");
    const stored = await db().select().from(kunskapsdagEvaluationAnswers).where(eq(kunskapsdagEvaluationAnswers.kunskapsdagId, dayId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ overall: 5, content: 4, speakers: 4, organisation: 3, comment: "Mycket givande dag." });
    // Nothing in the answer's table points at a registration or a person.
    const columns = await rows<{ column_name: string }>(db(), sql`select column_name from information_schema.columns where table_name = 'kunskapsdag_evaluation_answers'`);
    expect(columns.map((c) => c.column_name).sort()).toEqual(["answered_on", "comment", "content", "id", "kunskapsdag_id", "organisation", "overall", "speakers"]);
    const registrationIds = (await db().select({ id: kunskapsdagRegistrations.id }).from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, dayId))).map((r) => r.id);
    const markers = await rows<{ marker: string }>(db(), sql`select marker from kunskapsdag_evaluation_markers where kunskapsdag_id = ${dayId}`);
    expect(markers).toHaveLength(1);
    for (const id of registrationIds) expect(markers[0].marker).not.toContain(id);

    const before = await tableDigest(db(), TABLES);
    const second = await portal.post(link, { overall: "1" });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain("Du har redan svarat på utvärderingen.");
    const reopened = await (await portal.fetch(link)).text();
    expect(reopened).toContain("Du har redan svarat");
    const tampered = link.replace(/.$/, (c) => (c === "a" ? "b" : "a"));
    const bad = await portal.post(tampered, { overall: "3" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Länken till utvärderingen är ogiltig.");
    expect((await portal.fetch(tampered)).status).toBe(400);
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });

  it("organisers see averages, bars with a data table and the comments; others may not", async () => {
    const response = await portal.fetch(`/kunskapsdagar/${dayId}/utvardering`, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("1 svar av 2 deltagare");
    expect(html).toContain("medel 5 av 1 svar");
    expect(html).toContain('role="img"');
    expect(html).toContain("Antal svar per betyg");
    expect(html).toContain("Mycket givande dag.");
    expect((await portal.fetch(`/kunskapsdagar/${dayId}/utvardering`, { cookie: cookies.erik })).status).toBe(403);
  });

  it("after the retention time no participant name, address or free-text answer remains in any table; counts per organisation stay", async () => {
    const counts = () => rows(db(), sql`select organisation_name, status, count(*)::int as n from kunskapsdag_registrations where kunskapsdag_id = ${dayId} group by 1, 2 order by 1, 2`);
    const countsBefore = await counts();
    const day = await dayRow(dayId);
    expect((await anonymiseKunskapsdagar(db(), new Date(day.endsAt.getTime() + 89 * DAY_MS))).days).toBe(0);
    expect(await findPersonalData([...names, ...addresses, secretAnswer])).not.toEqual([]);
    const result = await anonymiseKunskapsdagar(db(), new Date(day.endsAt.getTime() + 91 * DAY_MS));
    expect(result).toEqual({ days: 1, registrations: 3 });
    expect(await anonymiseKunskapsdagar(db(), new Date(day.endsAt.getTime() + 92 * DAY_MS))).toEqual({ days: 0, registrations: 0 });
    expect(await findPersonalData([...names, ...addresses, secretAnswer])).toEqual([]);
    expect(await counts()).toEqual(countsBefore);
    const results = await (await portal.fetch(`/kunskapsdagar/${dayId}/utvardering`, { cookie: cookies.amina })).text();
    expect(results).toContain("medel 5 av 1 svar");
  });

  it("the deletion date shown at registration is the retention time after the day", async () => {
    const id = await createPublishedDay();
    const day = await dayRow(id);
    const { formatDate } = await import("../../app/format");
    const page = await (await portal.fetch(`/kunskapsdagar/${id}`)).text();
    expect(page).toContain(formatDate(new Date(day.endsAt.getTime() + 90 * DAY_MS)));
  });
});

/** Every text, varchar and json column of every table in every schema, searched for the given values. */
async function findPersonalData(needles: string[]) {
  const columns = await rows<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    db(),
    sql`select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema not in ('pg_catalog', 'information_schema') and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'character')`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const column of columns) {
    const ident = sql.raw(`"${column.table_schema}"."${column.table_name}"`);
    const col = sql.raw(`"${column.column_name}"`);
    const patterns = sql.join(
      needles.map((needle) => sql`${`%${needle.toLowerCase()}%`}`),
      sql`, `,
    );
    const hits = await rows<{ value: string }>(db(), sql`select ${col}::text as value from ${ident} where lower(${col}::text) like any (array[${patterns}]) limit 3`);
    for (const hit of hits) found.push(`${column.table_schema}.${column.table_name}.${column.column_name}: ${hit.value.slice(0, 120)}`);
  }
  return found;
}
