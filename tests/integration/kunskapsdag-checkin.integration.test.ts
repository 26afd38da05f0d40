import { and, asc, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import jsQR from "jsqr";
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { emails, kunskapsdagCheckins, kunskapsdagRegistrations, organisations } from "../../db/schema";
import { checkinToken } from "../../app/domain/kunskapsdagar/checkin.server";
import { manageToken } from "../../app/domain/kunskapsdagar/manage-links.server";
import { rows, tableDigest } from "../support/digest";
import { liveSockets } from "../support/live-socket";
import { soonKunskapsdagForm } from "../support/kunskapsdag";
import { formField, NO_FIELD_ERROR } from "../support/html";
import { startTestPortal, type TestPortal } from "../support/portal";
import { stockholmDay, waitFor } from "../support/wait";

/**
 * Check-in on a kunskapsdag and the organisers' overview: ticking people present from the list or
 * by the QR code of the confirmation mail, two organisers at once with a live count, refused codes,
 * exports read back, a message to everyone registered, and who may do any of it.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret, creates the day
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm member, a second organiser of the day
const ERIK = "erik.sandberg@demo.polisen.se"; // police member, not an organiser
const JOHAN = "johan.ek@demo.stockholm.se"; // admin of another organisation (Järva)

/** PNG decoding with pngjs (the one qrcode uses; it ships without types). */
const { PNG } = createRequire(import.meta.url)("pngjs") as { PNG: { sync: { read(data: Buffer): { width: number; height: number; data: Buffer } } } };

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { amina: "", lena: "", erik: "", johan: "" };
let stadsledningskontoret: string;
let dayId: string;
const live = liveSockets(() => portal.url);

const TABLES = ["kunskapsdagar", "kunskapsdag_registrations", "kunskapsdag_checkins", "audit_events"];
async function digest() {
  const mails = await rows<{ n: number; ids: string }>(db(), sql`select count(*)::int as n, md5(coalesce(string_agg(idempotency_key || ':' || to_address, ',' order by idempotency_key), '')) as ids from emails`);
  return { ...(await tableDigest(db(), TABLES)), emails: `${mails[0].n}:${mails[0].ids}` };
}

async function createPublishedDay(capacity: number) {
  const response = await portal.post(
    "/kunskapsdagar/ny",
    soonKunskapsdagForm(stadsledningskontoret, capacity, { questions: ["titel", "kost"], organiserEmails: LENA }),
    { cookie: cookies.amina },
  );
  expect(response.status, await response.clone().text().then((text) => text.slice(0, 400))).toBe(302);
  const id = /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "")![1];
  expect((await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
  return id;
}

async function register(id: string, index: number, overrides: Record<string, string> = {}) {
  const response = await portal.post(`/kunskapsdagar/${id}`, {
    name: `Deltagare ${index}`,
    email: `deltagare${index}@exempel.se`,
    organisationId: stadsledningskontoret,
    organisationOther: "",
    jobTitle: "Handläggare",
    dietaryNeeds: "",
    consent: "on",
    ...overrides,
  });
  expect(response.status).toBe(200);
}

async function registrationsOf(id: string) {
  return db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, id)).orderBy(asc(kunskapsdagRegistrations.arrival));
}

async function presentIds(id: string) {
  return (await db().select().from(kunskapsdagCheckins).where(eq(kunskapsdagCheckins.kunskapsdagId, id))).map((row) => row.registrationId).sort();
}

const presence = (registrationId: string, present: "ja" | "nej", cookie = cookies.amina) =>
  portal.post(`/kunskapsdagar/${dayId}/incheckning`, { intent: "presence", registrationId, present }, { cookie });
const byCode = (code: string, cookie = cookies.amina) => portal.post(`/kunskapsdagar/${dayId}/incheckning`, { intent: "code", code }, { cookie });

afterEach(() => live.closeAll());

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.amina = await portal.signInAs(AMINA);
  cookies.lena = await portal.signInAs(LENA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.johan = await portal.signInAs(JOHAN);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
  dayId = await createPublishedDay(10);
  // Ten seats, twelve people: two on the waitlist. One answers with something a spreadsheet would run.
  for (let index = 1; index <= 12; index++) {
    await register(dayId, index, index === 3 ? { jobTitle: '=HYPERLINK("http://evil.example","klicka")', dietaryNeeds: "Vegetarisk" } : index === 4 ? { organisationId: "annan", organisationOther: "Brottsofferjouren" } : {});
  }
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe("check-in by the list", () => {
  it("the page lists everyone with a seat and the count of present out of registered", async () => {
    const response = await portal.fetch(`/kunskapsdagar/${dayId}/incheckning`, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Deltagare 1");
    expect(page).toContain("Deltagare 10");
    // The waitlisted have no seat and are not on the check-in list.
    expect(page).not.toContain("Deltagare 11");
    expect(page).toMatch(/<strong>0<\/strong> av <strong>10<\/strong> på plats/);
  });

  it("ticking someone present stores it once, a second tick is a no-op, unticking removes it", async () => {
    const [first] = await registrationsOf(dayId);
    const ticked = await presence(first.id, "ja");
    expect(ticked.status).toBe(200);
    expect(await ticked.text()).toContain("Deltagare 1 är incheckad. 1 av 10 på plats.");
    const again = await presence(first.id, "ja");
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Deltagare 1 var redan incheckad. 1 av 10 på plats.");
    expect(await presentIds(dayId)).toEqual([first.id]);
    const unticked = await presence(first.id, "nej");
    expect(await unticked.text()).toContain("är inte längre markerad som på plats. 0 av 10");
    expect(await presentIds(dayId)).toEqual([]);
  });

  it("someone on the waitlist cannot be checked in, and bad input is refused; nothing changes", async () => {
    const stored = await registrationsOf(dayId);
    const waitlisted = stored.find((row) => row.status === "vantelista")!;
    const before = await digest();
    const refused = await presence(waitlisted.id, "ja");
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("står på väntelistan");
    expect((await presence("not-an-id", "ja")).status).toBe(400);
    expect((await presence(stored[0].id, "kanske" as "ja")).status).toBe(400);
    expect((await portal.post(`/kunskapsdagar/${dayId}/incheckning`, { intent: "drop" }, { cookie: cookies.amina })).status).toBe(400);
    expect((await presence("00000000-0000-4000-8000-000000000000", "ja")).status).toBe(404);
    expect(await digest()).toEqual(before);
  });
});

describe("check-in by QR code", () => {
  it("the confirmation mail carries a QR code; the link it holds checks the person in", async () => {
    const [, second] = await registrationsOf(dayId);
    const mail = await waitFor(
      async () => (await db().select().from(emails).where(and(eq(emails.template, "kunskapsdag-registration"), sql`${emails.props}->>'registrationId' = ${second.id}`))).find((row) => row.status === "sent"),
      "the confirmation to be sent",
      120_000,
    );
    const html = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
    expect(html).toContain("QR-kod för incheckning");
    const png = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(html);
    expect(png).not.toBeNull();
    const image = PNG.sync.read(Buffer.from(png![1], "base64"));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toMatch(new RegExp(`/kunskapsdagar/${dayId}/incheckning\\?kod=`));

    // Opening the link (as a phone camera does) shows the page with the code filled in.
    const opened = await portal.fetch(new URL(decoded!.data).pathname + new URL(decoded!.data).search, { cookie: cookies.amina });
    expect(opened.status).toBe(200);
    // A handheld scanner types the whole link into the field.
    const response = await byCode(decoded!.data);
    expect(response.status).toBe(200);
    // Told in the page's status box, as a browser without JavaScript shows it after the post.
    expect(await response.text()).toMatch(/role="status" aria-live="polite">Deltagare 2 är incheckad. 1 av \d+ på plats.<\/div>/);
    expect(await presentIds(dayId)).toEqual([second.id]);
    // The bare token works too, and a second scan changes nothing.
    const again = await byCode(checkinToken({ kunskapsdagId: dayId, registrationId: second.id }));
    expect(await again.text()).toContain("Deltagare 2 var redan incheckad.");
    expect(await presentIds(dayId)).toEqual([second.id]);
  }, 180_000);

  it("tampered codes, another day's code and a waitlisted person's code are refused in Swedish and nothing changes", async () => {
    const stored = await registrationsOf(dayId);
    const third = stored[2];
    const token = checkinToken({ kunskapsdagId: dayId, registrationId: third.id });
    const otherDay = await createPublishedDay(5);
    await register(otherDay, 50);
    const [elsewhere] = await registrationsOf(otherDay);
    const before = await digest();

    const tampered = [
      `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`,
      token.replace(third.id, stored[3].id),
      `${dayId}.${third.id}`,
      "hej",
      `https://exempel.se/?kod=${token}x`,
      "x".repeat(600),
    ];
    for (const code of tampered) {
      const response = await byCode(code);
      expect(response.status, code).toBe(400);
      expect(await response.text()).toContain("Koden kunde inte läsas eller är inte giltig.");
    }
    const foreign = await byCode(checkinToken({ kunskapsdagId: otherDay, registrationId: elsewhere.id }));
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('role="alert">Koden gäller en annan kunskapsdag.</div>');
    // A valid signature over this day but someone else's registration id is still not a person here.
    const misplaced = await byCode(checkinToken({ kunskapsdagId: dayId, registrationId: elsewhere.id }));
    expect(misplaced.status).toBe(404);
    const waitlisted = stored.find((row) => row.status === "vantelista")!;
    const onWaitlist = await byCode(checkinToken({ kunskapsdagId: dayId, registrationId: waitlisted.id }));
    expect(onWaitlist.status).toBe(409);
    expect(await onWaitlist.text()).toContain("står på väntelistan");
    const empty = await byCode("   ");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Skanna eller klistra in koden.");
    expect(await digest()).toEqual(before);
  }, 120_000);

  it("a link with a broken percent escape is refused as an unreadable code, not a server error, and nothing changes", async () => {
    const before = await digest();
    for (const code of ["https://x/?kod=%E0%A4%A", "?kod=%", `https://exempel.se/kunskapsdagar/${dayId}/incheckning?kod=%ZZ`]) {
      const response = await byCode(code);
      expect(response.status, code).toBe(400);
      expect(await response.text()).toContain("Koden kunde inte läsas eller är inte giltig.");
    }
    expect(await digest()).toEqual(before);
  });
});

describe("two organisers at the same time", () => {
  it("both succeed, overlapping ticks are idempotent, the count is right and the other organiser sees it live", async () => {
    const lenaSocket = await live.connectedAs(cookies.lena);
    const events: Array<{ presentCount: number; registeredCount: number }> = [];
    lenaSocket.on("kunskapsdag:checkin", (payload) => events.push(payload));
    expect(await live.subscribe(lenaSocket, `checkin:${dayId}`)).toEqual({ ok: true });

    const confirmed = (await registrationsOf(dayId)).filter((row) => row.status === "bekraftad");
    // Amina takes the first eight, Lena the last six: four people are ticked by both at once.
    const requests = [
      ...confirmed.slice(0, 8).map((row) => presence(row.id, "ja", cookies.amina)),
      ...confirmed.slice(4, 10).map((row) => presence(row.id, "ja", cookies.lena)),
    ];
    const answers = await Promise.all(requests);
    expect(answers.map((answer) => answer.status)).toEqual(Array(14).fill(200));
    expect(await presentIds(dayId)).toEqual(confirmed.map((row) => row.id).sort());
    await waitFor(async () => events.some((event) => event.presentCount === 10 && event.registeredCount === 10), "the live count to reach 10 of 10");
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/incheckning`, { cookie: cookies.lena })).text();
    expect(page).toMatch(/<strong>10<\/strong> av <strong>10<\/strong> på plats/);
  });
});

describe("who may check in and see the overview", () => {
  it("a member of another organisation, an admin elsewhere and a visitor are refused everywhere; nothing changes", async () => {
    const [first] = await registrationsOf(dayId);
    const before = await digest();
    for (const cookie of [cookies.erik, cookies.johan]) {
      for (const path of ["incheckning", "oversikt", "anmalda.csv", "anmalda.xlsx"]) {
        expect([403, 404], path).toContain((await portal.fetch(`/kunskapsdagar/${dayId}/${path}`, { cookie })).status);
      }
      expect([403, 404]).toContain((await presence(first.id, "nej", cookie)).status);
      expect([403, 404]).toContain((await byCode(checkinToken({ kunskapsdagId: dayId, registrationId: first.id }), cookie)).status);
      expect([403, 404]).toContain((await portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "message", subject: "Hej", text: "Hej" }, { cookie })).status);
      const socket = await live.connectedAs(cookie);
      expect(await live.subscribe(socket, `checkin:${dayId}`)).toEqual({ ok: false, error: "forbidden" });
    }
    const anonymous = await portal.fetch(`/kunskapsdagar/${dayId}/incheckning`);
    expect(anonymous.status).toBe(302);
    expect(await digest()).toEqual(before);
  });
});

describe("the organisers' overview", () => {
  it("shows seats, waitlist, present and registrations per organisation and per day", async () => {
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/oversikt`, { cookie: cookies.amina })).text();
    expect(page).toContain("Anmälda per organisation");
    expect(page).toMatch(/<dt>Bekräftade<\/dt><dd>10<\/dd>/);
    expect(page).toMatch(/<dt>Väntelista<\/dt><dd>2<\/dd>/);
    expect(page).toMatch(/<dt>Incheckade<\/dt><dd>10<\/dd>/);
    expect(page).toContain("Visas när kunskapsdagen är över");
    expect(page).toMatch(/<td>Stadsledningskontoret<\/td><td>11<\/td>/);
    expect(page).toMatch(/<td>Brottsofferjouren<\/td><td>1<\/td>/);
    expect(page).toMatch(new RegExp(`<td>${stockholmDay(0)}</td><td>12</td>`));
    expect(page).toContain('role="img"');
  });

  it("exports the registrations with their answers as CSV (formulas neutralised) and as XLSX", async () => {
    const csvResponse = await portal.fetch(`/kunskapsdagar/${dayId}/anmalda.csv`, { cookie: cookies.amina });
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get("content-disposition")).toMatch(/attachment; filename="anmalda-.*\.csv"/);
    const csv = (await csvResponse.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe("Nr;Namn;E-post;Organisation;Titel eller roll;Kost;Tillgänglighet;Fritext;Status;Anmäld;Incheckad");
    const third = lines.find((line) => line.startsWith("3;"))!;
    expect(third).toContain(`'=HYPERLINK(""http://evil.example"",""klicka"")`);
    expect(third).toContain("Vegetarisk");
    expect(lines.find((line) => line.startsWith("11;"))).toContain("På väntelistan");
    expect(lines.find((line) => line.startsWith("4;"))).toContain("Brottsofferjouren");

    const xlsxResponse = await portal.fetch(`/kunskapsdagar/${dayId}/anmalda.xlsx`, { cookie: cookies.amina });
    expect(xlsxResponse.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    const sheet = workbook.getWorksheet("Anmälda")!;
    expect(sheet.rowCount).toBe(13);
    const text = (row: number, column: number) => sheet.getRow(row).getCell(column).text;
    expect(text(1, 2)).toBe("Namn");
    expect(text(4, 2)).toBe("Deltagare 3");
    expect(text(4, 3)).toBe("deltagare3@exempel.se");
    expect(text(4, 6)).toBe("Vegetarisk");
    // Stored as text, never as a formula.
    expect(sheet.getRow(4).getCell(5).formula).toBeUndefined();
    expect(text(4, 5)).toBe('=HYPERLINK("http://evil.example","klicka")');
    expect(text(4, 11)).not.toBe("");
  });

  it("sends a message to everyone registered once, with an audit event; a repeat is refused and nothing more is queued", async () => {
    const first = await portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "message", subject: "Ny lokal", text: "Vi ses i Blå hallen.\n\nVälkomna!" }, { cookie: cookies.amina });
    expect(first.status).toBe(200);
    // Shown on the page itself, as a browser without JavaScript gets it, with the form emptied.
    const sentPage = await first.text();
    expect(sentPage).toMatch(/class="alert alert--ok">Meddelandet skickas till 12 anmälda\.</);
    expect(formField(sentPage, { name: "subject" })).toMatchObject({ ...NO_FIELD_ERROR, value: "" });
    const queued = await db().select().from(emails).where(eq(emails.template, "kunskapsdag-message"));
    expect(queued).toHaveLength(12);
    expect(new Set(queued.map((mail) => mail.toAddress)).size).toBe(12);
    const [event] = await rows<{ summary: string }>(db(), sql`select summary from audit_events where action = 'kunskapsdag.message' and entity_id = ${dayId}`);
    expect(event.summary).toContain("Ny lokal");

    const before = await digest();
    const twice = await Promise.all([
      portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "message", subject: "Ny lokal", text: "Vi ses i Blå hallen.\n\nVälkomna!" }, { cookie: cookies.amina }),
      portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "message", subject: "Något annat", text: "Hej" }, { cookie: cookies.lena }),
    ]);
    for (const response of twice) {
      expect(response.status).toBe(429);
      expect(await response.text()).toContain("Vänta två minuter");
    }
    const empty = await portal.post(`/kunskapsdagar/${dayId}/oversikt`, { intent: "message", subject: " ", text: "Hej" }, { cookie: cookies.amina });
    expect(empty.status).toBe(400);
    // The subject is marked, and what was written is kept.
    const refusedPage = await empty.text();
    expect(formField(refusedPage, { name: "subject" })).toMatchObject({ invalid: "true", pointsToError: true, error: "Skriv en ämnesrad." });
    expect(refusedPage).toMatch(/<textarea[^>]*name="text"[^>]*>Hej<\/textarea>/);
    expect(await digest()).toEqual(before);

    const mail = await waitFor(async () => (await db().select().from(emails).where(eq(emails.template, "kunskapsdag-message"))).find((row) => row.status === "sent"), "a message to be sent", 120_000);
    const html = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
    expect(html).toContain("Vi ses i Blå hallen.");
  }, 180_000);
});

describe("the organisers' live rooms of a draft", () => {
  async function createDraft() {
    const response = await portal.post("/kunskapsdagar/ny", soonKunskapsdagForm(stadsledningskontoret, 5, { organiserEmails: LENA }), { cookie: cookies.amina });
    expect(response.status).toBe(302);
    return /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "")![1];
  }

  it("the organisers of a draft join its registrations and check-in rooms and see the first registration live; outsiders are refused", async () => {
    const draftId = await createDraft();
    // The management page lets the organisers in on the draft, so its live room must too.
    expect((await portal.fetch(`/kunskapsdagar/${draftId}/hantera`, { cookie: cookies.amina })).status).toBe(200);
    const aminaSocket = await live.connectedAs(cookies.amina);
    const seats: Array<{ confirmed: number; seatsLeft: number }> = [];
    aminaSocket.on("kunskapsdag:seats", (payload) => seats.push(payload));
    expect(await live.subscribe(aminaSocket, `kunskapsdag-registrations:${draftId}`)).toEqual({ ok: true });
    expect(await live.subscribe(aminaSocket, `checkin:${draftId}`)).toEqual({ ok: true });
    const lenaSocket = await live.connectedAs(cookies.lena);
    expect(await live.subscribe(lenaSocket, `kunskapsdag-registrations:${draftId}`)).toEqual({ ok: true });
    for (const cookie of [cookies.erik, cookies.johan]) {
      expect([403, 404]).toContain((await portal.fetch(`/kunskapsdagar/${draftId}/hantera`, { cookie })).status);
      const socket = await live.connectedAs(cookie);
      for (const room of [`kunskapsdag-registrations:${draftId}`, `checkin:${draftId}`]) {
        expect(await live.subscribe(socket, room), room).toEqual({ ok: false, error: "not_found" });
      }
    }

    // Registration opens with publishing; the socket that joined on the draft hears of it without joining again.
    expect((await portal.post(`/kunskapsdagar/${draftId}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
    await register(draftId, 101);
    await waitFor(async () => seats.some((event) => event.confirmed === 1 && event.seatsLeft === 4), "the organiser to hear of the registration");
    // The published day's room still refuses an outsider, now as forbidden rather than missing.
    const erikSocket = await live.connectedAs(cookies.erik);
    expect(await live.subscribe(erikSocket, `kunskapsdag-registrations:${draftId}`)).toEqual({ ok: false, error: "forbidden" });
  });

  it("a participant's own change of details reaches the organisers' pages live, with nothing personal in the message", async () => {
    const dayId = await createDraft();
    expect((await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "publicerad" }, { cookie: cookies.amina })).status).toBe(200);
    await register(dayId, 102);
    const [registration] = await registrationsOf(dayId);
    const heard: Array<{ room: string; payload: unknown }> = [];
    const organiser = await live.connectedAs(cookies.amina);
    organiser.on("kunskapsdag:registration", (payload) => heard.push({ room: "organisers", payload }));
    expect(await live.subscribe(organiser, `kunskapsdag-registrations:${dayId}`)).toEqual({ ok: true });
    expect(await live.subscribe(organiser, `checkin:${dayId}`)).toEqual({ ok: true });

    const link = `/kunskapsdagar/anmalan/${manageToken({ registrationId: registration.id, expires: new Date(Date.now() + 86_400_000) })}`;
    const details = { intent: "update", name: "Deltagare Etthundratvå Nyman", organisationId: stadsledningskontoret, organisationOther: "", jobTitle: "Handläggare", dietaryNeeds: "" };
    const saved = await portal.post(link, details);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Dina uppgifter är sparade.");
    // Once for the management page's room, once for the check-in room; the payload names the day only.
    await waitFor(async () => heard.length === 2, "the organiser to hear of the change in both rooms");
    expect(heard.map((event) => event.payload)).toEqual([{ kunskapsdagId: dayId }, { kunskapsdagId: dayId }]);
    const page = await (await portal.fetch(`/kunskapsdagar/${dayId}/hantera`, { cookie: cookies.amina })).text();
    expect(page).toContain("Deltagare Etthundratvå Nyman");

    // Saving the same details again changes nothing and tells nobody.
    expect(await (await portal.post(link, details)).text()).toContain("Inget var ändrat.");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toHaveLength(2);
  });

  it("an organiser taken off the day leaves its live rooms at once", async () => {
    const draftId = await createDraft();
    const lenaSocket = await live.connectedAs(cookies.lena);
    const lost: string[] = [];
    lenaSocket.on("access-lost", (payload: { room: string }) => lost.push(payload.room));
    expect(await live.subscribe(lenaSocket, `kunskapsdag-registrations:${draftId}`)).toEqual({ ok: true });
    expect(await live.subscribe(lenaSocket, `checkin:${draftId}`)).toEqual({ ok: true });
    const edited = await portal.post(`/kunskapsdagar/${draftId}/redigera`, soonKunskapsdagForm(stadsledningskontoret, 5, { organiserEmails: "" }), { cookie: cookies.amina });
    expect(edited.status).toBe(302);
    await waitFor(async () => lost.length === 2, "both rooms to be taken away");
    expect(lost.sort()).toEqual([`checkin:${draftId}`, `kunskapsdag-registrations:${draftId}`]);
    expect(await live.subscribe(lenaSocket, `kunskapsdag-registrations:${draftId}`)).toEqual({ ok: false, error: "not_found" });
  });
});
