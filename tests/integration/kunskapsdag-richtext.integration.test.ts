import { and, asc, eq, sql } from "drizzle-orm";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails, kunskapsdagar, kunskapsdagRegistrations, organisations } from "../../db/schema";
import { tableDigest } from "../support/digest";
import { kunskapsdagForm } from "../support/kunskapsdag";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

/**
 * The kunskapsdag description as rich text: the editor's JSON is checked against an allow-list,
 * rendered on the public and organiser pages by our own renderer, and reaches mails and the
 * calendar file as plain text; old plain-text descriptions still read as paragraphs.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare in Stadsledningskontoret

let portal: TestPortal;
const db = () => portal.portal.db;
let cookie = "";
let stadsledningskontoret: string;

const TABLES = ["kunskapsdagar", "kunskapsdag_programme_items", "kunskapsdag_organisers", "audit_events", "emails"];

const text = (value: string, marks?: unknown[]) => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: unknown[]) => ({ type: "paragraph", content });
const doc = (...content: unknown[]) => JSON.stringify({ type: "doc", content });

const RICH = doc(
  { type: "heading", attrs: { level: 2 }, content: [text("Om dagen")] },
  paragraph(text("Vi går igenom "), text("lagen", [{ type: "bold" }]), text(" och "), text("samverkan", [{ type: "italic" }]), text(".")),
  { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("Lägesbild"))] }, { type: "listItem", content: [paragraph(text("Åtgärdsplan"))] }] },
  { type: "orderedList", attrs: { start: 1, type: null }, content: [{ type: "listItem", content: [paragraph(text("Anmäl dig"))] }] },
  { type: "heading", attrs: { level: 3 }, content: [text("Läs mer")] },
  paragraph(text("Trygghetsprogrammet", [{ type: "link", attrs: { href: "https://start.stockholm/trygghet", target: "_blank", rel: "noopener noreferrer nofollow", class: null } }])),
);

function dayForm(overrides: Record<string, string | string[]> = {}) {
  return kunskapsdagForm(stadsledningskontoret, { title: "Kunskapsdag med formaterad beskrivning", descriptionDoc: RICH, capacity: "20", ...overrides });
}

async function createDay(overrides: Record<string, string | string[]> = {}) {
  const response = await portal.post("/kunskapsdagar/ny", dayForm(overrides), { cookie });
  expect(response.status, await response.clone().text().then((body) => body.slice(0, 400))).toBe(302);
  return /\/kunskapsdagar\/([0-9a-f-]{36})\/hantera$/.exec(response.headers.get("location") ?? "")![1];
}

async function publish(id: string) {
  expect((await portal.post(`/kunskapsdagar/${id}/hantera`, { intent: "status", to: "publicerad" }, { cookie })).status).toBe(200);
}

beforeAll(async () => {
  portal = await startTestPortal();
  cookie = await portal.signInAs(AMINA);
  [{ id: stadsledningskontoret }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
});

afterAll(async () => {
  await portal?.close();
});

describe("rich-text description of a kunskapsdag", () => {
  let dayId: string;

  it("the public page and the organiser page show headings, bold, italic, lists and a safe link", async () => {
    dayId = await createDay();
    await publish(dayId);
    const [day] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, dayId));
    // The editor's extra link attributes are not kept; the plain copy is there for mails.
    expect(JSON.stringify(day.descriptionDoc)).not.toContain("_blank");
    expect(day.description).toContain("Trygghetsprogrammet (https://start.stockholm/trygghet)");
    for (const path of [`/kunskapsdagar/${dayId}`, `/kunskapsdagar/${dayId}/hantera`]) {
      const page = await (await portal.fetch(path, { cookie })).text();
      expect(page).toContain("<h2><span>Om dagen</span></h2>");
      expect(page).toContain("<h3><span>Läs mer</span></h3>");
      expect(page).toContain("<strong>lagen</strong>");
      expect(page).toContain("<em>samverkan</em>");
      expect(page).toMatch(/<ul><li><p><span>Lägesbild<\/span><\/p><\/li><li><p><span>Åtgärdsplan<\/span><\/p><\/li><\/ul>/);
      expect(page).toMatch(/<ol start="1"><li><p><span>Anmäl dig<\/span><\/p><\/li><\/ol>/);
      expect(page).toContain('<span><a href="https://start.stockholm/trygghet" rel="noopener noreferrer">Trygghetsprogrammet</a></span>');
    }
  });

  it("the confirmation mail and its calendar file carry the description as plain text", async () => {
    const response = await portal.post(`/kunskapsdagar/${dayId}`, { name: "Sara Lind", email: "sara.lind@exempel.se", organisationId: stadsledningskontoret, organisationOther: "", consent: "on" });
    expect(response.status).toBe(200);
    const [registration] = await db().select().from(kunskapsdagRegistrations).where(eq(kunskapsdagRegistrations.kunskapsdagId, dayId));
    const mail = await waitFor(
      async () =>
        (
          await db()
            .select()
            .from(emails)
            .where(and(eq(emails.template, "kunskapsdag-registration"), sql`${emails.props}->>'registrationId' = ${registration.id}`))
            .orderBy(asc(emails.createdAt))
        ).find((row) => row.status === "sent"),
      "the confirmation to be sent",
      120_000,
    );
    const view = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
    expect(view).toContain("Vi går igenom lagen och samverkan.");
    expect(view).toContain("• Lägesbild");
    expect(view).toContain("1. Anmäl dig");
    expect(view).not.toContain("&lt;strong");
    const ics = await (await portal.fetch(`/dev/mail/${mail.id}/bilagor/0`)).text();
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent("vevent")!);
    expect(event.description).toContain("Om dagen\n\nVi går igenom lagen och samverkan.");
    expect(event.description).toContain("Trygghetsprogrammet (https://start.stockholm/trygghet)");
    expect(event.description).not.toContain('"type"');
  }, 180_000);

  const refused: Array<[string, string, string]> = [
    ["a script node", doc({ type: "script", content: [text("alert(1)")] }), "Beskrivningen innehåller en del som inte är tillåten (”script”)"],
    ["an unknown node", doc({ type: "image", attrs: { src: "https://exempel.se/a.png" } }), "Beskrivningen innehåller en del som inte är tillåten (”image”)"],
    ["an unknown mark", doc(paragraph(text("x", [{ type: "code" }]))), "Beskrivningen innehåller en formatering som inte är tillåten (”code”)"],
    ["a javascript: link", doc(paragraph(text("klicka", [{ type: "link", attrs: { href: "javascript:alert(1)" } }]))), "Länkar i beskrivningen måste börja med https://, http:// eller mailto:."],
    ["a heading of level 1", doc({ type: "heading", attrs: { level: 1 }, content: [text("Stor")] }), "Rubriker i beskrivningen kan bara vara rubrik eller underrubrik."],
    ["oversized JSON", doc(...Array.from({ length: 700 }, () => paragraph(text("Ett ganska långt stycke om samverkan i staden.")))), "Beskrivningen är för stor."],
    ["text that is not JSON", "<p onclick=alert(1)>hej</p>", "Beskrivningen kunde inte läsas."],
  ];

  it.each(refused)("a description with %s is refused with a Swedish message and nothing is stored", async (_what, descriptionDoc, message) => {
    const before = await tableDigest(db(), TABLES);
    const create = await portal.post("/kunskapsdagar/ny", dayForm({ descriptionDoc }), { cookie });
    expect(create.status).toBe(400);
    expect(await create.text()).toContain(message);
    const edit = await portal.post(`/kunskapsdagar/${dayId}/redigera`, dayForm({ descriptionDoc }), { cookie });
    expect(edit.status).toBe(400);
    expect(await edit.text()).toContain(message);
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });

  it("without JavaScript the textarea's plain text becomes paragraphs with line breaks", async () => {
    const id = await createDay({ descriptionDoc: "", description: "Första raden\nandra raden\n\n<script>alert(1)</script>" });
    const [day] = await db().select().from(kunskapsdagar).where(eq(kunskapsdagar.id, id));
    expect(day.descriptionDoc).toEqual({
      type: "doc",
      content: [
        { type: "paragraph", content: [text("Första raden"), { type: "hardBreak" }, text("andra raden")] },
        { type: "paragraph", content: [text("<script>alert(1)</script>")] },
      ],
    });
    const page = await (await portal.fetch(`/kunskapsdagar/${id}`, { cookie })).text();
    expect(page).toContain("<p><span>Första raden</span><br/><span>andra raden</span></p>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
  });

  it("a description written before rich text still shows as paragraphs, and the edit form starts from it", async () => {
    const id = await createDay();
    await db().update(kunskapsdagar).set({ description: "Gammalt stycke ett.\n\nGammalt stycke två.", descriptionDoc: null }).where(eq(kunskapsdagar.id, id));
    const page = await (await portal.fetch(`/kunskapsdagar/${id}`, { cookie })).text();
    expect(page).toContain("<p><span>Gammalt stycke ett.</span></p><p><span>Gammalt stycke två.</span></p>");
    const form = await (await portal.fetch(`/kunskapsdagar/${id}/redigera`, { cookie })).text();
    expect(form).toContain("Gammalt stycke ett.\n\nGammalt stycke två.</textarea>");
  });
});
