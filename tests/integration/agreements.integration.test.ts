import { and, asc, eq, isNotNull, ne, sql } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionItems,
  actionLists,
  agreementIndicators,
  agreementMeasurements,
  agreementRevisions,
  agreements,
  auditEvents,
  citizenPromiseOccurrences,
  citizenPromises,
  organisations,
} from "../../db/schema";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { formField, NO_FIELD_ERROR } from "../support/html";

/**
 * A local agreement from draft to decision: a decided version is frozen for every route, action
 * and the database itself; a change makes a new draft whose page shows the difference; a CSV
 * import with a bad row stores nothing; medborgarlöften count their occurrences.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // admin in Järva stadsdelsnämnd
const ERIK = "erik.sandberg@demo.polisen.se"; // member of Lokalpolisområde Järva

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { johan: "", erik: "" };
const orgs = { jarva: "", lpo: "" };
let agreementId = "";
let goalId = "";
let indicatorId = "";

async function orgId(name: string) {
  const [row] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, name));
  return row.id;
}

/** Page text without the markers React puts between adjacent text parts. */
const visible = (html: string) => html.replace(/<!-- -->/g, "");

async function post(path: string, fields: Record<string, string | string[]>, cookie = cookies.johan) {
  const response = await portal.post(path, fields, { cookie });
  return { status: response.status, text: visible(await response.text()), location: response.headers.get("location") };
}

async function page(path: string, cookie = cookies.johan) {
  const response = await portal.fetch(path, { cookie });
  return { status: response.status, text: visible(await response.text()) };
}

/** The form on a page that carries a hidden value, e.g. one criterion's form. */
function formWith(html: string, [name, value]: [string, string]) {
  const form = DomUtils.findOne(
    (element) => element.name === "form" && DomUtils.findOne((input) => input.attribs.name === name && input.attribs.value === value, element.children) !== null,
    parseDocument(html).children,
  );
  if (!form) throw new Error(`the page has no form with ${name}=${value}`);
  return form;
}

/** Which radio buttons of a name are checked in the form that carries a hidden value. */
function checkedIn(html: string, hidden: [string, string], name: string) {
  return DomUtils.findAll((element) => element.attribs.type === "radio" && element.attribs.name === name && "checked" in element.attribs, formWith(html, hidden).children).map((radio) => radio.attribs.value);
}

/** The text a text area shows, as the server drew it. */
function textIn(html: string, id: string) {
  const area = DomUtils.findOne((element) => element.name === "textarea" && element.attribs.id === id, parseDocument(html).children);
  if (!area) throw new Error(`the page has no text area ${id}`);
  return DomUtils.textContent(area);
}

/** The option a select shows chosen, as the server drew it; undefined when none is marked. */
function chosenIn(html: string, id: string) {
  const select = DomUtils.findOne((element) => element.name === "select" && element.attribs.id === id, parseDocument(html).children);
  if (!select) throw new Error(`the page has no select ${id}`);
  return DomUtils.findOne((element) => element.name === "option" && "selected" in element.attribs, select.children)?.attribs.value;
}

/** The refusal a form tells on its own line, under its button. */
function alertIn(html: string, hidden: [string, string]) {
  const alert = DomUtils.findOne((element) => element.attribs.role === "alert", formWith(html, hidden).children);
  return alert ? DomUtils.textContent(alert) : undefined;
}

async function frozenRevisions() {
  return db().select().from(agreementRevisions).where(and(eq(agreementRevisions.agreementId, agreementId), isNotNull(agreementRevisions.decidedAt))).orderBy(asc(agreementRevisions.number));
}

const content = (overrides: Record<string, string> = {}) => ({
  intent: "content",
  title: "Lokal överenskommelse Järva (test)",
  periodStartYear: "2024",
  periodEndYear: "2027",
  localArea: "Järva",
  situationSummary: "Otryggheten kvällstid är hög kring Rinkeby centrum.",
  sourceLinks: "Trygghet på karta | https://start.stockholm/trygghet-pa-karta",
  documentationMethod: "I åtgärdslistan.",
  followUpMethod: "Per tertial.",
  ...overrides,
});

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.johan = await portal.signInAs(JOHAN);
  cookies.erik = await portal.signInAs(ERIK);
  orgs.jarva = await orgId("Järva stadsdelsnämnd");
  orgs.lpo = await orgId("Lokalpolisområde Järva");
});

afterAll(async () => {
  await portal?.close();
});

describe("an agreement from draft to decided version", () => {
  it("an admin of a stadsdelsnämnd starts a local agreement with its lokalpolisområde; the five steps come with it", async () => {
    const created = await post("/overenskommelser/ny", {
      title: "Lokal överenskommelse Järva (test)",
      level: "lokal",
      ownerOrganisationId: orgs.jarva,
      partyOrganisationIds: [orgs.lpo],
      periodStartYear: "2024",
      periodEndYear: "2027",
      localArea: "Järva",
      parentAgreementId: "",
    });
    expect(created.status, created.text.slice(0, 300)).toBe(302);
    agreementId = /\/overenskommelser\/([0-9a-f-]{36})\/redigera$/.exec(created.location ?? "")![1];
    const [row] = await db().select().from(agreements).where(eq(agreements.id, agreementId));
    expect(row).toMatchObject({ status: "utkast", level: "lokal", ownerOrganisationId: orgs.jarva, sharedWithOrganisationIds: [orgs.lpo] });
    const steps = await page(`/overenskommelser/${agreementId}/steg`, cookies.erik);
    expect(steps.status).toBe(200);
    expect(steps.text).toContain("Steg 3: Gemensamma förberedelser");
    expect(steps.text).toContain("0 av 17 kriterier är klara");
  });

  it("deciding needs the required content: refused with a Swedish reason and nothing changes", async () => {
    const before = await tableDigest(db(), ["agreements", "agreement_revisions"]);
    const refused = await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Överenskommelsen saknar");
    expect(await tableDigest(db(), ["agreements", "agreement_revisions"])).toEqual(before);
  });

  it("a source address keeps its own \"|\"; a source that is not a web address is refused and nothing is stored", async () => {
    const saved = await post(`/overenskommelser/${agreementId}/redigera`, content({ sourceLinks: "Rapport | https://example.se/rapport?a=1|2\nhttps://example.se/karta?lager=a|b" }));
    expect(saved.status, saved.text.slice(0, 300)).toBe(200);
    const stored = async () => (await rows<{ links: unknown }>(db(), sql`select source_links as links from agreement_content where agreement_id = ${agreementId}`))[0].links;
    expect(await stored()).toEqual([
      { label: "Rapport", url: "https://example.se/rapport?a=1|2" },
      { label: "https://example.se/karta?lager=a|b", url: "https://example.se/karta?lager=a|b" },
    ]);
    const before = await tableDigest(db(), ["agreements", "agreement_content", "agreement_revisions"]);
    for (const source of ["Karta | ftp://example.se/karta|1", "Skript | javascript:alert(1)"]) {
      const refused = await post(`/overenskommelser/${agreementId}/redigera`, content({ sourceLinks: source }));
      expect(refused.status, source).toBe(400);
      expect(refused.text).toContain("Rad 1 i källorna har ingen giltig webbadress");
    }
    expect(await tableDigest(db(), ["agreements", "agreement_content", "agreement_revisions"])).toEqual(before);
  });

  it("an impossible date for a step's criterion is refused in Swedish and nothing is stored", async () => {
    const [criterion] = await rows<{ id: string }>(db(), sql`select id from agreement_step_criteria where agreement_id = ${agreementId} limit 1`);
    const before = await tableDigest(db(), ["agreement_step_criteria"]);
    const refused = await post(`/overenskommelser/${agreementId}/steg`, { intent: "criterion", criterionId: criterion.id, done: "nej", ownerUserId: "", dueDate: "2026-02-31" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Datumet finns inte i kalendern.");
    expect(await tableDigest(db(), ["agreement_step_criteria"])).toEqual(before);
  });

  it("an impossible criterion date is told under that criterion's date field, in Swedish, and the form keeps what was sent", async () => {
    const [criterion, other] = await rows<{ id: string }>(db(), sql`select id from agreement_step_criteria where agreement_id = ${agreementId} order by step, position limit 2`);
    const before = await tableDigest(db(), ["agreement_step_criteria", "audit_events"]);
    const refused = await post(`/overenskommelser/${agreementId}/steg`, { intent: "criterion", criterionId: criterion.id, done: "ja", ownerUserId: "", dueDate: "2026-02-31" });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, `criterion-${criterion.id}-due`)).toEqual({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern.", value: "2026-02-31" });
    expect(checkedIn(refused.text, ["criterionId", criterion.id], "done")).toEqual(["ja"]);
    expect(alertIn(refused.text, ["criterionId", criterion.id])).toBe("Kontrollera det markerade fältet.");
    // Only the form that was sent is marked.
    expect(formField(refused.text, `criterion-${other.id}-due`)).toMatchObject({ invalid: undefined, error: undefined });
    expect(checkedIn(refused.text, ["criterionId", other.id], "done")).toEqual(["nej"]);
    expect(await tableDigest(db(), ["agreement_step_criteria", "audit_events"])).toEqual(before);
  });

  it("a new criterion without text is refused with the error under its text field, and nothing is stored", async () => {
    const before = await tableDigest(db(), ["agreement_step_criteria", "audit_events"]);
    const refused = await post(`/overenskommelser/${agreementId}/steg`, { intent: "addCriterion", step: "2", text: "   " });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, "field-text")).toMatchObject({ invalid: "true", pointsToError: true, error: "Fyll i kriteriet." });
    expect(await tableDigest(db(), ["agreement_step_criteria", "audit_events"])).toEqual(before);
  });

  it("the parties fill in lägesbild, a problem and a goal, and an admin of the owner decides version 1", async () => {
    expect((await post(`/overenskommelser/${agreementId}/redigera`, content())).status).toBe(200);
    expect((await post(`/overenskommelser/${agreementId}/redigera`, { intent: "addProblem", title: "Otrygghet kvällstid", description: "", probableCauses: "Dålig belysning." })).status).toBe(200);
    const problemId = (await rows<{ id: string }>(db(), sql`select id from agreement_problems where agreement_id = ${agreementId}`))[0].id;
    expect((await post(`/overenskommelser/${agreementId}/redigera`, { intent: "addGoal", title: "Tryggheten kvällstid ska öka", description: "", problemId })).status).toBe(200);
    goalId = (await rows<{ id: string }>(db(), sql`select id from agreement_goals where agreement_id = ${agreementId}`))[0].id;
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "submit" })).status).toBe(200);
    expect((await db().select().from(agreements).where(eq(agreements.id, agreementId)))[0].status).toBe("for_beslut");
    // A plain member of the police party may not decide.
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "" }, cookies.erik)).status).toBe(403);
    const decided = await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "Beslut i nämnden 12 mars." });
    expect(decided.status).toBe(200);
    const [row] = await db().select().from(agreements).where(eq(agreements.id, agreementId));
    expect(row.status).toBe("gallande");
    const [version] = await frozenRevisions();
    expect(version.number).toBe(1);
    expect(version.snapshot).toMatchObject({ title: "Lokal överenskommelse Järva (test)", situationSummary: "Otryggheten kvällstid är hög kring Rinkeby centrum." });
    expect(version.snapshot!.problems.map((problem) => problem.title)).toEqual(["Otrygghet kvällstid"]);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "agreement.decide"), eq(auditEvents.entityId, agreementId)));
    expect(event.summary).toContain("Version 1");
  });
});

describe("a refused edit of the agreement is told at the field, without JavaScript too", () => {
  const edit = () => `/overenskommelser/${agreementId}/redigera`;
  const tables = ["agreements", "agreement_content", "agreement_problems", "agreement_goals", "agreement_signatories", "agreement_revisions", "audit_events"];

  it("a period that ends before it starts, or a bad source line, is told under that field of the content form, which shows what was sent instead of what is stored", async () => {
    const before = await tableDigest(db(), tables);
    const badPeriod = await post(
      edit(),
      content({ title: "Lokal överenskommelse Järva (ny titel)", periodStartYear: "2027", periodEndYear: "2024", situationSummary: "En ny lägesbild som inte sparas." }),
    );
    expect(badPeriod.status).toBe(400);
    expect(formField(badPeriod.text, "field-periodEndYear")).toEqual({ invalid: "true", pointsToError: true, error: "Sista året kan inte vara före det första.", value: "2024" });
    expect(formField(badPeriod.text, "field-periodStartYear")).toEqual({ ...NO_FIELD_ERROR, value: "2027" });
    expect(formField(badPeriod.text, "field-title")).toEqual({ ...NO_FIELD_ERROR, value: "Lokal överenskommelse Järva (ny titel)" });
    expect(formField(badPeriod.text, "field-situationSummary")).toMatchObject({ invalid: undefined, error: undefined });
    expect(textIn(badPeriod.text, "field-situationSummary")).toBe("En ny lägesbild som inte sparas.");
    expect(alertIn(badPeriod.text, ["intent", "content"])).toBe("Kontrollera det markerade fältet.");
    const badSource = await post(edit(), content({ sourceLinks: "Karta | ftp://example.se/karta" }));
    expect(badSource.status).toBe(400);
    expect(formField(badSource.text, "field-sourceLinks")).toMatchObject({ invalid: "true", pointsToError: true, error: "Rad 1 i källorna har ingen giltig webbadress (börja med https://)." });
    expect(textIn(badSource.text, "field-sourceLinks")).toBe("Karta | ftp://example.se/karta");
    expect(formField(badSource.text, "field-periodEndYear")).toEqual({ ...NO_FIELD_ERROR, value: "2027" });
    expect(await tableDigest(db(), tables)).toEqual(before);
  });

  it("a problem without a title is told under the title of that problem's form, which keeps what was sent; the other forms stay unmarked", async () => {
    const [problem] = await rows<{ id: string }>(db(), sql`select id from agreement_problems where agreement_id = ${agreementId}`);
    const before = await tableDigest(db(), tables);
    const refused = await post(edit(), { intent: "updateProblem", problemId: problem.id, title: "  ", description: "Många rör sig i centrum sent.", probableCauses: "Mörka gångvägar." });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, `problem-${problem.id}-title`)).toEqual({ invalid: "true", pointsToError: true, error: "Fyll i problem.", value: "  " });
    expect(formField(refused.text, `problem-${problem.id}-causes`)).toMatchObject({ invalid: undefined, error: undefined });
    expect(textIn(refused.text, `problem-${problem.id}-description`)).toBe("Många rör sig i centrum sent.");
    expect(textIn(refused.text, `problem-${problem.id}-causes`)).toBe("Mörka gångvägar.");
    expect(alertIn(refused.text, ["problemId", problem.id])).toBe("Kontrollera det markerade fältet.");
    expect(formField(refused.text, "new-problem-title")).toMatchObject(NO_FIELD_ERROR);
    const refusedNew = await post(edit(), { intent: "addProblem", title: "", description: "Skadegörelse vid skolan.", probableCauses: "" });
    expect(refusedNew.status).toBe(400);
    expect(formField(refusedNew.text, "new-problem-title")).toEqual({ invalid: "true", pointsToError: true, error: "Fyll i problem.", value: "" });
    expect(textIn(refusedNew.text, "new-problem-description")).toBe("Skadegörelse vid skolan.");
    expect(formField(refusedNew.text, `problem-${problem.id}-title`)).toEqual({ ...NO_FIELD_ERROR, value: "Otrygghet kvällstid" });
    expect(await tableDigest(db(), tables)).toEqual(before);
  });

  it("a goal without a title or with a problem not in the list is told under that field of the goal's form, which keeps what was sent", async () => {
    const before = await tableDigest(db(), tables);
    const refused = await post(edit(), { intent: "updateGoal", goalId, title: "", description: "Mätt i trygghetsundersökningen.", problemId: "" });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, `goal-${goalId}-title`)).toEqual({ invalid: "true", pointsToError: true, error: "Fyll i mål.", value: "" });
    expect(textIn(refused.text, `goal-${goalId}-description`)).toBe("Mätt i trygghetsundersökningen.");
    // The goal is stored with a problem; the refused post chose none, and that is what the form shows.
    expect(chosenIn(refused.text, `goal-${goalId}-problem`)).toBe("");
    expect(formField(refused.text, `goal-${goalId}-problem`)).toMatchObject(NO_FIELD_ERROR);
    const refusedNew = await post(edit(), { intent: "addGoal", title: "Färre inbrott i källare", description: "", problemId: "inte-ett-problem" });
    expect(refusedNew.status).toBe(400);
    expect(formField(refusedNew.text, "new-goal-problem")).toMatchObject({ invalid: "true", pointsToError: true, error: "Välj ett problem ur listan." });
    expect(formField(refusedNew.text, "new-goal-title")).toEqual({ ...NO_FIELD_ERROR, value: "Färre inbrott i källare" });
    expect(formField(refusedNew.text, `goal-${goalId}-title`)).toEqual({ ...NO_FIELD_ERROR, value: "Tryggheten kvällstid ska öka" });
    expect(await tableDigest(db(), tables)).toEqual(before);
  });

  it("a signatory for an organisation that is no party, or without a name, is told under that field and the form keeps what was sent", async () => {
    const [outsider] = await db().select({ id: organisations.id }).from(organisations).where(and(ne(organisations.id, orgs.jarva), ne(organisations.id, orgs.lpo))).limit(1);
    const before = await tableDigest(db(), tables);
    const notAParty = await post(edit(), { intent: "addSignatory", organisationId: outsider.id, name: "Kommunpolisen", title: "Kommunpolis" });
    expect(notAParty.status).toBe(400);
    expect(formField(notAParty.text, "new-signatory-org")).toMatchObject({ invalid: "true", pointsToError: true, error: "Välj en av parterna." });
    expect(formField(notAParty.text, "new-signatory-name")).toEqual({ ...NO_FIELD_ERROR, value: "Kommunpolisen" });
    expect(formField(notAParty.text, "new-signatory-title")).toEqual({ ...NO_FIELD_ERROR, value: "Kommunpolis" });
    expect(alertIn(notAParty.text, ["intent", "addSignatory"])).toBe("Undertecknaren måste företräda en av parterna.");
    const noName = await post(edit(), { intent: "addSignatory", organisationId: orgs.lpo, name: " ", title: "Lokalpolisområdeschef" });
    expect(noName.status).toBe(400);
    expect(formField(noName.text, "new-signatory-name")).toEqual({ invalid: "true", pointsToError: true, error: "Fyll i namn.", value: " " });
    expect(formField(noName.text, "new-signatory-org")).toMatchObject(NO_FIELD_ERROR);
    expect(chosenIn(noName.text, "new-signatory-org")).toBe(orgs.lpo);
    expect(formField(noName.text, "new-signatory-title")).toEqual({ ...NO_FIELD_ERROR, value: "Lokalpolisområdeschef" });
    expect(await tableDigest(db(), tables)).toEqual(before);
  });
});

describe("a decided version is frozen", () => {
  it("no route or action changes it: every edit lands in a new draft, and the page still shows the decided text", async () => {
    const [before] = await frozenRevisions();
    const problemId = (await rows<{ id: string }>(db(), sql`select id from agreement_problems where agreement_id = ${agreementId}`))[0].id;
    const attempts: Array<[string, Record<string, string>]> = [
      [`/overenskommelser/${agreementId}/redigera`, content({ situationSummary: "Otryggheten kvällstid har minskat något kring Rinkeby centrum." })],
      [`/overenskommelser/${agreementId}/redigera`, { intent: "updateProblem", problemId, title: "Otrygghet kvällstid i centrum", description: "", probableCauses: "Dålig belysning." }],
      [`/overenskommelser/${agreementId}/redigera`, { intent: "addGoal", title: "Färre bränder i bilar", description: "", problemId: "" }],
      [`/overenskommelser/${agreementId}/redigera`, { intent: "addSignatory", organisationId: orgs.lpo, name: "Lokalpolisområdeschefen", title: "Chef" }],
      [`/overenskommelser/${agreementId}`, { intent: "submit" }],
    ];
    for (const [path, fields] of attempts) expect((await post(path, fields)).status, `${fields.intent}`).toBe(200);
    const [after] = await frozenRevisions();
    expect(after).toEqual(before);
    const revisions = await db().select().from(agreementRevisions).where(eq(agreementRevisions.agreementId, agreementId)).orderBy(asc(agreementRevisions.number));
    expect(revisions.map((revision) => [revision.number, revision.decidedAt !== null])).toEqual([
      [1, true],
      [2, false],
    ]);
    const [row] = await db().select().from(agreements).where(eq(agreements.id, agreementId));
    expect(row.status).toBe("gallande");
    const view = await page(`/overenskommelser/${agreementId}`, cookies.erik);
    expect(view.text).toContain("Otryggheten kvällstid är hög kring Rinkeby centrum.");
    expect(view.text).not.toContain("har minskat något");
    expect(view.text).toContain("Det finns ett utkast till version 2");
  });

  it("the database itself refuses to change or delete a decided version, whatever path asks", async () => {
    const [before] = await frozenRevisions();
    await expect(db().execute(sql`update agreement_revisions set decision_note = 'ändrad' where id = ${before.id}`)).rejects.toThrow();
    await expect(db().execute(sql`update agreement_revisions set snapshot = '{}'::jsonb where id = ${before.id}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from agreement_revisions where id = ${before.id}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from agreements where id = ${agreementId}`)).rejects.toThrow();
    const [after] = await frozenRevisions();
    expect(after).toEqual(before);
  });

  it("the new draft's page shows the difference against the decided version with ins/del and text labels", async () => {
    const draft = await page(`/overenskommelser/${agreementId}/redigera`);
    expect(draft.status).toBe(200);
    expect(draft.text).toContain("Skillnader mot version 1");
    expect(draft.text).toMatch(/<del><span class="visually-hidden">\[borttaget: <\/span>är hög<span class="visually-hidden">\]<\/span><\/del>/);
    expect(draft.text).toMatch(/<ins><span class="visually-hidden">\[tillagt: <\/span>har minskat något<span class="visually-hidden">\]<\/span><\/ins>/);
    expect(draft.text).toContain("Färre bränder i bilar");
    expect(draft.text).toContain("Lokalpolisområdeschefen");
  });

  it("a decision note that is too long is told under it, the note is kept and nothing is decided", async () => {
    const tables = ["agreements", "agreement_revisions", "audit_events"];
    const before = await tableDigest(db(), tables);
    const note = `Beslut i nämnden. ${"x".repeat(2000)}`;
    const refused = await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: note });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, "field-decisionNote")).toMatchObject({ invalid: "true", pointsToError: true, error: "Beslutsanteckningen får vara högst 2000 tecken." });
    expect(textIn(refused.text, "field-decisionNote")).toBe(note);
    expect(await tableDigest(db(), tables)).toEqual(before);
  });

  it("deciding the draft makes version 2 in force, and the versions page lists what changed", async () => {
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "Revidering efter T1." })).status).toBe(200);
    const versions = await frozenRevisions();
    expect(versions.map((version) => version.number)).toEqual([1, 2]);
    expect(versions[0].snapshot!.situationSummary).toBe("Otryggheten kvällstid är hög kring Rinkeby centrum.");
    expect(versions[1].snapshot!.situationSummary).toBe("Otryggheten kvällstid har minskat något kring Rinkeby centrum.");
    const list = await page(`/overenskommelser/${agreementId}/versioner`, cookies.erik);
    expect(list.text).toContain("Version 2, fastställd");
    expect(list.text).toContain("har minskat något");
    // Deciding again without a draft is refused: there is nothing to decide.
    const again = await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "" });
    expect(again.status).toBe(409);
    expect(await frozenRevisions()).toEqual(versions);
  });

  it("indicators are follow-up data: adding one opens no new version and leaves the decided ones as they were", async () => {
    const beforeVersions = await frozenRevisions();
    expect(
      (
        await post(`/overenskommelser/${agreementId}/mal`, {
          intent: "addIndicator",
          goalId,
          name: "Andel trygga kvällstid",
          unit: "procent",
          baselineValue: "42",
          baselinePeriod: "2023",
          targetValue: "55",
          direction: "hogre_ar_battre",
          source: "",
        })
      ).status,
    ).toBe(200);
    [{ id: indicatorId }] = await db().select({ id: agreementIndicators.id }).from(agreementIndicators).where(eq(agreementIndicators.agreementId, agreementId));
    expect(await frozenRevisions()).toEqual(beforeVersions);
    const revisions = await db().select().from(agreementRevisions).where(eq(agreementRevisions.agreementId, agreementId));
    expect(revisions).toHaveLength(2);
  });
});

describe("measurements", () => {
  it("a member of the police party enters a value with a Swedish decimal comma", async () => {
    const saved = await post(`/overenskommelser/${agreementId}/mal`, { intent: "measurement", indicatorId, period: "2024", value: "45,5", comment: "" }, cookies.erik);
    expect(saved.status).toBe(200);
    // Told at the indicator's form, drawn open, as a browser without JavaScript shows it.
    expect(saved.text).toMatch(/<details open=""><summary>Lägg in eller rätta ett mätvärde<\/summary>[\s\S]*role="status">Värdet för 2024 är sparat.<\/p>/);
    const stored = await db().select().from(agreementMeasurements).where(eq(agreementMeasurements.indicatorId, indicatorId));
    expect(stored.map((row) => [row.period, row.value])).toEqual([["2024", 45.5]]);
  });

  it("a bad value or period is refused in Swedish and nothing is stored", async () => {
    const before = await tableDigest(db(), ["agreement_measurements"]);
    const badValue = await post(`/overenskommelser/${agreementId}/mal`, { intent: "measurement", indicatorId, period: "2025", value: "fyrtio", comment: "" }, cookies.erik);
    expect(badValue.status).toBe(400);
    expect(badValue.text).toContain("ska vara ett tal");
    const badPeriod = await post(`/overenskommelser/${agreementId}/mal`, { intent: "measurement", indicatorId, period: "våren 2025", value: "40", comment: "" }, cookies.erik);
    expect(badPeriod.status).toBe(400);
    expect(await tableDigest(db(), ["agreement_measurements"])).toEqual(before);
  });

  it("a bad value or period is told under that field of the indicator's form, which keeps what was typed", async () => {
    const before = await tableDigest(db(), ["agreement_measurements", "audit_events"]);
    const badValue = await post(`/overenskommelser/${agreementId}/mal`, { intent: "measurement", indicatorId, period: "2025-T3", value: "fyrtio", comment: "Efter enkäten" }, cookies.erik);
    expect(badValue.status).toBe(400);
    expect(formField(badValue.text, `value-${indicatorId}`)).toEqual({ invalid: "true", pointsToError: true, error: "Värdet ska vara ett tal, t.ex. 12 eller 3,5.", value: "fyrtio" });
    expect(formField(badValue.text, `period-${indicatorId}`)).toMatchObject({ invalid: undefined, value: "2025-T3" });
    expect(formField(badValue.text, `comment-${indicatorId}`).value).toBe("Efter enkäten");
    const badPeriod = await post(`/overenskommelser/${agreementId}/mal`, { intent: "measurement", indicatorId, period: "våren 2025", value: "40", comment: "" }, cookies.erik);
    expect(badPeriod.status).toBe(400);
    expect(formField(badPeriod.text, `period-${indicatorId}`)).toMatchObject({ invalid: "true", pointsToError: true, value: "våren 2025" });
    expect(formField(badPeriod.text, `period-${indicatorId}`).error).toContain("Perioden ska skrivas som");
    expect(await tableDigest(db(), ["agreement_measurements", "audit_events"])).toEqual(before);
  });

  it("a new indicator with a bad baseline period is told under that field, keeps what was typed and stores nothing", async () => {
    const before = await tableDigest(db(), ["agreement_indicators", "audit_events"]);
    const refused = await post(`/overenskommelser/${agreementId}/mal`, {
      intent: "addIndicator",
      goalId,
      name: "Anmälda bilbränder",
      unit: "antal",
      baselineValue: "12",
      baselinePeriod: "förra året",
      targetValue: "6",
      direction: "lagre_ar_battre",
      source: "",
    });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, "new-indicator-baseline-period")).toMatchObject({ invalid: "true", pointsToError: true, value: "förra året" });
    expect(formField(refused.text, "new-indicator-name")).toMatchObject({ invalid: undefined, value: "Anmälda bilbränder" });
    expect(checkedIn(refused.text, ["intent", "addIndicator"], "direction")).toEqual(["lagre_ar_battre"]);
    expect(await tableDigest(db(), ["agreement_indicators", "audit_events"])).toEqual(before);
  });

  it("a CSV import with errors names every bad row and stores nothing, not even the good rows", async () => {
    const before = await tableDigest(db(), ["agreement_measurements", "audit_events"]);
    const csv = ["period;värde;kommentar", "2025-T1;47;", "2025-T2;abc;", "2025-Q9;48;", "2025-T1;49;dubblett", "2025-T3;;"].join("\n");
    const result = await post(`/overenskommelser/${agreementId}/mal`, { intent: "import", indicatorId, csv }, cookies.erik);
    expect(result.status).toBe(400);
    expect(result.text).toContain("Inget importerades");
    expect(result.text).toContain("4 rader har fel");
    expect(result.text).toContain("Värdet ”abc” är inget tal.");
    expect(result.text).toContain("Perioden ”2025-Q9” känns inte igen");
    expect(result.text).toContain("Perioden 2025-T1 finns redan på rad 2.");
    expect(result.text).toContain("Värdet saknas.");
    // Drawn at the indicator's import, as a browser without JavaScript shows it: the disclosure
    // open, the refusal with each row, and the pasted rows kept for correcting.
    expect(result.text).toMatch(/<details open=""><summary>Importera mätvärden från CSV<\/summary>/);
    expect(result.text).toContain('<p class="field-error">Inget importerades: 4 rader har fel. Rätta filen och försök igen.</p>');
    expect(result.text).toContain("<li>Rad 3: Värdet ”abc” är inget tal.</li>");
    expect(result.text).toContain(`>${csv}</textarea>`);
    expect(await tableDigest(db(), ["agreement_measurements", "audit_events"])).toEqual(before);
    const noHeader = await post(`/overenskommelser/${agreementId}/mal`, { intent: "import", indicatorId, csv: "2025;40" }, cookies.erik);
    expect(noHeader.status).toBe(400);
    expect(await tableDigest(db(), ["agreement_measurements", "audit_events"])).toEqual(before);
  });

  it("a correct CSV file is imported whole, correcting an existing period, and the chart page shows the values with a text alternative", async () => {
    const form = new FormData();
    form.set("intent", "import");
    form.set("indicatorId", indicatorId);
    form.set("fil", new Blob(["period,värde,kommentar\n2024,46,rättat\n2025-T1,47.5,\n2025-T2,\"49,5\",ny mätning\n"], { type: "text/csv" }), "matning.csv");
    const response = await portal.fetch(`/overenskommelser/${agreementId}/mal`, { method: "POST", body: form, cookie: cookies.erik });
    const text = visible(await response.text());
    expect(response.status, text.slice(0, 300)).toBe(200);
    expect(text).toContain("2 nya och 1 ändrade mätvärden");
    expect(text).toMatch(/<details open=""><summary>Importera mätvärden från CSV<\/summary>[\s\S]*<p class="muted">Importen är klar: 2 nya och 1 ändrade mätvärden.<\/p>/);
    const stored = await db().select().from(agreementMeasurements).where(eq(agreementMeasurements.indicatorId, indicatorId));
    expect(Object.fromEntries(stored.map((row) => [row.period, row.value]))).toEqual({ "2024": 46, "2025-T1": 47.5, "2025-T2": 49.5 });
    const chart = await page(`/overenskommelser/${agreementId}/mal`, cookies.erik);
    expect(chart.text).toContain('role="img"');
    expect(chart.text).toContain("Senaste värde 49,5 procent (2025-T2). Målet är inte nått ännu.");
    expect(chart.text).toContain("<caption>Mätvärden för Andel trygga kvällstid</caption>");
  });
});

describe("medborgarlöften", () => {
  let promiseId = "";

  it("the police party creates a yearly promise with a quantified target", async () => {
    const year = String(new Date().getFullYear());
    const created = await post(
      "/medborgarloften",
      {
        title: "Helginsats vid Rinkeby torg (test)",
        description: "Polis och fältassistenter på plats fredag och lördag kväll.",
        year,
        localArea: "Järva",
        targetCount: "40",
        targetUnit: "veckor",
        targetOf: "52",
        ownerOrganisationId: orgs.jarva,
        partyOrganisationIds: orgs.lpo,
        agreementId,
      },
      cookies.johan,
    );
    expect(created.status, created.text.slice(0, 300)).toBe(302);
    promiseId = /\/medborgarloften\/([0-9a-f-]{36})$/.exec(created.location ?? "")![1];
    const [promise] = await db().select().from(citizenPromises).where(eq(citizenPromises.id, promiseId));
    expect(promise).toMatchObject({ targetCount: 40, targetUnit: "veckor", targetOf: 52, publishedAt: null });
  });

  it("logged occurrences count towards the target and the progress is shown", async () => {
    const year = new Date().getFullYear();
    for (const [day, quantity] of [["01-09", "1"], ["01-16", "1"], ["01-23", "2"]]) {
      const logged = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: `${year}-${day}`, quantity, note: "Lugnt" }, cookies.erik);
      expect(logged.status).toBe(200);
    }
    const view = await page(`/medborgarloften/${promiseId}`, cookies.erik);
    expect(view.text).toContain("4 av minst 40 veckor (av 52) (10 %)");
    const agreementPage = await page(`/overenskommelser/${agreementId}`, cookies.erik);
    expect(agreementPage.text).toContain("4 av minst 40 veckor (av 52)");
  });

  it("an occurrence outside the promise's year or with a bad count is refused and nothing is stored", async () => {
    const before = await tableDigest(db(), ["citizen_promise_occurrences", "citizen_promises"]);
    const wrongYear = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: "2019-05-04", quantity: "1", note: "" }, cookies.erik);
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.text).toContain(`Löftet gäller ${new Date().getFullYear()}`);
    const badCount = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: `${new Date().getFullYear()}-02-01`, quantity: "-3", note: "" }, cookies.erik);
    expect(badCount.status).toBe(400);
    const impossible = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: `${new Date().getFullYear()}-02-31`, quantity: "1", note: "" }, cookies.erik);
    expect(impossible.status).toBe(400);
    expect(impossible.text).toContain("Datumet finns inte i kalendern.");
    expect(await tableDigest(db(), ["citizen_promise_occurrences", "citizen_promises"])).toEqual(before);
    const count = await db().select().from(citizenPromiseOccurrences).where(eq(citizenPromiseOccurrences.promiseId, promiseId));
    expect(count).toHaveLength(3);
  });

  it("an impossible or wrong-year occurrence date is told under the date field, which keeps what was typed", async () => {
    const year = new Date().getFullYear();
    const before = await tableDigest(db(), ["citizen_promise_occurrences", "citizen_promises", "audit_events"]);
    const impossible = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: `${year}-02-31`, quantity: "2", note: "Regn" }, cookies.erik);
    expect(impossible.status).toBe(400);
    expect(formField(impossible.text, "occurrence-date")).toEqual({ invalid: "true", pointsToError: true, error: "Datumet finns inte i kalendern.", value: `${year}-02-31` });
    expect(formField(impossible.text, "occurrence-quantity")).toMatchObject({ invalid: undefined, value: "2" });
    expect(formField(impossible.text, "occurrence-note").value).toBe("Regn");
    // A refusal from the promise itself, not from the form's rules, is told beside the field too.
    const wrongYear = await post(`/medborgarloften/${promiseId}`, { intent: "log", occurredOn: "2019-05-04", quantity: "1", note: "" }, cookies.erik);
    expect(wrongYear.status).toBe(400);
    expect(formField(wrongYear.text, "occurrence-date")).toEqual({ invalid: "true", pointsToError: true, error: `Välj ett datum under ${year}.`, value: "2019-05-04" });
    expect(alertIn(wrongYear.text, ["intent", "log"])).toBe(`Löftet gäller ${year}. Välj ett datum det året.`);
    expect(await tableDigest(db(), ["citizen_promise_occurrences", "citizen_promises", "audit_events"])).toEqual(before);
  });

  it("a change to the promise with a bad target is told under that field and nothing is stored", async () => {
    const before = await tableDigest(db(), ["citizen_promises", "audit_events"]);
    const refused = await post(
      `/medborgarloften/${promiseId}`,
      { intent: "edit", title: "Helginsats vid Rinkeby torg (ändrad)", description: "", year: String(new Date().getFullYear()), localArea: "Järva", targetCount: "40", targetUnit: "veckor", targetOf: "30" },
      cookies.johan,
    );
    expect(refused.status).toBe(400);
    expect(formField(refused.text, "edit-promise-of")).toEqual({ invalid: "true", pointsToError: true, error: "”Av” kan inte vara mindre än målet.", value: "30" });
    expect(formField(refused.text, "edit-promise-title").value).toBe("Helginsats vid Rinkeby torg (ändrad)");
    expect(await tableDigest(db(), ["citizen_promises", "audit_events"])).toEqual(before);
  });

  it("a plain member may log but not publish; a lead of a party publishes", async () => {
    expect((await post(`/medborgarloften/${promiseId}`, { intent: "publish" }, cookies.erik)).status).toBe(403);
    expect((await post(`/medborgarloften/${promiseId}`, { intent: "publish" }, cookies.johan)).status).toBe(200);
    const [promise] = await db().select().from(citizenPromises).where(eq(citizenPromises.id, promiseId));
    expect(promise.publishedAt).not.toBeNull();
  });
});

describe("åtgärder linked to the agreement", () => {
  it("a lead links an åtgärd of a shared list to a problem and goal; the page shows it per fokusområde with status and judgement", async () => {
    const [list] = await db().insert(actionLists).values({ title: "Åtgärdslista Järva (test)", ownerOrganisationId: orgs.lpo, sharedWithOrganisationIds: [orgs.jarva] }).returning();
    const [item] = await db()
      .insert(actionItems)
      .values({
        listId: list.id,
        number: 1,
        title: "Belysning vid Rinkeby torg",
        status: "pagar",
        judgement: "gul",
        judgementReason: "Försenad leverans",
        focusArea: "stadens_offentliga_miljo",
        perspectives: ["jamstalldhet", "barn"],
      })
      .returning();
    const [hidden] = await db().insert(actionLists).values({ title: "Polisens interna lista", ownerOrganisationId: orgs.lpo }).returning();
    const [secret] = await db().insert(actionItems).values({ listId: hidden.id, number: 1, title: "Intern åtgärd", agreementId }).returning();
    const problemId = (await rows<{ id: string }>(db(), sql`select id from agreement_problems where agreement_id = ${agreementId}`))[0].id;
    // A plain member may not link; an åtgärd in a list not shared with the actor cannot be linked.
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "link", actionItemId: item.id, problemId, goalId }, cookies.erik)).status).toBe(403);
    const before = await tableDigest(db(), ["action_items"]);
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "link", actionItemId: secret.id, problemId: "", goalId: "" })).status).toBe(400);
    expect(await tableDigest(db(), ["action_items"])).toEqual(before);
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "link", actionItemId: item.id, problemId, goalId })).status).toBe(200);
    const [linked] = await db().select().from(actionItems).where(eq(actionItems.id, item.id));
    expect(linked).toMatchObject({ agreementId, agreementProblemId: problemId, agreementGoalId: goalId });
    const view = await page(`/overenskommelser/${agreementId}`);
    expect(view.text).toContain("<caption>Stadens offentliga miljö (1)</caption>");
    expect(view.text).toContain("1. Belysning vid Rinkeby torg");
    expect(view.text).toContain("Pågår");
    expect(view.text).toContain(">Gul</span>");
    expect(view.text).toContain("Otrygghet kvällstid i centrum / Tryggheten kvällstid ska öka");
    expect(view.text).not.toContain("Intern åtgärd");
    expect(view.text).toContain("1 kopplade åtgärder finns i åtgärdslistor som inte delas med din organisation");
  });

  it("a goal that is not the agreement's is told under the goal field of the link form, which keeps the åtgärd and problem that were chosen", async () => {
    const [list] = await db().insert(actionLists).values({ title: "Åtgärdslista Rinkeby (test)", ownerOrganisationId: orgs.lpo, sharedWithOrganisationIds: [orgs.jarva] }).returning();
    const [item] = await db().insert(actionItems).values({ listId: list.id, number: 1, title: "Klotter i gångtunneln" }).returning();
    const [other] = await db().insert(actionItems).values({ listId: list.id, number: 2, title: "Trasig belysning i parken" }).returning();
    const problemId = (await rows<{ id: string }>(db(), sql`select id from agreement_problems where agreement_id = ${agreementId}`))[0].id;
    const tables = ["action_items", "audit_events"];
    const before = await tableDigest(db(), tables);
    // An åtgärd that is not the list's first is chosen: a browser shows the first one when none is marked.
    const select = DomUtils.findOne((element) => element.attribs.id === "field-actionItemId", parseDocument((await page(`/overenskommelser/${agreementId}`)).text).children);
    const first = select && DomUtils.findOne((element) => element.name === "option", select.children)?.attribs.value;
    const chosen = first === item.id ? other.id : item.id;
    const refused = await post(`/overenskommelser/${agreementId}`, { intent: "link", actionItemId: chosen, problemId, goalId: crypto.randomUUID() });
    expect(refused.status).toBe(400);
    expect(formField(refused.text, "field-goalId")).toMatchObject({ invalid: "true", pointsToError: true, error: "Välj ett mål ur listan." });
    expect(formField(refused.text, "field-actionItemId")).toMatchObject(NO_FIELD_ERROR);
    expect(formField(refused.text, "field-problemId")).toMatchObject(NO_FIELD_ERROR);
    expect(chosenIn(refused.text, "field-actionItemId")).toBe(chosen);
    expect(chosenIn(refused.text, "field-problemId")).toBe(problemId);
    expect(alertIn(refused.text, ["intent", "link"])).toBe("Målet finns inte i den här överenskommelsen.");
    expect(await tableDigest(db(), tables)).toEqual(before);
  });
});

describe("an ended agreement", () => {
  it("refuses every change to its content and keeps its decided versions", async () => {
    const versions = await frozenRevisions();
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "end" }, cookies.erik)).status).toBe(403);
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "end" })).status).toBe(200);
    const before = await tableDigest(db(), ["agreements", "agreement_revisions", "agreement_content", "agreement_problems", "agreement_goals", "agreement_signatories"]);
    const refused = await post(`/overenskommelser/${agreementId}/redigera`, content({ situationSummary: "Efter slutet." }));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("har upphört");
    expect((await post(`/overenskommelser/${agreementId}`, { intent: "decide", decisionNote: "" })).status).toBe(409);
    expect((await page(`/overenskommelser/${agreementId}/redigera`)).status).toBe(409);
    expect(await tableDigest(db(), ["agreements", "agreement_revisions", "agreement_content", "agreement_problems", "agreement_goals", "agreement_signatories"])).toEqual(before);
    expect(await frozenRevisions()).toEqual(versions);
  });
});
