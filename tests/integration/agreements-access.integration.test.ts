import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreements, citizenPromises, memberships, organisations, users } from "../../db/schema";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * Who sees an agreement, over HTTP: the seeded local agreement for Järva belongs to Järva
 * stadsdelsnämnd and is shared with Lokalpolisområde Järva. Its parties and the central level
 * (stadsledningskontoret) see it; another stadsdelsnämnd and an organisation that is no party do
 * not, on any of its pages, and their posts change nothing. The public page lists only published
 * promises, without names or internal notes.
 */

const LOCAL_TITLE = "Lokal samverkansöverenskommelse Järva 2024–2027";
const CITY_TITLE = "Samverkansöverenskommelse mellan Stockholms stad och Polisregion Stockholm 2024–2027";

type Who = "jarvaAdmin" | "lpoMember" | "centralCoordinator" | "farstaAdmin" | "regionMember" | "systemAdmin";
const EMAILS: Record<Who, string> = {
  jarvaAdmin: "johan.ek@demo.stockholm.se",
  lpoMember: "erik.sandberg@demo.polisen.se",
  centralCoordinator: "amina.hassan@demo.stockholm.se",
  farstaAdmin: "frida.farsta@matris.stockholm.se",
  regionMember: "lena.berg@demo.regionstockholm.se",
  systemAdmin: "maja.lindqvist@demo.stockholm.se",
};
const SEES: Record<Who, boolean> = { jarvaAdmin: true, lpoMember: true, centralCoordinator: true, farstaAdmin: false, regionMember: false, systemAdmin: true };
const EDITS: Record<Who, boolean> = { jarvaAdmin: true, lpoMember: false, centralCoordinator: true, farstaAdmin: false, regionMember: false, systemAdmin: true };
const WHO = Object.keys(EMAILS) as Who[];

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = {} as Record<Who, string>;
let localId = "";
let publishedTitle = "";
let unpublishedTitle = "";

const AGREEMENT_TABLES = [
  "agreements",
  "agreement_content",
  "agreement_revisions",
  "agreement_problems",
  "agreement_goals",
  "agreement_signatories",
  "agreement_step_criteria",
  "agreement_indicators",
  "agreement_measurements",
  "citizen_promises",
  "citizen_promise_occurrences",
  "audit_events",
];

beforeAll(async () => {
  portal = await startTestPortal();
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [frida] = await db().insert(users).values({ email: EMAILS.farstaAdmin, name: "Frida Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: frida.id, organisationId: farsta.id, role: "admin" });
  for (const who of WHO) cookies[who] = await portal.signInAs(EMAILS[who]);
  [{ id: localId }] = await db().select({ id: agreements.id }).from(agreements).where(eq(agreements.title, LOCAL_TITLE));
  const promises = await db().select().from(citizenPromises).where(eq(citizenPromises.agreementId, localId));
  publishedTitle = promises.find((promise) => promise.publishedAt !== null)!.title;
  unpublishedTitle = promises.find((promise) => promise.publishedAt === null)!.title;
});

afterAll(async () => {
  await portal?.close();
});

const PAGES = ["", "/steg", "/mal", "/versioner"];

describe("a local agreement over HTTP", () => {
  it.each(WHO)("%s · the agreement's pages answer as the policy says", async (who) => {
    for (const suffix of PAGES) {
      const response = await portal.fetch(`/overenskommelser/${localId}${suffix}`, { cookie: cookies[who] });
      const text = await response.text();
      expect(response.status, `${who} ${suffix}`).toBe(SEES[who] ? 200 : 404);
      expect(text.includes("Otrygghet kvällstid i centrummiljöer"), `${who} ${suffix}`).toBe(SEES[who] && suffix === "");
    }
    const edit = await portal.fetch(`/overenskommelser/${localId}/redigera`, { cookie: cookies[who] });
    expect(edit.status, who).toBe(EDITS[who] ? 200 : SEES[who] ? 403 : 404);
  });

  it.each(WHO)("%s · the list shows the local agreement only to those who see it", async (who) => {
    const text = await (await portal.fetch("/overenskommelser", { cookie: cookies[who] })).text();
    expect(text.includes(LOCAL_TITLE)).toBe(SEES[who]);
  });

  it("the city-wide agreement is not shown to a stadsdelsnämnd that is not a party", async () => {
    const text = await (await portal.fetch("/overenskommelser", { cookie: cookies.farstaAdmin })).text();
    expect(text).not.toContain(CITY_TITLE);
    expect(text).toContain("Det finns inga");
  });

  it("posts from those who do not see the agreement are refused as not found and change nothing", async () => {
    const goal = (await rows<{ id: string }>(db(), sql`select id from agreement_goals where agreement_id = ${localId} order by position limit 1`))[0].id;
    const indicator = (await rows<{ id: string }>(db(), sql`select id from agreement_indicators where agreement_id = ${localId} limit 1`))[0].id;
    const criterion = (await rows<{ id: string }>(db(), sql`select id from agreement_step_criteria where agreement_id = ${localId} limit 1`))[0].id;
    const before = await tableDigest(db(), AGREEMENT_TABLES);
    const attempts: Array<[string, Record<string, string>]> = [
      ["", { intent: "decide", decisionNote: "" }],
      ["", { intent: "end" }],
      ["/redigera", { intent: "addGoal", title: "Intrång", description: "", problemId: "" }],
      ["/mal", { intent: "measurement", indicatorId: indicator, period: "2026", value: "1", comment: "" }],
      ["/mal", { intent: "import", indicatorId: indicator, csv: "period;värde\n2026;1" }],
      ["/mal", { intent: "addIndicator", goalId: goal, name: "X", unit: "st", baselineValue: "1", baselinePeriod: "2023", targetValue: "2", direction: "hogre_ar_battre", source: "" }],
      ["/steg", { intent: "criterion", criterionId: criterion, done: "ja", ownerUserId: "", dueDate: "" }],
    ];
    for (const who of ["farstaAdmin", "regionMember"] as const) {
      for (const [suffix, fields] of attempts) {
        const response = await portal.post(`/overenskommelser/${localId}${suffix}`, fields, { cookie: cookies[who] });
        expect(response.status, `${who} ${suffix} ${fields.intent}`).toBe(404);
      }
    }
    // A party's plain member may record progress but not change the plan or decide.
    for (const [suffix, fields] of attempts.slice(0, 3)) {
      const response = await portal.post(`/overenskommelser/${localId}${suffix}`, fields, { cookie: cookies.lpoMember });
      expect(response.status, `lpoMember ${suffix} ${fields.intent}`).toBe(403);
    }
    expect(await tableDigest(db(), AGREEMENT_TABLES)).toEqual(before);
  });

  it("the medborgarlöften of the agreement are managed by its parties only", async () => {
    const promise = (await db().select().from(citizenPromises).where(eq(citizenPromises.title, publishedTitle)))[0];
    for (const who of WHO) {
      const response = await portal.fetch(`/medborgarloften/${promise.id}`, { cookie: cookies[who] });
      expect(response.status, who).toBe(SEES[who] ? 200 : 404);
    }
    const before = await tableDigest(db(), AGREEMENT_TABLES);
    const refused = await portal.post(`/medborgarloften/${promise.id}`, { intent: "unpublish" }, { cookie: cookies.farstaAdmin });
    expect(refused.status).toBe(404);
    const log = await portal.post(`/medborgarloften/${promise.id}`, { intent: "log", occurredOn: `${promise.year}-03-01`, quantity: "1", note: "" }, { cookie: cookies.regionMember });
    expect(log.status).toBe(404);
    expect(await tableDigest(db(), AGREEMENT_TABLES)).toEqual(before);
  });
});

describe("the public promise page", () => {
  it("is open without an account and shows only published promises, without names or internal notes", async () => {
    await db().execute(sql`update citizen_promise_occurrences set note = 'Intern anteckning om insatsen' where promise_id in (select id from citizen_promises where agreement_id = ${localId})`);
    const response = await portal.fetch("/offentligt/medborgarloften");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(publishedTitle);
    expect(text).toContain("12 av minst 40 veckor (av 52)");
    expect(text).not.toContain(unpublishedTitle);
    expect(text).not.toContain("Intern anteckning");
    expect(text).not.toContain("Maja Lindqvist");
    expect(text).not.toContain("@");
  });

  it("a promise taken off the public page disappears from it at once", async () => {
    const promise = (await db().select().from(citizenPromises).where(eq(citizenPromises.title, publishedTitle)))[0];
    expect((await portal.post(`/medborgarloften/${promise.id}`, { intent: "unpublish" }, { cookie: cookies.jarvaAdmin })).status).toBe(200);
    const text = await (await portal.fetch("/offentligt/medborgarloften")).text();
    expect(text).not.toContain(publishedTitle);
    expect(text).toContain("Det finns inga publicerade medborgarlöften just nu.");
  });
});
