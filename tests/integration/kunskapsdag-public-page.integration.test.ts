import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kunskapsdagar, organisations } from "../../db/schema";
import { kunskapsdagForm } from "../support/kunskapsdag";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * The public kunskapsdag page as anonymous readers get it, read in one statement (decision 0028):
 * a draft stays hidden, and every change shows on the next load, also one made outside the day's
 * own commands.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret

let portal: TestPortal;
const db = () => portal.portal.db;
let aminaCookie = "";
let stadsledningskontoret: string;
let dayId: string;

function dayForm(overrides: Record<string, string | string[]> = {}) {
  return kunskapsdagForm(stadsledningskontoret, {
    title: "Kunskapsdag om trygghet i skolan",
    description: "En dag om samverkan.",
    programmeTime: ["09:00", ""],
    programmeTitle: ["Välkommen", ""],
    programmeSpeaker: ["Amina Hassan", ""],
    organiserEmails: AMINA,
    ...overrides,
  });
}

const anonymousPage = async () => {
  const response = await portal.fetch(`/kunskapsdagar/${dayId}`);
  expect(response.status).toBe(200);
  return response.text();
};

beforeAll(async () => {
  portal = await startTestPortal();
  aminaCookie = await portal.signInAs(AMINA);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
  const created = await portal.post("/kunskapsdagar/ny", dayForm(), { cookie: aminaCookie });
  expect(created.status).toBe(302);
  dayId = /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(created.headers.get("location") ?? "")![1];
});

afterAll(async () => {
  await portal?.close();
});

describe("the public kunskapsdag page for anonymous readers", () => {
  it("a draft stays 404 without an account, also after its organiser has opened it", async () => {
    expect((await portal.fetch(`/kunskapsdagar/${dayId}`, { cookie: aminaCookie })).status).toBe(200);
    expect((await portal.fetch(`/kunskapsdagar/${dayId}`)).status).toBe(404);
    expect((await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "publicerad" }, { cookie: aminaCookie })).status).toBe(200);
    expect(await anonymousPage()).toContain("10 platser kvar");
  });

  it("a registration, an edit and closing registration show at once on the next load", async () => {
    expect(await anonymousPage()).toContain("Kunskapsdag om trygghet i skolan");
    const registered = await portal.post(`/kunskapsdagar/${dayId}`, {
      name: "Sara Lind",
      email: "sara.lind@exempel.se",
      organisationId: stadsledningskontoret,
      organisationOther: "",
      consent: "on",
    });
    expect(await registered.text()).toContain("Du har fått en plats");
    expect(await anonymousPage()).toContain("9 platser kvar");
    // The list of coming days counts the same seats.
    const list = await (await portal.fetch("/kunskapsdagar")).text();
    const card = list.slice(list.indexOf("Kunskapsdag om trygghet i skolan"));
    expect(card.slice(0, card.indexOf("</li>"))).toContain("9 platser kvar");

    const edited = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ title: "Trygghet i skolan – vårens kunskapsdag", programmeTitle: ["Välkommen och inledning", ""] }), { cookie: aminaCookie });
    expect(edited.status).toBe(302);
    const afterEdit = await anonymousPage();
    expect(afterEdit).toContain("Trygghet i skolan – vårens kunskapsdag");
    expect(afterEdit).toContain("Välkommen och inledning");

    expect((await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "stangd" }, { cookie: aminaCookie })).status).toBe(200);
    const closed = await anonymousPage();
    expect(closed).toContain("Anmälan är stängd.");
    expect(closed).not.toContain("Anmäl mig");
    expect((await portal.post(`/kunskapsdagar/${dayId}/hantera`, { intent: "status", to: "publicerad" }, { cookie: aminaCookie })).status).toBe(200);
    expect(await anonymousPage()).toContain("Anmäl mig");
  });

  it("a change made outside the day's commands shows at once, to anonymous and signed-in readers alike", async () => {
    expect(await anonymousPage()).toContain("Trafiknämnden</option>");
    // Nothing tells the page about these: an organisation renamed, and (straight in the database) more seats.
    await db().update(organisations).set({ name: "Trafiknämnden i Stockholm" }).where(eq(organisations.name, "Trafiknämnden"));
    await db().update(kunskapsdagar).set({ capacity: 20 }).where(eq(kunskapsdagar.id, dayId));
    const anonymous = await anonymousPage();
    expect(anonymous).toContain("19 platser kvar");
    expect(anonymous).toContain("Trafiknämnden i Stockholm</option>");
    expect(await (await portal.fetch(`/kunskapsdagar/${dayId}`, { cookie: aminaCookie })).text()).toContain("Trafiknämnden i Stockholm</option>");
  });

  it("a long Swedish text reaches the reader whole, without zero bytes where å, ä or ö meet the end of the renderer's buffer", async () => {
    // Paragraphs of many lengths, made mostly of letters of two bytes, put such letters across
    // many of the renderer's 2048-byte buffer ends, at even and odd places.
    const paragraphs = Array.from({ length: 160 }, (_, i) => `Bedömning ${i}: ${"åäö".repeat(4 + ((i * 7) % 40))}${i % 2 === 0 ? "" : "."}`);
    await db().update(kunskapsdagar).set({ description: paragraphs.join("\n\n"), descriptionDoc: null }).where(eq(kunskapsdagar.id, dayId));
    const response = await portal.fetch(`/kunskapsdagar/${dayId}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.indexOf(0), "the first zero byte").toBe(-1);
    const page = bytes.toString("utf8");
    for (const paragraph of paragraphs) expect(page).toContain(paragraph.trim());
  });
});
