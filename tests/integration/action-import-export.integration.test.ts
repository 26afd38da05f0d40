import { parse } from "csv-parse/sync";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, emails, memberships, organisations, users } from "../../db/schema";
import { rows, tableDigest } from "../support/digest";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, stockholmDay } from "../support/wait";

/**
 * Export and import of joint action lists, and who reaches what through them: exports keep
 * formulas from running in Excel, an import with every kind of bad row shows each row's problems
 * in Swedish and leaves the list as it was, a good import lands in one piece only when confirmed,
 * and a civil-society partner gets nothing of a list not shared with its organisation, neither
 * by export, comments nor mentions.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare, Stadsledningskontoret (owns the lists)
const ERIK = "erik.sandberg@demo.polisen.se"; // Lokalpolisområde Järva (shared with)
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm (not shared with)
const SARA = "sara.civil@forening.example"; // Föreningsrådet Järva (demo), civil society
const CIVIL_ORG = "Föreningsrådet Järva (demo)";

let portal: TestPortal;
const db = () => portal.portal.db;
const live = liveSockets(() => portal.url);
const cookies = { amina: "", erik: "", lena: "", sara: "" };
const org: Record<string, string> = {};
let jointListId: string; // shared with the police area and the civil-society organisation
let cityListId: string; // shared with the police area only
let jointItemId: string;
let cityItemId: string;

const TABLES = ["action_lists", "action_items", "action_item_comments", "audit_events"];
const FORMULA_TITLE = "=HYPERLINK(\"http://evil.example\",\"Klicka\")";
const SECRET_TITLE = "Kameraövervakning vid Rinkeby torg (intern)";

function uploadForm(name: string, content: string | Uint8Array, type = "text/csv") {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("file", new Blob([content as BlobPart], { type }), name);
  return form;
}

async function upload(listId: string, name: string, content: string | Uint8Array, cookie = cookies.amina) {
  return portal.fetch(`/atgardslistor/${listId}/import`, { method: "POST", body: uploadForm(name, content), cookie });
}

function decode(html: string) {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** A comment posted as the form does without JavaScript: the answer is the page with the message. */
async function comment(itemId: string, body: string, cookie: string) {
  const response = await portal.post(`/atgarder/${itemId}/kommentarer`, { intent: "comment", body }, { cookie });
  return { status: response.status, page: decode(await response.text()) };
}

/** The preview table as the person sees it: row number → the Swedish messages on that row. */
async function previewRows(location: string) {
  const page = await portal.fetch(location, { cookie: cookies.amina });
  expect(page.status).toBe(200);
  const html = decode(await page.text());
  const result = new Map<number, string[]>();
  for (const match of html.matchAll(/<th scope="row">(\d+)<\/th>(.*?)<\/tr>/gs)) {
    const errors = [...match[2].matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1]);
    result.set(Number(match[1]), errors);
  }
  return { html, rows: result };
}

const HEADER = [
  "Åtgärd",
  "Orsak/problem",
  "Beskrivning",
  "Start",
  "Klart senast",
  "Ansvarig organisation",
  "Kontaktperson e-post",
  "Medverkande organisationer",
  "Status",
  "Bedömning",
  "Fokusområde",
  "Perspektiv",
  "Typ av prevention",
];

function csvLine(cells: Partial<Record<(typeof HEADER)[number], string>>) {
  return HEADER.map((header) => {
    const value = cells[header] ?? "";
    return /[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(";");
}

const good = (title: string): Partial<Record<(typeof HEADER)[number], string>> => ({
  Åtgärd: title,
  "Orsak/problem": "Otrygghet kvällstid",
  Start: stockholmDay(1),
  "Klart senast": stockholmDay(60),
  "Ansvarig organisation": "Lokalpolisområde Järva",
  "Kontaktperson e-post": ERIK,
  Status: "Pågår",
  Bedömning: "Gul",
  Fokusområde: "Stadens offentliga miljö",
  Perspektiv: "Barn; Jämställdhet",
  "Typ av prevention": "Situationell",
});

/** One row for each kind of problem, with a fragment of the message the person must see on that row. */
const BAD_ROWS: Array<{ kind: string; cells: Partial<Record<(typeof HEADER)[number], string>>; message: string }> = [
  { kind: "missing title", cells: { ...good(""), Åtgärd: "" }, message: "Åtgärd saknas" },
  { kind: "title too long", cells: good("T".repeat(301)), message: "högst 300 tecken" },
  { kind: "date in a foreign format", cells: { ...good("Datumformat"), Start: "31/12/2026" }, message: "är inte ett datum" },
  { kind: "date that does not exist", cells: { ...good("Datum finns inte"), "Klart senast": "2026-02-30" }, message: "är ett datum som inte finns" },
  { kind: "deadline before start", cells: { ...good("Baklänges"), Start: "2026-06-01", "Klart senast": "2026-05-01" }, message: "ligger före start" },
  { kind: "date far away", cells: { ...good("Långt bort"), Start: "1999-01-01" }, message: "utanför åren 2000–2100" },
  { kind: "unknown organisation", cells: { ...good("Okänd organisation"), "Ansvarig organisation": "Påhittade förvaltningen" }, message: "finns inte i portalen" },
  { kind: "organisation without access", cells: { ...good("Ej delad"), "Ansvarig organisation": "Region Stockholm", "Kontaktperson e-post": "" }, message: "har inte tillgång till listan" },
  { kind: "unknown contributing organisation", cells: { ...good("Medverkande"), "Medverkande organisationer": "Trafiknämnden; Hittepå AB" }, message: "”Hittepå AB” finns inte i portalen" },
  {
    kind: "contributing organisation without access",
    cells: { ...good("Medverkande utan tillgång"), "Medverkande organisationer": "Region Stockholm" },
    message: "Medverkande organisationer: Region Stockholm har inte tillgång till listan",
  },
  { kind: "not an e-mail address", cells: { ...good("Ogiltig adress"), "Kontaktperson e-post": "inte-en-adress" }, message: "är ingen giltig e-postadress" },
  { kind: "unknown contact", cells: { ...good("Okänd kontakt"), "Kontaktperson e-post": "okand.person@example.se" }, message: "ingen aktiv person med adressen" },
  { kind: "contact outside the list", cells: { ...good("Kontakt utanför"), "Kontaktperson e-post": LENA }, message: "hör inte till någon organisation som listan delas med" },
  { kind: "unknown status", cells: { ...good("Status"), Status: "Halvklar" }, message: "Status: ”Halvklar” finns inte" },
  { kind: "unknown judgement", cells: { ...good("Bedömning"), Bedömning: "Blå" }, message: "Bedömning: ”Blå” finns inte" },
  { kind: "wrong focus area", cells: { ...good("Fokus"), Fokusområde: "Trafiksäkerhet" }, message: "ett av de fyra fokusområdena" },
  { kind: "unknown perspective", cells: { ...good("Perspektiv"), Perspektiv: "Barn; Ungdomar" }, message: "”Ungdomar” finns inte" },
  { kind: "unknown prevention type", cells: { ...good("Prevention"), "Typ av prevention": "Repressiv" }, message: "Social prevention eller Situationell prevention" },
  { kind: "formula injection with =", cells: { ...good("Formel"), Beskrivning: '=HYPERLINK("http://evil.example")' }, message: "skulle kunna köras som en formel" },
  { kind: "formula injection with + and @", cells: { ...good("Formel två"), "Orsak/problem": "@SUM(1+1)" }, message: "börjar med ”@”" },
  { kind: "huge cell", cells: { ...good("Jättecell"), Beskrivning: "x".repeat(6000) }, message: "texten är för lång" },
  { kind: "control characters", cells: { ...good("Styrtecken"), Beskrivning: "Text med \u0007 klocka" }, message: "osynliga styrtecken" },
  { kind: "personal identity number", cells: { ...good("Personnummer"), Beskrivning: "Gäller 19800101-1234" }, message: "personnummer" },
  { kind: "duplicate row", cells: good("Trygghetsvandring Rinkeby"), message: "kopia av rad" },
];

beforeAll(async () => {
  portal = await startTestPortal();
  for (const row of await db().select({ id: organisations.id, name: organisations.name }).from(organisations)) org[row.name] = row.id;
  const [sara] = await db().insert(users).values({ email: SARA, name: "Sara Civil", status: "active" }).returning();
  await db().insert(memberships).values({ userId: sara.id, organisationId: org[CIVIL_ORG], role: "medlem" });
  const [joint] = await db()
    .insert(actionLists)
    .values({ title: "Trygg i Järva 2026", ownerOrganisationId: org.Stadsledningskontoret, sharedWithOrganisationIds: [org["Lokalpolisområde Järva"], org[CIVIL_ORG]] })
    .returning();
  const [city] = await db()
    .insert(actionLists)
    .values({ title: "Stadens och polisens interna lista", ownerOrganisationId: org.Stadsledningskontoret, sharedWithOrganisationIds: [org["Lokalpolisområde Järva"]] })
    .returning();
  jointListId = joint.id;
  cityListId = city.id;
  const [jointItem] = await db()
    .insert(actionItems)
    .values([
      { listId: joint.id, number: 1, title: FORMULA_TITLE, cause: "+46 70 000 00 00", description: "@admin\tflik", followUpComment: "-1+2", operationalGoal: "Minst 3 trygghetsvandringar", deadline: stockholmDay(30) },
      { listId: joint.id, number: 2, title: "Belysning i gångtunneln", responsibleOrganisationId: org["Järva stadsdelsnämnd"], status: "pagar", focusArea: "stadens_offentliga_miljo", perspectives: ["barn"] },
    ])
    .returning();
  jointItemId = jointItem.id;
  const [cityItem] = await db().insert(actionItems).values({ listId: city.id, number: 1, title: SECRET_TITLE }).returning();
  cityItemId = cityItem.id;
  cookies.amina = await portal.signInAs(AMINA);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.lena = await portal.signInAs(LENA);
  cookies.sara = await portal.signInAs(SARA);
}, 120_000);

afterAll(async () => {
  live.closeAll();
  await portal?.close();
});

describe("export", () => {
  it("a CSV export holds every Brå column in Swedish and neutralises cells that would run as formulas", async () => {
    const response = await portal.fetch(`/atgardslistor/${jointListId}/export.csv`, { cookie: cookies.erik });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="atgardslista-trygg-i-jarva-2026-.*\.csv"/);
    const records = parse((await response.text()).replace(/^\uFEFF/, ""), { delimiter: ";" }) as string[][];
    expect(records[0]).toEqual(expect.arrayContaining(["Nr", "Orsak/problem", "Åtgärd", "Operativt mål", "Start", "Klart senast", "Ansvarig organisation", "Status", "Bedömning", "Fokusområde", "Perspektiv", "Typ av prevention", "Uppföljning", "Försenad"]));
    const column = (name: string) => records[0].indexOf(name);
    const first = records.find((record) => record[0] === "1")!;
    expect(first[column("Åtgärd")]).toBe(`'${FORMULA_TITLE}`);
    expect(first[column("Orsak/problem")]).toBe("'+46 70 000 00 00");
    expect(first[column("Beskrivning")]).toBe("'@admin\tflik");
    expect(first[column("Kommentar till uppföljning")]).toBe("'-1+2");
    expect(first[column("Operativt mål")]).toBe("Minst 3 trygghetsvandringar");
    // No cell of the export starts with a character a spreadsheet would evaluate.
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const second = records.find((record) => record[0] === "2")!;
    expect(second[column("Status")]).toBe("Pågår");
    expect(second[column("Fokusområde")]).toBe("Stadens offentliga miljö");
    expect(second[column("Perspektiv")]).toBe("Barn");
    expect(second[column("Ansvarig organisation")]).toBe("Järva stadsdelsnämnd");
  });

  it("an XLSX export writes every cell as text exactly as stored, none as a formula and none with an added apostrophe", async () => {
    const response = await portal.fetch(`/atgardslistor/${jointListId}/export.xlsx`, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (name: string) => sheet.getRow(2).getCell(header.indexOf(name) + 1).value;
    expect(cell("Åtgärd")).toBe(FORMULA_TITLE);
    expect(cell("Orsak/problem")).toBe("+46 70 000 00 00");
    expect(cell("Beskrivning")).toBe("@admin\tflik");
    expect(cell("Kommentar till uppföljning")).toBe("-1+2");
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula).toBeFalsy();
        expect(typeof cell.value === "string" || cell.value === null).toBe(true);
      }),
    );
  });

  it("the export honours the table's filters", async () => {
    const response = await portal.fetch(`/atgardslistor/${jointListId}/export.csv?status=pagar`, { cookie: cookies.amina });
    const text = await response.text();
    expect(text).toContain("Belysning i gångtunneln");
    expect(text).not.toContain("HYPERLINK");
  });
});

describe("a civil-society partner reaches only lists shared with its organisation", () => {
  it("exports: the shared list yes, the other list answers as missing and names nothing", async () => {
    const shared = await portal.fetch(`/atgardslistor/${jointListId}/export.csv`, { cookie: cookies.sara });
    expect(shared.status).toBe(200);
    expect(await shared.text()).toContain("Belysning i gångtunneln");
    for (const format of ["csv", "xlsx"]) {
      const refused = await portal.fetch(`/atgardslistor/${cityListId}/export.${format}`, { cookie: cookies.sara });
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain("Kameraövervakning");
    }
    // Someone from an organisation the list is not shared with at all, likewise.
    expect((await portal.fetch(`/atgardslistor/${cityListId}/export.csv`, { cookie: cookies.lena })).status).toBe(404);
    // An import page is no way in either.
    expect((await portal.fetch(`/atgardslistor/${cityListId}/import`, { cookie: cookies.sara })).status).toBe(404);
  });

  it("comments: the thread of an item in the other list is closed to her, and her comment there is refused with nothing stored", async () => {
    const before = await tableDigest(db(), TABLES);
    const page = await portal.fetch(`/atgarder/${cityItemId}/kommentarer`, { cookie: cookies.sara });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("Kameraövervakning");
    const post = await portal.post(`/atgarder/${cityItemId}/kommentarer`, { intent: "comment", body: "Hej!" }, { cookie: cookies.sara });
    expect(post.status).toBe(404);
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });

  it("mentions: mentioning her or her organisation on a list not shared with them sends her nothing and tells the writer", async () => {
    await mailSettled(db());
    const answer = await comment(cityItemId, "Kan @Sara Civil och @Föreningsrådet Järva (demo) hjälpa till? @Erik Sandberg vet mer.", cookies.amina);
    expect(answer.status).toBe(200);
    expect(answer.page).toContain("Kommentaren är sparad. En person har fått e-post. @Sara, @Föreningsrådet är inte någon som listan är delad med");
    await mailSettled(db());
    const mentionMails = await db().select().from(emails).where(eq(emails.template, "action-mention"));
    expect(mentionMails.map((mail) => mail.toAddress)).toEqual([ERIK]);
    expect(mentionMails[0].status).toBe("sent");
  });

  it("mentions on a shared list reach her, and her organisation's members, once each; the author is not mailed", async () => {
    await mailSettled(db());
    const answer = await comment(jointItemId, "@Sara Civil kan ni ta detta? @Föreningsrådet Järva (demo) för kännedom. /@Amina Hassan", cookies.amina);
    expect(answer.page).toContain("Kommentaren är sparad. En person har fått e-post.");
    await mailSettled(db());
    const mails = await db().select().from(emails).where(and(eq(emails.template, "action-mention"), sql`${emails.toAddress} <> ${ERIK}`));
    expect(mails.map((mail) => mail.toAddress)).toEqual([SARA]);
    const thread = await portal.fetch(`/atgarder/${jointItemId}/kommentarer`, { cookie: cookies.sara });
    expect(thread.status).toBe(200);
    expect(await thread.text()).toContain("kan ni ta detta?");
  });

  it("a person who turned mention mails off gets none, but the comment is saved", async () => {
    const [sara] = await db().select().from(users).where(eq(users.email, SARA));
    await db().update(users).set({ notificationSettings: { meetingReminders: true, actionDigest: true, mentions: false } }).where(eq(users.id, sara.id));
    const before = (await db().select().from(emails).where(eq(emails.template, "action-mention"))).length;
    const answer = await comment(jointItemId, "Påminnelse @Sara Civil", cookies.erik);
    expect(answer.status).toBe(200);
    expect(answer.page).toContain("Kommentaren är sparad.");
    expect(answer.page).not.toContain("har fått e-post");
    await mailSettled(db());
    expect((await db().select().from(emails).where(eq(emails.template, "action-mention"))).length).toBe(before);
    expect(await (await portal.fetch(`/atgarder/${jointItemId}/kommentarer`, { cookie: cookies.amina })).text()).toContain("Påminnelse @Sara Civil");
  });

  it("an empty or oversized comment is refused in Swedish, the text comes back and nothing is stored", async () => {
    const before = await tableDigest(db(), TABLES);
    for (const body of ["   ", "å".repeat(5001)]) {
      const answer = await comment(jointItemId, body, cookies.amina);
      expect(answer.status).toBe(400);
      expect(answer.page.replace(/\u00a0/g, " ")).toMatch(/Skriv en kommentar\.|högst 5 000 tecken/);
      // What was typed is back in the form.
      if (body.trim()) expect(answer.page).toContain(`>${body}</textarea>`);
    }
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });
});

describe("import", () => {
  it(`a file with ${BAD_ROWS.length} kinds of bad rows shows each row's problem in Swedish, and confirming leaves the list unchanged`, async () => {
    expect(BAD_ROWS.length).toBeGreaterThanOrEqual(20);
    const lines = [HEADER.join(";"), csvLine(good("Trygghetsvandring Rinkeby")), ...BAD_ROWS.map((row) => csvLine(row.cells))];
    const before = await tableDigest(db(), ["action_lists", "action_items"]);
    const response = await upload(jointListId, "befintlig-lista.csv", lines.join("\r\n"));
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/\/import\?granska=[0-9a-f-]{36}$/);
    expect(await tableDigest(db(), ["action_lists", "action_items"])).toEqual(before);

    const preview = await previewRows(location);
    expect(preview.rows.get(2)).toEqual([]); // the good row
    BAD_ROWS.forEach((row, index) => {
      const errors = preview.rows.get(index + 3) ?? [];
      expect(errors.join(" | "), row.kind).toContain(row.message);
    });
    expect(preview.html).toContain(`1 rad kan importeras, ${BAD_ROWS.length} rader har fel`);

    // Confirming anyway (the button is disabled, a crafted post is not) is refused, with nothing stored.
    const token = new URL(location, portal.url).searchParams.get("granska")!;
    const confirm = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "confirm", token }, { cookie: cookies.amina });
    expect(confirm.status).toBe(400);
    expect(await confirm.text()).toContain(`${BAD_ROWS.length} rader har fel`);
    expect(await tableDigest(db(), ["action_lists", "action_items"])).toEqual(before);
  });

  it("refuses whole files it cannot read, each with its own Swedish reason, storing nothing", async () => {
    const before = await tableDigest(db(), ["action_lists", "action_items", "action_imports"]);
    const cases: Array<{ name: string; content: string | Uint8Array; message: string }> = [
      { name: "tom.csv", content: "", message: "Filen är tom" },
      { name: "bara-rubriker.csv", content: HEADER.join(";") + "\r\n;;;\r\n", message: "bara rubriker" },
      { name: "lista.pdf", content: "%PDF-1.7", message: "Filtypen stöds inte" },
      { name: "gammal.xls", content: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), message: "Gamla Excel-filer (.xls)" },
      { name: "trasig.xlsx", content: "Åtgärd;Status", message: "är ingen Excel-fil" },
      { name: "dubbel.csv", content: "Åtgärd;Status;status\r\nEn rad;Pågår;Klar", message: "Rubriken ”status” finns två gånger" },
      { name: "for-manga.csv", content: ["Åtgärd", ...Array.from({ length: 1001 }, (_, i) => `Rad ${i}`)].join("\n"), message: "högst 1 000 rader" },
    ];
    for (const testCase of cases) {
      const response = await upload(jointListId, testCase.name, testCase.content);
      expect(response.status, testCase.name).toBe(400);
      expect(decode(await response.text()).replace(/\u00a0/g, " "), testCase.name).toContain(testCase.message);
    }
    expect(await tableDigest(db(), ["action_lists", "action_items", "action_imports"])).toEqual(before);
  });

  it("a Latin-1 (Windows-1252) CSV is read as such and the person is told to check å, ä and ö", async () => {
    const latin1 = Uint8Array.from(Buffer.from("Åtgärd;Fokusområde\r\nÖvervakning av gångväg;Stadens offentliga miljö\r\n", "latin1"));
    const response = await upload(jointListId, "latin1.csv", latin1);
    expect(response.status).toBe(302);
    const preview = await previewRows(response.headers.get("location")!);
    expect(preview.html).toContain("lästes som Windows-1252");
    expect(preview.html).toContain("Övervakning av gångväg");
    expect(preview.rows.get(2)).toEqual([]);
  });

  it("a file without the required column asks for the mapping; choosing it fixes the preview", async () => {
    const response = await upload(jointListId, "egna-rubriker.csv", "Vad ska göras;Läge\r\nKlotterplank;Pågår\r\n");
    const location = response.headers.get("location")!;
    const token = new URL(location, portal.url).searchParams.get("granska")!;
    const first = await previewRows(location);
    expect(first.html).toContain("Kolumnen Åtgärd saknas");
    const confirm = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "confirm", token }, { cookie: cookies.amina });
    expect(confirm.status).toBe(400);
    const mapped = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "map", token, map_title: "0", map_status: "1" }, { cookie: cookies.amina });
    expect(mapped.status).toBe(302);
    const second = await previewRows(location);
    expect(second.html).not.toContain("Kolumnen Åtgärd saknas");
    expect(second.rows.get(2)).toEqual([]);
    const badMapping = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "map", token, map_title: "7" }, { cookie: cookies.amina });
    expect(badMapping.status).toBe(400);
  });

  it("a good XLSX file is stored only on confirmation, all rows at once after the list's last number, and only once", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Åtgärder");
    sheet.addRow(HEADER);
    sheet.addRow(HEADER.map((header) => good("Trygghetsvandring Husby")[header] ?? ""));
    sheet.addRow(HEADER.map((header) => ({ ...good("Föräldravandring Akalla"), Status: "Ej påbörjad", Bedömning: "Grön", "Typ av prevention": "Social prevention" })[header] ?? ""));
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const response = await upload(jointListId, "lista.xlsx", bytes);
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    const token = new URL(location, portal.url).searchParams.get("granska")!;
    const before = await tableDigest(db(), ["action_items"]);
    const preview = await previewRows(location);
    expect([...preview.rows.values()]).toEqual([[], []]);
    expect(await tableDigest(db(), ["action_items"])).toEqual(before);

    // Someone else cannot use the token.
    const stranger = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "confirm", token }, { cookie: cookies.erik });
    expect(stranger.status).toBe(404);
    expect(await tableDigest(db(), ["action_items"])).toEqual(before);

    // A partner with the list open sees the imported rows arrive live.
    const viewer = await live.connectedAs(cookies.sara);
    expect(await live.subscribe(viewer, `action-list:${jointListId}`)).toEqual({ ok: true });
    const arrived: string[] = [];
    viewer.on("action-list:item", (payload: { kind: string; item: { title: string } }) => arrived.push(`${payload.kind}:${payload.item.title}`));

    const confirm = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "confirm", token }, { cookie: cookies.amina });
    expect(confirm.status).toBe(302);
    expect(confirm.headers.get("location")).toBe(`/atgardslistor/${jointListId}/import?klart=2`);
    await expect.poll(() => arrived.sort(), { timeout: 5000 }).toEqual(["created:Föräldravandring Akalla", "created:Trygghetsvandring Husby"]);
    const items = await db().select().from(actionItems).where(eq(actionItems.listId, jointListId)).orderBy(asc(actionItems.number));
    expect(items.map((item) => [item.number, item.title])).toEqual([
      [1, FORMULA_TITLE],
      [2, "Belysning i gångtunneln"],
      [3, "Trygghetsvandring Husby"],
      [4, "Föräldravandring Akalla"],
    ]);
    const [husby, akalla] = items.slice(2);
    expect(husby).toMatchObject({ status: "pagar", judgement: "gul", focusArea: "stadens_offentliga_miljo", preventionType: "situationell", responsibleOrganisationId: org["Lokalpolisområde Järva"] });
    expect(husby.perspectives.sort()).toEqual(["barn", "jamstalldhet"]);
    expect(akalla).toMatchObject({ status: "ej_paborjad", judgement: "gron", preventionType: "social" });
    const [erik] = await db().select().from(users).where(eq(users.email, ERIK));
    expect(husby.contactUserId).toBe(erik.id);
    const audit = await rows<{ summary: string }>(db(), sql`select summary from audit_events where action = 'actionList.import'`);
    expect(audit.map((row) => row.summary)).toEqual([expect.stringContaining("importerade 2 åtgärder")]);

    const again = await portal.post(`/atgardslistor/${jointListId}/import`, { intent: "confirm", token }, { cookie: cookies.amina });
    expect(again.status).toBe(404);
    expect((await db().select().from(actionItems).where(inArray(actionItems.listId, [jointListId]))).length).toBe(4);
  });
});
