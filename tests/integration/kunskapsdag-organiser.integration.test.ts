import { and, asc, eq, sql } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, kunskapsdagRegistrationMoves, kunskapsdagRegistrations, organisations } from "../../db/schema";
import { lapseKunskapsdagOffers, loadRegistrationEmail, type RegistrationEmailStored } from "../../app/domain/kunskapsdagar/registrations.server";
import { manageToken } from "../../app/domain/kunskapsdagar/manage-links.server";
import { anonymiseKunskapsdagar } from "../../app/domain/kunskapsdagar/anonymise.server";
import { rows, tableDigest } from "../support/digest";
import { soonKunskapsdagForm } from "../support/kunskapsdag";
import { formField, NO_FIELD_ERROR } from "../support/html";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, waitFor } from "../support/wait";

/**
 * What organisers do beyond registration itself: moving someone between seat and waitlist with a
 * reason (logged, mailed, live seat counts, refused when wrong), and the optional hold time for a
 * seat offered to the first on the waitlist (confirm, lapse to the next under a given clock).
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret, creates the days
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm member, organiser of the days
const ERIK = "erik.sandberg@demo.polisen.se"; // police member, not an organiser

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { amina: "", lena: "", erik: "" };
let stadsledningskontoret: string;

const TABLES = ["kunskapsdagar", "kunskapsdag_registrations", "kunskapsdag_registration_moves", "kunskapsdag_checkins", "audit_events"];
async function digest() {
  const mails = await rows<{ n: number; ids: string }>(db(), sql`select count(*)::int as n, md5(coalesce(string_agg(idempotency_key || ':' || to_address, ',' order by idempotency_key), '')) as ids from emails`);
  return { ...(await tableDigest(db(), TABLES)), emails: `${mails[0].n}:${mails[0].ids}` };
}

async function createPublishedDay(capacity: number, title = "Kunskapsdag om trygghetsarbete", extra: Record<string, string> = {}) {
  const response = await portal.post(
    "/kunskapsdagar/ny",
    soonKunskapsdagForm(stadsledningskontoret, capacity, { title, organiserEmails: LENA, ...extra }),
    { cookie: cookies.amina },
  );
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 400))).toBe(302);
  const id = /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "")![1];
  expect((await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
  return id;
}

async function register(id: string, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@exempel.se`;
  const response = await portal.post(`/kunskapsdagar/${id}`, { name, email, organisationId: stadsledningskontoret, organisationOther: "", consent: "on" });
  expect(response.status).toBe(200);
  return response.text();
}

async function registrationsOf(id: string) {
  return db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, id)).orderBy(asc(kunskapsdagRegistrations.arrival));
}

/** Names by status, the waitlist in its order. */
async function state(id: string) {
  const all = await registrationsOf(id);
  return {
    seated: all.filter((row) => row.status === "bekraftad").map((row) => row.name).sort(),
    waitlist: all.filter((row) => row.status === "vantelista").map((row) => row.name),
  };
}

async function idOf(dayId: string, name: string) {
  const [row] = await db().select().from(kunskapsdagRegistrations).where(and(eq(kunskapsdagRegistrations.kunskapsdagId, dayId), eq(kunskapsdagRegistrations.name, name)));
  return row.id;
}

async function mailsOf(registrationId: string) {
  return db()
    .select()
    .from(emails)
    .where(and(eq(emails.template, "kunskapsdag-registration"), sql`${emails.props}->>'registrationId' = ${registrationId}`))
    .orderBy(asc(emails.createdAt));
}

const manageUrl = (registrationId: string) => `/kunskapsdagar/anmalan/${manageToken({ registrationId, expires: new Date(Date.now() + 60 * 86_400_000) })}`;
const kinds = async (registrationId: string) => (await mailsOf(registrationId)).map((mail) => (mail.props as RegistrationEmailStored).kind);

/** One registration's card on the overview page, with its move form. */
async function overviewRow(dayId: string, registrationId: string) {
  const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/oversikt`, { cookie: cookies.amina })).text();
  return { page, row: page.split('<li class="card">').find((card) => card.includes(`name="registrationId" value="${registrationId}"`)) ?? "" };
}

const move = (dayId: string, fields: Record<string, string>, cookie = cookies.amina) => portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "move", ...fields }, { cookie });

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
  cookies.lena = await portal.signInAs(LENA);
  cookies.erik = await portal.signInAs(ERIK);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe("an organiser moves someone with a reason", () => {
  let dayId: string;
  beforeAll(async () => {
    dayId = await createPublishedDay(2);
    for (const name of ["Anna Ek", "Bo Lind", "Cecilia Berg", "David Holm", "Eva Nord"]) await register(dayId, name);
  });

  it("giving a full day's seat to someone on the waitlist needs a confirmed overbooking, then is logged, mailed and live", async () => {
    expect(await state(dayId)).toEqual({ seated: ["Anna Ek", "Bo Lind"], waitlist: ["Cecilia Berg", "David Holm", "Eva Nord"] });
    const david = await idOf(dayId, "David Holm");
    await mailSettled(db());
    const before = await digest();
    const refused = await move(dayId, { registrationId: david, to: "plats", reason: "Talare under eftermiddagen" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Kunskapsdagen är fullbokad. Om personen får en plats blir den överbokad.");
    expect(await digest()).toEqual(before);

    const socket = publicSocket();
    const seats = new Promise<{ confirmed: number; seatsLeft: number; waitlisted: number }>((resolve) => socket.on("kunskapsdag:seats", resolve));
    expect(await socket.timeout(5000).emitWithAck("subscribe", `kunskapsdag:${dayId}`)).toEqual({ ok: true });
    const moved = await move(dayId, { registrationId: david, to: "plats", reason: "Talare under eftermiddagen", overbook: "on" });
    expect(moved.status).toBe(200);
    expect(await moved.text()).toContain("David Holm flyttades från väntelistan (plats 2) till plats.");
    expect(await state(dayId)).toEqual({ seated: ["Anna Ek", "Bo Lind", "David Holm"], waitlist: ["Cecilia Berg", "Eva Nord"] });
    expect(await seats).toMatchObject({ confirmed: 3, seatsLeft: 0, waitlisted: 2 });

    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "kunskapsdag.moveRegistration"), eq(auditEvents.entityId, dayId)));
    expect(audit.actorLabel).toBe("Amina Hassan");
    expect(audit.summary).toContain("från väntelistan (plats 2) till plats. Anledning: Talare under eftermiddagen");
    expect(audit.changes).toMatchObject({ before: { registrationId: david, status: "vantelista", position: 2 }, after: { registrationId: david, status: "bekraftad", reason: "Talare under eftermiddagen" } });
    // The audit log keeps no name or address of the participant.
    expect(JSON.stringify(audit)).not.toContain("David");

    const mails = await mailsOf(david);
    expect(mails.map((mail) => (mail.props as RegistrationEmailStored).kind)).toEqual(["vantelista", "flyttad-till-plats"]);
    const rendered = await loadRegistrationEmail(db(), mails[1].props as RegistrationEmailStored);
    expect(rendered).toMatchObject({ kind: "flyttad-till-plats", recipientName: "David Holm" });
    expect(rendered?.checkinQr).toMatch(/^data:image\/png;base64,/);
    expect(rendered?.ics).toContain("METHOD:PUBLISH");
    await waitFor(async () => (await mailsOf(david)).every((mail) => mail.status === "sent"), "the move mail to be sent");

    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/oversikt`, { cookie: cookies.lena })).text();
    expect(page).toContain("Amina Hassan flyttade från Väntelistan, plats 2 till Bekräftad plats.");
    expect(page).toContain("Anledning: Talare under eftermiddagen");
  });

  it("moving someone with a seat to the first waitlist place renumbers the waitlist and, with a seat free, moves the next one up", async () => {
    const anna = await idOf(dayId, "Anna Ek");
    // Overbooked by one: giving up this seat frees nothing.
    const first = await move(dayId, { registrationId: anna, to: "vantelista", position: "1", reason: "Kan bara komma på förmiddagen" }, cookies.lena);
    expect(first.status).toBe(200);
    expect(await state(dayId)).toEqual({ seated: ["Bo Lind", "David Holm"], waitlist: ["Anna Ek", "Cecilia Berg", "Eva Nord"] });
    const mails = await mailsOf(anna);
    expect(mails.map((mail) => (mail.props as RegistrationEmailStored).kind)).toEqual(["bekraftad", "flyttad-till-vantelistan"]);
    expect(await loadRegistrationEmail(db(), mails[1].props as RegistrationEmailStored)).toMatchObject({ kind: "flyttad-till-vantelistan", waitlistPosition: 1, checkinQr: null, ics: null });

    // Now Bo's seat is a real free seat: it goes to the first on the waitlist other than Bo himself.
    const bo = await idOf(dayId, "Bo Lind");
    const second = await move(dayId, { registrationId: bo, to: "vantelista", reason: "Bytte med en kollega" });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("Den lediga platsen gick till nästa på väntelistan.");
    expect(await state(dayId)).toEqual({ seated: ["Anna Ek", "David Holm"], waitlist: ["Cecilia Berg", "Eva Nord", "Bo Lind"] });
    // Anna was moved back to the waitlist once, so her second seat gets a mail of its own.
    expect((await mailsOf(anna)).map((mail) => (mail.props as RegistrationEmailStored).kind)).toEqual(["bekraftad", "flyttad-till-vantelistan", "flyttad-upp"]);
    const history = await db().select().from(kunskapsdagRegistrationMoves).where(eq(kunskapsdagRegistrationMoves.kunskapsdagId, dayId));
    expect(history.map((row) => [row.movedByName, row.fromStatus, row.fromPosition, row.toStatus, row.toPosition]).sort()).toEqual(
      [
        ["Amina Hassan", "vantelista", 2, "bekraftad", null],
        ["Lena Berg", "bekraftad", null, "vantelista", 1],
        ["Amina Hassan", "bekraftad", null, "vantelista", 3], // place 4 when moved, 3 once Anna moved up ahead
      ].sort(),
    );
  });

  it("refuses bad moves with a Swedish message and changes nothing", async () => {
    const otherDay = await createPublishedDay(1, "En annan kunskapsdag");
    await register(otherDay, "Frida Sten");
    const frida = await idOf(otherDay, "Frida Sten");
    const eva = await idOf(dayId, "Eva Nord");
    const anna = await idOf(dayId, "Anna Ek");
    await register(dayId, "Gustav Ås");
    const gustav = await idOf(dayId, "Gustav Ås");
    expect((await portal.post(`/kunskapsdagar/anmalan/${manageToken({ registrationId: gustav, expires: new Date(Date.now() + 60 * 86_400_000) })}`, { intent: "cancel" })).status).toBe(200);
    await mailSettled(db());
    const before = await digest();
    const cases: Array<[Record<string, string>, string, number, string?]> = [
      [{ registrationId: "00000000-0000-4000-8000-000000000000", to: "plats", reason: "Test av flytt" }, "Anmälan finns inte på den här kunskapsdagen.", 404],
      [{ registrationId: frida, to: "plats", reason: "Test av flytt" }, "Anmälan finns inte på den här kunskapsdagen.", 404],
      [{ registrationId: "inte-ett-id", to: "plats", reason: "Test av flytt" }, "Välj en anmälan i listan.", 400],
      [{ registrationId: eva, to: "plats", reason: "" }, "Skriv varför anmälan flyttas (minst 3 tecken).", 400],
      [{ registrationId: eva, to: "plats" }, "Skriv varför anmälan flyttas.", 400],
      [{ registrationId: eva, to: "hemma", reason: "Test av flytt" }, "Välj vart anmälan ska flyttas.", 400],
      [{ registrationId: eva, to: "vantelista", position: "9", reason: "Test av flytt" }, "Välj en plats från 1 till 3.", 409],
      [{ registrationId: eva, to: "vantelista", position: "-1", reason: "Test av flytt" }, "Platsen på väntelistan ska vara ett heltal från 1.", 400],
      [{ registrationId: eva, to: "vantelista", position: "2", reason: "Test av flytt" }, "Eva Nord står redan på plats 2 på väntelistan.", 409],
      [{ registrationId: anna, to: "plats", reason: "Test av flytt" }, "Anna Ek har redan en plats.", 409],
      [{ registrationId: gustav, to: "plats", reason: "Test av flytt" }, "Gustav Ås har avbokat och kan inte flyttas.", 409],
    ];
    for (const [fields, message, status] of cases) {
      const response = await move(dayId, fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(await response.text(), JSON.stringify(fields)).toContain(message);
    }
    // As a browser without JavaScript gets it: the refusal at that person's form, which stays open and keeps what was written.
    const page = await (await move(dayId, { registrationId: eva, to: "vantelista", position: "-1", reason: "Test av flytt" })).text();
    expect(formField(page, `flytt-${eva}-position`)).toMatchObject({ invalid: "true", pointsToError: true, error: "Platsen på väntelistan ska vara ett heltal från 1.", value: "-1" });
    expect(formField(page, `flytt-${eva}-reason`)).toMatchObject(NO_FIELD_ERROR);
    expect(page).toMatch(/<details open=""><summary>Flytta (<!-- -->)?Eva Nord<\/summary>/);
    expect(page).toMatch(/<details><summary>Flytta (<!-- -->)?Anna Ek<\/summary>/);
    // Someone who is not an organiser, and someone signed out.
    const erik = await move(dayId, { registrationId: eva, to: "plats", reason: "Test av flytt", overbook: "on" }, cookies.erik);
    expect([403, 404]).toContain(erik.status);
    const signedOut = await portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "move", registrationId: eva, to: "plats", reason: "Test av flytt", overbook: "on" });
    expect(signedOut.status).toBe(302);
    expect(await digest()).toEqual(before);
  });
});

describe("moves and anonymisation", () => {
  it("anonymising a day's participants also clears the reasons of its moves, which may name them", async () => {
    const dayId = await createPublishedDay(1, "Kunskapsdag som anonymiseras");
    for (const name of ["Olof Vik", "Petra Vik"]) await register(dayId, name);
    const petra = await idOf(dayId, "Petra Vik");
    expect((await move(dayId, { registrationId: petra, to: "plats", reason: "Petra Vik håller ett pass", overbook: "on" })).status).toBe(200);
    const [{ endsAt }] = await rows<{ endsAt: string }>(db(), sql`select ends_at as "endsAt" from kunskapsdagar where id = ${dayId}`);
    await anonymiseKunskapsdagar(db(), new Date(new Date(endsAt).getTime() + 91 * 86_400_000), 90);
    const moves = await db().select().from(kunskapsdagRegistrationMoves).where(eq(kunskapsdagRegistrationMoves.kunskapsdagId, dayId));
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ reason: "", fromStatus: "vantelista", toStatus: "bekraftad", movedByName: "Amina Hassan" });
    expect(JSON.stringify(moves)).not.toContain("Petra");
  });
});

describe("moves and cancellations at the same moment", () => {
  it("two cancellations and a manual move at once: each freed seat goes to exactly one person, once", async () => {
    const dayId = await createPublishedDay(3, "Kunskapsdag med samtidiga ändringar");
    for (const name of ["P1 Ahl", "P2 Ahl", "P3 Ahl", "V1 Ahl", "V2 Ahl", "V3 Ahl", "V4 Ahl"]) await register(dayId, name);
    const [p1, p2, p3, v4] = await Promise.all(["P1 Ahl", "P2 Ahl", "P3 Ahl", "V4 Ahl"].map((name) => idOf(dayId, name)));
    const cancel = (id: string) => portal.post(`/kunskapsdagar/anmalan/${manageToken({ registrationId: id, expires: new Date(Date.now() + 60 * 86_400_000) })}`, { intent: "cancel" });
    const responses = await Promise.all([cancel(p1), cancel(p2), move(dayId, { registrationId: p3, to: "vantelista", position: "1", reason: "Vill hellre gå nästa termin" }), move(dayId, { registrationId: v4, to: "plats", reason: "Håller i en workshop", overbook: "on" })]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const after = await state(dayId);
    // Three seats plus the one deliberate overbooking at most, never a free seat while people wait,
    // nobody both seated and waiting, and nobody moved up twice.
    expect(after.seated.length).toBeGreaterThanOrEqual(3);
    expect(after.seated.length).toBeLessThanOrEqual(4);
    expect(after.waitlist.length).toBeGreaterThan(0);
    expect(after.seated).toContain("V4 Ahl");
    expect(after.seated).not.toContain("P1 Ahl");
    expect(after.seated).not.toContain("P2 Ahl");
    expect(new Set([...after.seated, ...after.waitlist]).size).toBe(after.seated.length + after.waitlist.length);
    const promotions = await rows<{ registration: string; n: number }>(
      db(),
      sql`select props->>'registrationId' as registration, count(*)::int as n from emails where template = 'kunskapsdag-registration' and props->>'kind' = 'flyttad-upp' and props->>'registrationId' in (select id::text from kunskapsdag_registrations where kunskapsdag_id = ${dayId}) group by 1`,
    );
    expect(promotions.every((row) => row.n === 1)).toBe(true);
    const seatedIds = (await registrationsOf(dayId)).filter((row) => row.status === "bekraftad").map((row) => row.id);
    for (const row of promotions) expect(seatedIds).toContain(row.registration);
  });
});

describe("a hold time for a seat offered from the waitlist", () => {
  it("the first on the waitlist is offered a freed seat, confirms it through the link, and the seat is theirs", async () => {
    const dayId = await createPublishedDay(1, "Kunskapsdag med betänketid", { offerHoldHours: "24" });
    for (const name of ["Hanna Ro", "Ivar Ro", "Jonna Ro"]) await register(dayId, name);
    const [hanna, ivar] = await Promise.all(["Hanna Ro", "Ivar Ro"].map((name) => idOf(dayId, name)));
    const before = Date.now();
    expect((await portal.post(manageUrl(hanna), { intent: "cancel" })).status).toBe(200);
    const [offered] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, ivar));
    expect(offered.status).toBe("erbjuden");
    // Held for 24 hours from the cancellation.
    expect(Math.abs(offered.offeredUntil!.getTime() - (before + 24 * 3_600_000))).toBeLessThan(60_000);
    expect(await kinds(ivar)).toEqual(["vantelista", "erbjuden"]);
    const offerMail = await loadRegistrationEmail(db(), (await mailsOf(ivar))[1].props as RegistrationEmailStored);
    expect(offerMail).toMatchObject({ kind: "erbjuden", checkinQr: null, ics: null });
    expect(offerMail?.offeredUntil).toMatch(/^\d{1,2} [a-zé]+\.? \d{4} \d{2}:\d{2}$/);
    expect(offerMail?.manageUrl).toContain("/kunskapsdagar/anmalan/");

    // The held seat is taken: a new registrant waits, and the public page counts no free seat.
    await register(dayId, "Kalle Ro");
    expect((await state(dayId)).waitlist).toEqual(["Jonna Ro", "Kalle Ro"]);
    const page = await (await portal.fetch(manageUrl(ivar))).text();
    expect(page).toContain("En plats är ledig för dig");

    const confirmed = await portal.post(manageUrl(ivar), { intent: "confirmOffer" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Tack! Din plats är bekräftad.");
    expect(await state(dayId)).toEqual({ seated: ["Ivar Ro"], waitlist: ["Jonna Ro", "Kalle Ro"] });
    expect(await kinds(ivar)).toEqual(["vantelista", "erbjuden", "flyttad-upp"]);

    await mailSettled(db());
    const unchanged = await digest();
    const again = await portal.post(manageUrl(ivar), { intent: "confirmOffer" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Du har redan en bekräftad plats.");
    const notOffered = await portal.post(manageUrl(await idOf(dayId, "Kalle Ro")), { intent: "confirmOffer" });
    expect(notOffered.status).toBe(409);
    expect(await notOffered.text()).toContain("Du har inget erbjudande om plats att bekräfta just nu.");
    expect(await digest()).toEqual(unchanged);
  });

  it("an offer not confirmed in time lapses: the person leaves the list, the next is offered the seat, each mail once", async () => {
    const dayId = await createPublishedDay(1, "Kunskapsdag där tiden går ut", { offerHoldHours: "48" });
    for (const name of ["Lars Ny", "Maja Ny", "Nils Ny"]) await register(dayId, name);
    const [lars, maja, nils] = await Promise.all(["Lars Ny", "Maja Ny", "Nils Ny"].map((name) => idOf(dayId, name)));
    expect((await portal.post(manageUrl(lars), { intent: "cancel" })).status).toBe(200);
    const [offer] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, maja));
    const deadline = offer.offeredUntil!;

    // Before the deadline nothing lapses.
    expect(await lapseKunskapsdagOffers(db(), new Date(deadline.getTime() - 60_000))).toEqual({ lapsed: 0, offered: 0 });
    expect((await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, maja)))[0].status).toBe("erbjuden");

    // Past it, two scans at once lapse it once and offer the seat to the next once.
    const later = new Date(deadline.getTime() + 60_000);
    const results = await Promise.all([lapseKunskapsdagOffers(db(), later), lapseKunskapsdagOffers(db(), later)]);
    expect(results.reduce((sum, result) => sum + result.lapsed, 0)).toBe(1);
    expect(results.reduce((sum, result) => sum + result.offered, 0)).toBe(1);
    const after = await registrationsOf(dayId);
    expect(after.find((row) => row.id === maja)).toMatchObject({ status: "avbokad", offeredUntil: null });
    const next = after.find((row) => row.id === nils)!;
    expect(next.status).toBe("erbjuden");
    // The next offer's 48 hours run from the scan's clock.
    expect(next.offeredUntil!.getTime()).toBe(later.getTime() + 48 * 3_600_000);
    expect(await kinds(maja)).toEqual(["vantelista", "erbjuden", "erbjudande-utgatt"]);
    expect(await kinds(nils)).toEqual(["vantelista", "erbjuden"]);
    expect(await lapseKunskapsdagOffers(db(), later)).toEqual({ lapsed: 0, offered: 0 });

    // The lapsed link can no longer take the seat.
    await mailSettled(db());
    const unchanged = await digest();
    const late = await portal.post(manageUrl(maja), { intent: "confirmOffer" });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Anmälan är redan avbokad.");
    expect(await digest()).toEqual(unchanged);
    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "kunskapsdag.offerLapsed"), eq(auditEvents.entityId, dayId)));
    expect(audit.summary).toContain("1 erbjuden plats på kunskapsdagen Kunskapsdag där tiden går ut bekräftades inte i tid");
  });

  it("a cancelled day hands out no more seats: the person holding an offer is told, and the offer does not pass on when it runs out", async () => {
    const dayId = await createPublishedDay(1, "Kunskapsdag som ställs in", { offerHoldHours: "24" });
    for (const name of ["Olle In", "Petra In", "Quintus In"]) await register(dayId, name);
    const [olle, petra, quintus] = await Promise.all(["Olle In", "Petra In", "Quintus In"].map((name) => idOf(dayId, name)));
    expect((await portal.post(manageUrl(olle), { intent: "cancel" })).status).toBe(200);
    const [offer] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, petra));
    expect(offer.status).toBe("erbjuden");

    expect((await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "installd" }, { cookie: cookies.amina })).status).toBe(200);
    const cancellations = await db()
      .select()
      .from(emails)
      .where(and(eq(emails.template, "kunskapsdag-followup"), sql`${emails.props}->>'kind' = 'installd'`, sql`${emails.props}->>'registrationId' in (${petra}, ${quintus})`));
    expect(cancellations.map((mail) => mail.toAddress).sort()).toEqual(["petra.in@exempel.se", "quintus.in@exempel.se"]);

    // The hold runs out after the cancellation: nothing lapses and nobody is offered the seat.
    const later = new Date(offer.offeredUntil!.getTime() + 60_000);
    expect(await lapseKunskapsdagOffers(db(), later)).toEqual({ lapsed: 0, offered: 0 });
    const after = await registrationsOf(dayId);
    expect(after.find((row) => row.id === quintus)?.status).toBe("vantelista");
    expect(after.filter((row) => row.status === "bekraftad")).toEqual([]);
    expect(await kinds(quintus)).toEqual(["vantelista"]);
    expect(await kinds(petra)).toEqual(["vantelista", "erbjuden"]);
    // Nor can the offer still be taken through the link.
    const late = await portal.post(manageUrl(petra), { intent: "confirmOffer" });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Kunskapsdagen är inställd.");
  });

  it("while a seat is on offer the overview offers to overbook; the offer stays, and declining it later moves nobody up on the overbooked day", async () => {
    const dayId = await createPublishedDay(2, "Kunskapsdag med erbjuden plats och överbokning", { offerHoldHours: "24" });
    for (const name of ["Rut Ek", "Sara Ek", "Tor Ek", "Ulf Ek", "Vera Ek"]) await register(dayId, name);
    const [rut, tor, ulf, vera] = await Promise.all(["Rut Ek", "Tor Ek", "Ulf Ek", "Vera Ek"].map((name) => idOf(dayId, name)));
    expect((await portal.post(manageUrl(rut), { intent: "cancel" })).status).toBe(200);
    const [offer] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.id, tor));
    expect(offer.status).toBe("erbjuden");

    // One seat confirmed and one held for Tor: full, as the server counts it, so the box is there.
    const { page, row } = await overviewRow(dayId, ulf);
    expect(page).toContain("Erbjudna, väntar på bekräftelse");
    expect(row).toContain("Jag vill överboka kunskapsdagen");
    expect(row).toContain("En plats är erbjuden till någon på väntelistan och räknas som tagen");
    const refused = await move(dayId, { registrationId: ulf, to: "plats", reason: "Håller ett pass" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Kunskapsdagen är fullbokad.");

    const moved = await move(dayId, { registrationId: ulf, to: "plats", reason: "Håller ett pass", overbook: "on" });
    expect(moved.status).toBe(200);
    // Tor keeps the offer, with the same deadline and no further mail; the day is overbooked by one.
    const after = await registrationsOf(dayId);
    expect(after.find((registration) => registration.id === tor)).toMatchObject({ status: "erbjuden", offeredUntil: offer.offeredUntil });
    expect(await kinds(tor)).toEqual(["vantelista", "erbjuden"]);
    expect(await state(dayId)).toEqual({ seated: ["Sara Ek", "Ulf Ek"], waitlist: ["Vera Ek"] });
    const [{ taken }] = await rows<{ taken: number }>(db(), sql`select count(*)::int as taken from kunskapsdag_registrations where kunskapsdag_id = ${dayId} and status in ('bekraftad', 'erbjuden')`);
    expect(taken).toBe(3);

    // Tor declines: that frees no seat on a day overbooked by one, so Vera is not offered one.
    expect((await portal.post(manageUrl(tor), { intent: "cancel" })).status).toBe(200);
    expect(await state(dayId)).toEqual({ seated: ["Sara Ek", "Ulf Ek"], waitlist: ["Vera Ek"] });
    expect(await kinds(vera)).toEqual(["vantelista"]);
  });

  it("someone holding an offer declines the offered place: worded so on the link's page, in the answer and in the mails, and they leave the waitlist", async () => {
    const title = "Kunskapsdag där platsen avböjs";
    const dayId = await createPublishedDay(1, title, { offerHoldHours: "48" });
    for (const name of ["Wilma Al", "Xander Al", "Yngve Al"]) await register(dayId, name);
    const [wilma, xander, yngve] = await Promise.all(["Wilma Al", "Xander Al", "Yngve Al"].map((name) => idOf(dayId, name)));
    expect((await portal.post(manageUrl(wilma), { intent: "cancel" })).status).toBe(200);

    const offered = await (await portal.fetch(manageUrl(xander))).text();
    expect(offered).toContain("Tacka nej till platsen");
    expect(offered).toContain("annars går den vidare till nästa på väntelistan och du står");
    expect(offered).not.toContain("Lämna väntelistan");
    // A plain waitlist place is still left as before.
    expect(await (await portal.fetch(manageUrl(yngve))).text()).toContain("Lämna väntelistan");

    const declined = await portal.post(manageUrl(xander), { intent: "cancel" });
    expect(declined.status).toBe(200);
    const answer = await declined.text();
    expect(answer).toContain("Du har tackat nej till platsen och står inte längre kvar på väntelistan.");
    expect(answer).not.toContain("Du har lämnat väntelistan");
    // Declining takes them off the waitlist (as a lapse does) and offers the seat to the next.
    expect((await registrationsOf(dayId)).map((registration) => [registration.name, registration.status])).toEqual([
      ["Wilma Al", "avbokad"],
      ["Xander Al", "avbokad"],
      ["Yngve Al", "erbjuden"],
    ]);
    expect(await kinds(xander)).toEqual(["vantelista", "erbjuden", "tackat-nej"]);
    const [{ summary }] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "kunskapsdag.cancelRegistration"), eq(auditEvents.entityId, dayId), sql`${auditEvents.changes}->'after'->>'registrationId' = ${xander}`));
    expect(summary).toBe(`En person tackade nej till en erbjuden plats på kunskapsdagen ${title}`);

    await mailSettled(db());
    const [offerMail, declineMail] = (await mailsOf(xander)).slice(1);
    expect(declineMail.subject).toBe(`Du har tackat nej till platsen: ${title}`);
    const declineText = await (await portal.fetch(`/dev/mail/${declineMail.id}`)).text();
    expect(declineText).toContain("Du har tackat nej till den erbjudna platsen på kunskapsdagen och står inte längre kvar på väntelistan.");
    expect(declineText).not.toContain("Du har lämnat väntelistan");
    const offerText = await (await portal.fetch(`/dev/mail/${offerMail.id}`)).text();
    expect(offerText).toContain("tacka nej till platsen");
    expect(offerText).toContain("Om du inte bekräftar i tid går platsen vidare till nästa på väntelistan och du står inte längre kvar på väntelistan.");
  });

  it("a waitlist place says truthfully what happens when a seat is freed: given at once, or offered and held for the day's time to confirm", async () => {
    const cases = [
      { offerHoldHours: "48", says: "Om en plats blir ledig erbjuds den till nästa på väntelistan i ett mejl, och då har du 48 timmar på dig att bekräfta den.", title: "Kunskapsdag med 48 timmars betänketid" },
      { offerHoldHours: "", says: "Om en plats blir ledig får du den automatiskt och ett mejl om det.", title: "Kunskapsdag utan betänketid" },
    ];
    for (const { offerHoldHours, says, title } of cases) {
      const dayId = await createPublishedDay(1, title, { offerHoldHours });
      await register(dayId, `Först ${offerHoldHours || "direkt"}`);
      expect(await (await portal.fetch(`/kunskapsdagar/${dayId}`)).text()).toContain(says);
      expect(await register(dayId, `Väntar ${offerHoldHours || "direkt"}`)).toContain(says);
      await mailSettled(db());
      const [waitlistMail] = await mailsOf(await idOf(dayId, `Väntar ${offerHoldHours || "direkt"}`));
      const text = await (await portal.fetch(`/dev/mail/${waitlistMail.id}`)).text();
      expect(text).toContain(says);
      expect(text).not.toContain(cases.find((other) => other.says !== says)!.says);
    }
  });

  it("a refused hold time value is a clear error and stores no day", async () => {
    const before = await tableDigest(db(), ["kunskapsdagar"]);
    const response = await portal.post(
      "/kunskapsdagar/ny",
      soonKunskapsdagForm(stadsledningskontoret, 10, { title: "Kunskapsdag med fel betänketid", offerHoldHours: "5" }),
      { cookie: cookies.amina },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Välj ingen tid, 24 timmar eller 48 timmar.");
    expect(await tableDigest(db(), ["kunskapsdagar"])).toEqual(before);
  });
});

describe("the organisers' section of the kunskapsdagar list", () => {
  it("lists only the days the person may run, each of whose management page opens, and is left out for a member who runs none", async () => {
    const [{ id: policeDistrict }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Lokalpolisområde Järva"));
    // Shared with Erik's organisation: he sees the day, but only its leads and organisers run it.
    const shared = await createPublishedDay(20, "Kunskapsdag delad med polisen", { sharedWithOrganisationIds: policeDistrict });
    expect((await portal.fetch(`/kunskapsdagar/${shared}/hantera`, { cookie: cookies.erik })).status).toBe(403);
    const manageLinks = (page: string) => [...page.matchAll(/href="(\/kunskapsdagar\/[0-9a-f-]{36}\/hantera)"/g)].map((match) => match[1]);

    const eriksList = await (await portal.fetch("/kunskapsdagar", { cookie: cookies.erik })).text();
    expect(eriksList).toContain("Kunskapsdag delad med polisen");
    expect(manageLinks(eriksList)).toEqual([]);
    expect(eriksList).not.toContain("För arrangörer");

    // Made an organiser of another day, Erik gets the section with that day only, and it opens.
    const his = await createPublishedDay(20, "Kunskapsdag som Erik arrangerar", { sharedWithOrganisationIds: policeDistrict, organiserEmails: ERIK });
    const withOwn = await (await portal.fetch("/kunskapsdagar", { cookie: cookies.erik })).text();
    expect(withOwn).toContain("För arrangörer");
    expect(manageLinks(withOwn)).toEqual([`/kunskapsdagar/${his}/hantera`]);
    expect((await portal.fetch(`/kunskapsdagar/${his}/hantera`, { cookie: cookies.erik })).status).toBe(200);

    // The owner's samordnare runs both.
    const aminasList = manageLinks(await (await portal.fetch("/kunskapsdagar", { cookie: cookies.amina })).text());
    expect(aminasList).toEqual(expect.arrayContaining([`/kunskapsdagar/${shared}/hantera`, `/kunskapsdagar/${his}/hantera`]));
  });
});

describe("series and a new day based on an earlier one", () => {
  const SERIES = "Kunskapsdag om brottsförebyggande arbete – varje termin";

  it("the new-day form is prefilled from the earlier day without its dates, and nothing is stored until it is saved", async () => {
    const sourceId = await createPublishedDay(40, "Kunskapsdag hösten", { series: SERIES, offerHoldHours: "48", questions: "kost", reminderDaysBefore: "3" });
    const before = await tableDigest(db(), ["kunskapsdagar", "kunskapsdag_programme_items", "kunskapsdag_organisers"]);
    const response = await portal.fetch(`/kunskapsdagar/ny?utifran=${sourceId}`, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Uppgifterna är hämtade från");
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(page)?.[0] ?? "";
    expect(input("title")).toContain('value="Kunskapsdag hösten"');
    expect(input("series")).toContain(`value="${SERIES}"`);
    expect(input("capacity")).toContain('value="40"');
    expect(input("place")).toContain('value="Stadshuset"');
    expect(input("reminderDaysBefore")).toContain('value="3"');
    expect(page).toMatch(/<option value="48" selected="">48 timmar<\/option>/);
    expect(page).toContain(LENA);
    expect(page).toContain('value="Välkommen"');
    // The dates are left for the organiser.
    expect(input("date")).not.toMatch(/value="\d/);
    expect(input("registrationOpens")).not.toMatch(/value="\d/);
    expect(await tableDigest(db(), ["kunskapsdagar", "kunskapsdag_programme_items", "kunskapsdag_organisers"])).toEqual(before);

    // Someone who does not run the day cannot copy it; a malformed id is a 404.
    expect((await portal.fetch(`/kunskapsdagar/ny?utifran=${sourceId}`, { cookie: cookies.erik })).status).toBe(403);
    expect((await portal.fetch(`/kunskapsdagar/ny?utifran=inte-ett-id`, { cookie: cookies.amina })).status).toBe(404);
  });

  it("the public page lists the other coming days of the same series", async () => {
    const spring = await createPublishedDay(30, "Kunskapsdag våren", { series: SERIES });
    const other = await createPublishedDay(30, "Kunskapsdag utan serie");
    const page = await (await portal.fetch(`/kunskapsdagar/${spring}`)).text();
    expect(page).toContain(`Fler kunskapsdagar i serien ${SERIES}`);
    expect(page).toContain("Kunskapsdag hösten");
    expect(page).not.toContain("Kunskapsdag utan serie");
    expect(await (await portal.fetch(`/kunskapsdagar/${other}`)).text()).not.toContain("Fler kunskapsdagar i serien");
  });
});
