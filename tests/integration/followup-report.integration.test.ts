import { parse } from "csv-parse/sync";
import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../../app/domain/audit/audit.server";
import { getReport } from "../../app/domain/followup/followup.server";
import type { Report } from "../../app/domain/followup/report";
import { eq } from "drizzle-orm";
import { meetings, networks } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { tableDigest } from "../support/digest";
import { buildJarvaAgreement } from "../support/followup";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, stockholmDay } from "../support/wait";

/**
 * The tertial report of a local agreement: built from problems, goals with indicators, five
 * åtgärder (one updated by its owner for the period) and two medborgarlöften. Every figure is
 * written out here from the data above, and checked on the page, in the PDF, the DOCX and the CSV.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // admin of Järva stadsdelsnämnd, the owner
const ERIK = "erik.sandberg@demo.polisen.se"; // member of Lokalpolisområde Järva, a party
const AMINA = "amina.hassan@demo.stockholm.se"; // samordnare at Stadsledningskontoret, the central level
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm: not a party

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { johan: "", erik: "", amina: "", lena: "" };
let built: Awaited<ReturnType<typeof buildJarvaAgreement>>;
let periodId: string;
let report: Report;
const base = () => `/overenskommelser/${built.agreement.id}`;

const TABLES = ["followup_periods", "followup_item_updates", "followup_goal_judgements", "action_items", "audit_events"];

/** The expected figures, counted by hand from `buildJarvaAgreement` and the updates below. */
const EXPECTED = {
  total: 5,
  updated: 1,
  byStatus: { "Ej påbörjad": 1, Pågår: 1, Klar: 2, Stoppad: 1 },
  byJudgement: { Grön: 3, Gul: 0, Röd: 1, "Ej bedömd": 1 },
  // label: [antal, grön, gul, röd, ej bedömd]
  byFocusArea: {
    "Förebyggande arbete": [1, 1, 0, 0, 0],
    "Riktade sociala insatser": [1, 0, 0, 0, 1],
    "Stadens offentliga miljö": [2, 2, 0, 0, 0],
    Stadsutveckling: [1, 0, 0, 1, 0],
  },
  byPerspective: {
    Jämställdhet: [2, 1, 0, 1, 0],
    Barn: [2, 2, 0, 0, 0],
    Funktionshinder: [1, 0, 0, 0, 1],
    Hbtqi: [0, 0, 0, 0, 0],
    Äldre: [1, 0, 0, 1, 0],
  },
  goals: [
    {
      title: "Fler känner sig trygga kvällstid",
      actions: 2,
      judgement: "Uppnås delvis",
      reasoning: "Tryggheten ökar men målet 70 procent är inte nått.",
      indicator: { name: "Andel trygga kvällstid", latest: 66, series: [["2025", "62,5"], ["2026-T1", "66"]], reached: false },
    },
    {
      title: "Mindre skadegörelse",
      actions: 2,
      judgement: "Uppnås helt",
      reasoning: "Anmälningarna ligger under målet på 300.",
      indicator: { name: "Anmäld skadegörelse", latest: 290, series: [["2025", "380"], ["2026-T1", "290"]], reached: true },
    },
  ],
  promises: [
    { title: "Helginsats", done: 17, target: 40, percent: 43 },
    { title: "Trygghetsvandringar", done: 2, target: 3, percent: 67 },
  ],
};

beforeAll(async () => {
  portal = await startTestPortal();
  for (const [name, email] of [["johan", JOHAN], ["erik", ERIK], ["amina", AMINA], ["lena", LENA]] as const) cookies[name] = await portal.signInAs(email);
  built = await buildJarvaAgreement(db());
  const created = await portal.post(`${base()}/uppfoljning`, { intent: "create-period", kind: "t1", year: "2026", deadline: stockholmDay(20) }, { cookie: cookies.johan });
  expect(created.status, await created.clone().text().then((text) => text.slice(0, 300))).toBe(302);
  periodId = created.headers.get("location")!.split("/").at(-1)!;
  await mailSettled(db());

  const first = built.items.find((item) => item.number === 1 && item.agreementId === built.agreement.id)!;
  const updated = await portal.post(
    `${base()}/uppfoljning/${periodId}/mina-atgarder`,
    { intent: "update-item", itemId: first.id, status: "klar", judgement: "gron", judgementReason: "Alla vandringar genomförda" },
    { cookie: cookies.erik },
  );
  expect(updated.status).toBe(200);
  const judged = await portal.post(
    `${base()}/uppfoljning/${periodId}`,
    { intent: "judge-goal", goalId: built.goals.trygghetsmal.id, judgement: "uppnas_delvis", reasoning: EXPECTED.goals[0].reasoning },
    { cookie: cookies.johan },
  );
  expect(judged.status).toBe(200);
  // The central level judges too.
  const central = await portal.post(
    `${base()}/uppfoljning/${periodId}`,
    { intent: "judge-goal", goalId: built.goals.skadegorelsemal.id, judgement: "uppnas_helt", reasoning: EXPECTED.goals[1].reasoning },
    { cookie: cookies.amina },
  );
  expect(central.status).toBe(200);
  report = await getReport(db(), SYSTEM_ACTOR, built.agreement.id, periodId);
}, 240_000);

afterAll(async () => {
  await portal?.close();
});

describe("the tertial report's figures", () => {
  it("counts the agreement's five åtgärder by status and judgement, leaving out removed ones and other agreements'", () => {
    expect(report.actions.total).toBe(EXPECTED.total);
    expect(report.actions.updatedForPeriod).toBe(EXPECTED.updated);
    expect(Object.fromEntries(report.actions.byStatus.map((row) => [row.label, row.count]))).toEqual(EXPECTED.byStatus);
    expect(Object.fromEntries(report.actions.byJudgement.map((row) => [row.label, row.count]))).toEqual(EXPECTED.byJudgement);
  });

  it("uses the owner's update for the period instead of the åtgärd's earlier values", () => {
    const first = report.actions.items.find((item) => item.number === 1)!;
    expect([first.statusLabel, first.judgementLabel, first.judgementReason]).toEqual(["Klar", "Grön", "Alla vandringar genomförda"]);
  });

  it("counts green, yellow and red per fokusområde and per perspektiv", () => {
    expect(Object.fromEntries(report.actions.byFocusArea.map((row) => [row.label, [row.total, row.gron, row.gul, row.rod, row.ejBedomd]]))).toEqual(EXPECTED.byFocusArea);
    expect(Object.fromEntries(report.actions.byPerspective.map((row) => [row.label, [row.total, row.gron, row.gul, row.rod, row.ejBedomd]]))).toEqual(EXPECTED.byPerspective);
  });

  it("shows each goal with its judgement, reasoning and indicator values up to the end of the period", () => {
    expect(report.goals).toHaveLength(2);
    EXPECTED.goals.forEach((goal, index) => {
      const found = report.goals[index];
      expect(found.title).toBe(goal.title);
      expect(found.actionCount).toBe(goal.actions);
      expect(found.judgement?.label).toBe(goal.judgement);
      expect(found.judgement?.reasoning).toBe(goal.reasoning);
      const [indicator] = found.indicators;
      expect(indicator.name).toBe(goal.indicator.name);
      expect(indicator.latest).toBe(goal.indicator.latest);
      expect(indicator.targetReached).toBe(goal.indicator.reached);
      expect(indicator.measurements.map((row) => row.period)).toEqual(goal.indicator.series.map(([period]) => period));
    });
  });

  it("counts each medborgarlöfte's occurrences from the start of the year to the end of the period", () => {
    expect(report.promises.map((row) => ({ title: row.title, done: row.done, target: row.targetCount, percent: row.percent }))).toEqual(EXPECTED.promises);
  });
});

/** Every figure as text that must appear next to its label. */
function expectedPhrases() {
  const phrases: Array<[string, string]> = [];
  for (const [label, count] of Object.entries(EXPECTED.byStatus)) phrases.push([label, String(count)]);
  for (const [label, counts] of [...Object.entries(EXPECTED.byFocusArea), ...Object.entries(EXPECTED.byPerspective)]) phrases.push([label, counts.join(" ")]);
  for (const goal of EXPECTED.goals) {
    phrases.push([goal.title, ""]);
    phrases.push([goal.judgement, ""]);
    phrases.push([goal.reasoning, ""]);
    for (const [period, value] of goal.indicator.series) phrases.push([period, value]);
  }
  for (const promise of EXPECTED.promises) phrases.push([promise.title, ""], [`${promise.percent} %`, ""]);
  return phrases;
}

function normalise(text: string) {
  return text.replace(/\s+/g, " ");
}

function expectPhrases(text: string, where: string) {
  const flat = normalise(text);
  for (const [label, value] of expectedPhrases()) {
    expect(flat.includes(normalise(value ? `${label} ${value}` : label)), `${where}: "${label} ${value}"`).toBe(true);
  }
}

describe("the report page and its exports", () => {
  it("the page shows every figure to a party of the agreement", async () => {
    const page = await portal.fetch(`${base()}/rapport/${periodId}`, { cookie: cookies.erik });
    expect(page.status).toBe(200);
    const html = await page.text();
    const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ");
    expectPhrases(text, "page");
    for (const promise of EXPECTED.promises) expect(normalise(text)).toContain(`${promise.done} av ${promise.target} (${promise.percent} %)`);
    expect(html).toContain('role="img"');
  });

  it("the PDF's text holds every figure, with Swedish letters intact", async () => {
    const response = await portal.fetch(`${base()}/rapport/${periodId}/pdf`, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await response.arrayBuffer()) });
    const { text } = await parser.getText();
    await parser.destroy();
    expectPhrases(text, "pdf");
    expect(text).toContain("Åtgärder per status");
    expect(text).toContain("Samverkansöverenskommelse Järva 2024–2027");
  });

  it("the DOCX holds every figure", async () => {
    const response = await portal.fetch(`${base()}/rapport/${periodId}/docx`, { cookie: cookies.johan });
    expect(response.status).toBe(200);
    const zip = await JSZip.loadAsync(await response.arrayBuffer());
    const xml = await zip.file("word/document.xml")!.async("string");
    const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1].replace(/&amp;/g, "&"));
    expectPhrases(texts.join(" "), "docx");
  });

  it("the CSV holds the underlying figures, with text that looks like a formula neutralised", async () => {
    const response = await portal.fetch(`${base()}/rapport/${periodId}/csv`, { cookie: cookies.johan });
    expect(response.status).toBe(200);
    const records = parse(await response.text(), { delimiter: ";", bom: true }) as string[][];
    const value = (section: string, row: string, measure: string) => records.find((record) => record[0] === section && record[1] === row && record[2] === measure)?.[3];
    for (const [label, count] of Object.entries(EXPECTED.byStatus)) expect(value("Åtgärder per status", label, "Antal")).toBe(String(count));
    for (const [label, count] of Object.entries(EXPECTED.byJudgement)) expect(value("Åtgärder per bedömning", label, "Antal")).toBe(String(count));
    for (const [label, counts] of Object.entries(EXPECTED.byFocusArea)) expect(["Antal", "Grön", "Gul", "Röd", "Ej bedömd"].map((measure) => value("Fokusområde", label, measure))).toEqual(counts.map(String));
    for (const [label, counts] of Object.entries(EXPECTED.byPerspective)) expect(["Antal", "Grön", "Gul", "Röd", "Ej bedömd"].map((measure) => value("Perspektiv", label, measure))).toEqual(counts.map(String));
    for (const goal of EXPECTED.goals) {
      expect(value("Mål", goal.title, "Bedömning")).toBe(goal.judgement);
      for (const [period, figure] of goal.indicator.series) expect(value("Indikator", goal.indicator.name, period)).toBe(figure);
    }
    for (const promise of EXPECTED.promises) expect(value("Medborgarlöfte", promise.title, "Utfört")).toBe(String(promise.done));
    const belysning = records.find((record) => record[1] === "3 Belysning i gångtunnlar" && record[2] === "Bedömning")!;
    expect(belysning[4]).toBe("'=Budget saknas");
  });
});

describe("who sees the report, and bad input", () => {
  it("a browser refused an export lands on the portal's error page with status 404, not on a raw answer", async () => {
    const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (const suffix of ["/pdf", "/docx", "/csv"]) {
      const refused = await portal.fetch(`${base()}/rapport/${periodId}${suffix}`, { cookie: cookies.lena, headers: { accept } });
      expect(await refused.clone().text(), suffix).not.toContain("not_found");
      expect([302, 303], suffix).toContain(refused.status);
      const location = refused.headers.get("location")!;
      expect(location).toBe(`${base()}/rapport/${periodId}`);
      const shown = await portal.fetch(location, { cookie: cookies.lena, headers: { accept } });
      expect(shown.status, suffix).toBe(404);
      expect(shown.headers.get("content-type")).toContain("text/html");
      const html = (await shown.text()).replace(/<!-- -->/g, "");
      expect(html).toContain("<h1>Sidan finns inte</h1>");
      expect(html).toContain("Felkod 404");
      expect(html).not.toContain("Trygghetsvandringar");
    }
  });

  it("the follow-up pages wrap long words so that they do not scroll sideways on a phone", async () => {
    for (const path of [`${base()}/uppfoljning`, `${base()}/uppfoljning/${periodId}`, `${base()}/uppfoljning/${periodId}/mina-atgarder`, `${base()}/rapport/${periodId}`]) {
      const response = await portal.fetch(path, { cookie: cookies.erik });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('<div class="stack long-words">');
    }
  });

  it("an impossible deadline is refused in Swedish beside the field and opens nothing", async () => {
    const before = await tableDigest(db(), TABLES);
    const response = await portal.post(`${base()}/uppfoljning`, { intent: "create-period", kind: "t2", year: "2026", deadline: "2026-02-31" }, { cookie: cookies.johan });
    expect(response.status).toBe(400);
    const html = (await response.text()).replace(/<!-- -->/g, "");
    expect(html).toMatch(/id="field-deadline-error"[^>]*>Sista dag finns inte i kalendern\.</);
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });

  it("another organisation gets a 404 for the report and every export", async () => {
    for (const suffix of ["", "/pdf", "/docx", "/csv"]) {
      const response = await portal.fetch(`${base()}/rapport/${periodId}${suffix}`, { cookie: cookies.lena });
      expect(response.status, suffix).toBe(404);
      expect(await response.text()).not.toContain("Trygghetsvandringar");
    }
  });

  it("a member who does not lead the owner cannot open a period or judge a goal, and nothing changes", async () => {
    const before = await tableDigest(db(), TABLES);
    const opened = await portal.post(`${base()}/uppfoljning`, { intent: "create-period", kind: "t2", year: "2026", deadline: stockholmDay(30) }, { cookie: cookies.erik });
    expect(opened.status).toBe(403);
    const judged = await portal.post(`${base()}/uppfoljning/${periodId}`, { intent: "judge-goal", goalId: built.goals.trygghetsmal.id, judgement: "uppnas_inte", reasoning: "Nej" }, { cookie: cookies.erik });
    expect(judged.status).toBe(403);
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });

  it("a yellow judgement without a reason, an unknown status or someone else's åtgärd is refused in Swedish and nothing changes", async () => {
    const before = await tableDigest(db(), TABLES);
    const fourth = built.items.find((item) => item.number === 4 && item.agreementId === built.agreement.id)!;
    const third = built.items.find((item) => item.number === 3 && item.agreementId === built.agreement.id)!;
    const url = `${base()}/uppfoljning/${periodId}/mina-atgarder`;
    const noReason = await portal.post(url, { intent: "update-item", itemId: fourth.id, status: "pagar", judgement: "gul", judgementReason: "" }, { cookie: cookies.erik });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Skriv varför åtgärden är gul eller röd.");
    const badStatus = await portal.post(url, { intent: "update-item", itemId: fourth.id, status: "klart!", judgement: "gron", judgementReason: "" }, { cookie: cookies.erik });
    expect(badStatus.status).toBe(400);
    const notTheirs = await portal.post(url, { intent: "update-item", itemId: third.id, status: "klar", judgement: "gron", judgementReason: "" }, { cookie: cookies.erik });
    expect(notTheirs.status).toBe(403);
    const badPeriod = await portal.post(`${base()}/uppfoljning`, { intent: "create-period", kind: "t3", year: "tjugo", deadline: "igår" }, { cookie: cookies.johan });
    expect(badPeriod.status).toBe(400);
    const duplicate = await portal.post(`${base()}/uppfoljning`, { intent: "create-period", kind: "t1", year: "2026", deadline: stockholmDay(20) }, { cookie: cookies.johan });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("T1 2026 finns redan");
    expect(await tableDigest(db(), TABLES)).toEqual(before);
  });
});

describe("the EST rhythm as network meetings", () => {
  const estForm = (overrides: Record<string, string>) => ({ intent: "plan-est", rhythm: "vecka", weeks: "4", date: stockholmDay(10), startTime: "09:00", endTime: "10:00", place: "Rinkeby medborgarkontor", ...overrides });

  async function estMeetings() {
    return (await db().select().from(meetings)).filter((meeting) => meeting.title.startsWith("EST:"));
  }

  it("the central level plans a weekly series and a yearly follow-up in the network it coordinates", async () => {
    const [network] = await db().select().from(networks).where(eq(networks.name, DEMO_NETWORK));
    const weekly = await portal.post(`${base()}/uppfoljning`, estForm({ networkId: network.id }), { cookie: cookies.amina });
    expect(weekly.status).toBe(200);
    expect(await weekly.text()).toContain("4 möten är planerade");
    const yearly = await portal.post(`${base()}/uppfoljning`, estForm({ networkId: network.id, rhythm: "ar" }), { cookie: cookies.amina });
    expect(yearly.status).toBe(200);
    const planned = await estMeetings();
    expect(planned.filter((meeting) => meeting.title.startsWith("EST: veckovis lägesbild")).map((meeting) => meeting.seriesId !== null)).toEqual([true, true, true, true]);
    expect(planned.filter((meeting) => meeting.title.startsWith("EST: årlig uppföljning"))).toHaveLength(1);
    expect(planned.every((meeting) => meeting.networkId === network.id)).toBe(true);
    await mailSettled(db());
  });

  it("a bad time or someone who does not lead the follow-up plans nothing", async () => {
    const [network] = await db().select().from(networks).where(eq(networks.name, DEMO_NETWORK));
    const before = (await estMeetings()).length;
    const badTime = await portal.post(`${base()}/uppfoljning`, estForm({ networkId: network.id, rhythm: "kvartal", endTime: "08:00" }), { cookie: cookies.amina });
    expect(badTime.status).toBe(400);
    expect(await badTime.text()).toContain("Mötet måste sluta efter att det börjar.");
    const member = await portal.post(`${base()}/uppfoljning`, estForm({ networkId: network.id }), { cookie: cookies.erik });
    expect(member.status).toBe(403);
    expect((await estMeetings()).length).toBe(before);
  });
});
