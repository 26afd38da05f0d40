import crypto from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { comingYears } from "../support/calendar";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-10");

const SYSTEM_ADMIN = { email: "maja.lindqvist@demo.stockholm.se", name: "Maja Lindqvist" };
/** The coordinator of the seeded network Trygghetsnätverket Järva. */
const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
/** A phone's width: what a page shows there must fit, tables included. */
const PHONE_WIDTH = 390;
const MAIL_WAIT_MS = 15_000;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** The server's APP_SECRET, so the test can sign an evaluation link the way the mail after the day does. */
const APP_SECRET = "pages-e2e-secret-that-is-long-enough-0123456789";

/** The evaluation link's token (as app/domain/kunskapsdagar/evaluation.server.ts signs it), valid for 30 days. */
/** A phone: a narrow touch screen in Swedish, signed in as the given state is. */
function phoneContext(browser: Browser, storageState: Awaited<ReturnType<BrowserContext["storageState"]>>, width = PHONE_WIDTH) {
  return browser.newContext({ locale: "sv-SE", viewport: { width, height: 844 }, isMobile: true, hasTouch: true, storageState });
}

function evaluationPath(registrationId: string) {
  const expires = Math.floor(Date.now() / 1000) + 30 * 86_400;
  const signature = crypto.createHmac("sha256", APP_SECRET).update(`kunskapsdag-evaluation:${registrationId}:${expires}`).digest().subarray(0, 20);
  return `/kunskapsdagar/utvardering/${registrationId}.${expires}.${encodeBase32LowerCaseNoPadding(new Uint8Array(signature))}`;
}

type PortalPage = {
  name: string;
  /** The address, where to find a link to it (the first link whose path matches), or one made while signing in. */
  path: string | { listedOn: string; matching: RegExp } | (() => string);
};

/** Addresses of records the tests create through the portal's own forms before the pages are checked. */
const created = { organisation: "", network: "", meeting: "", answer: "", poll: "", pollAnswer: "", kunskapsdag: "", manage: "", evaluation: "", agreement: "", actionList: "", history: "", promise: "" };

/**
 * The tables in the page's content whose scrolling box a keyboard cannot reach or a screen reader
 * cannot name: each sits in a region of its own (ui/table-region.tsx) that takes focus, so that the
 * arrow keys scroll it when it is wider than the screen. A table in an editor is left out: the
 * editor itself takes focus.
 */
async function unreachableTables(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLTableElement>("main table")]
      .filter((table) => !table.closest("[contenteditable]"))
      .flatMap((table) => {
        const name = table.caption?.textContent?.trim() || table.querySelector("th")?.textContent?.trim() || "(no caption)";
        let box = table.parentElement;
        while (box && box.tagName !== "MAIN" && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
        if (!box || box.tagName === "MAIN") return [`the table "${name}" has no region of its own that scrolls sideways`];
        const labelledBy = box.getAttribute("aria-labelledby");
        const label = (labelledBy ? document.getElementById(labelledBy)?.textContent : box.getAttribute("aria-label"))?.trim();
        const missing = [box.tabIndex === 0 ? "" : "keyboard focus", box.getAttribute("role") === "region" ? "" : "the region role", label ? "" : "a name"].filter(Boolean);
        return missing.length ? [`the region of the table "${name}" lacks ${missing.join(", ")}`] : [];
      }),
  );
}

/** Every page a signed-in system administrator can open. */
const PAGES: PortalPage[] = [
  { name: "the start page", path: "/" },
  { name: "the profile", path: "/profil" },
  { name: "the organisation list", path: "/organisationer" },
  { name: "an organisation", path: { listedOn: "/organisationer", matching: new RegExp(`^/organisationer/${UUID}$`) } },
  { name: "the network list", path: "/natverk" },
  { name: "a network", path: { listedOn: "/natverk", matching: new RegExp(`^/natverk/${UUID}$`) } },
  { name: "the new network form", path: "/natverk/nytt" },
  { name: "the new meeting form", path: () => `${created.network}/moten/nytt` },
  { name: "a meeting", path: () => created.meeting },
  { name: "the meeting edit form", path: () => `${created.meeting}/redigera` },
  { name: "a meeting's notes", path: () => `${created.meeting}/anteckningar` },
  { name: "the answer page of an invitation link", path: () => created.answer },
  { name: "the new time poll form", path: () => `${created.network}/tidsforslag/nytt` },
  { name: "a time poll", path: () => created.poll },
  { name: "the answer page of a time poll link", path: () => created.pollAnswer },
  { name: "a kunskapsdag", path: () => created.kunskapsdag },
  { name: "the kunskapsdagar list", path: "/kunskapsdagar" },
  { name: "the new kunskapsdag form", path: "/kunskapsdagar/ny" },
  { name: "a kunskapsdag's organiser page", path: () => `${created.kunskapsdag}/hantera` },
  { name: "the kunskapsdag edit form", path: () => `${created.kunskapsdag}/redigera` },
  { name: "a kunskapsdag's check-in page", path: () => `${created.kunskapsdag}/incheckning` },
  { name: "a kunskapsdag's overview", path: () => `${created.kunskapsdag}/oversikt` },
  { name: "a kunskapsdag's evaluation results", path: () => `${created.kunskapsdag}/utvardering` },
  { name: "the administration", path: "/admin" },
  { name: "the audit log", path: "/admin/logg" },
  { name: "the mail queue", path: "/admin/e-post" },
  { name: "the mail outbox", path: "/dev/mail" },
  { name: "the action list index", path: "/atgardslistor" },
  { name: "the new action list form", path: "/atgardslistor/ny" },
  { name: "an action list's live table", path: { listedOn: "/atgardslistor", matching: new RegExp(`^/atgardslistor/${UUID}$`) } },
  { name: "the agreement list", path: "/overenskommelser" },
  { name: "the new agreement form", path: "/overenskommelser/ny" },
  { name: "an agreement", path: () => created.agreement },
  { name: "an agreement's five steps", path: () => `${created.agreement}/steg` },
  { name: "an agreement's goals and indicator charts", path: () => `${created.agreement}/mal` },
  { name: "an agreement's versions", path: () => `${created.agreement}/versioner` },
  { name: "an agreement's draft editor", path: () => `${created.agreement}/redigera` },
  { name: "the medborgarlöften list", path: "/medborgarloften" },
  { name: "a medborgarlöfte", path: { listedOn: "/medborgarloften", matching: new RegExp(`^/medborgarloften/${UUID}$`) } },
  { name: "the public medborgarlöften page", path: "/offentligt/medborgarloften" },
];

describe.skipIf(!chromiumPath())("the portal's pages in a browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let signedIn: BrowserContext;
  const problems: string[] = [];

  function watch(page: Page, allowMissingResources = false) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      if (allowMissingResources && message.text().startsWith("Failed to load resource")) return;
      problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  async function resolvePath(page: Page, target: PortalPage["path"]): Promise<string> {
    if (typeof target === "string") return target;
    if (typeof target === "function") return target();
    await page.goto(`${server.url}${target.listedOn}`);
    const hrefs = await page
      .getByRole("main")
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    const path = hrefs.find((href) => target.matching.test(href));
    expect(path, `${target.listedOn} links to a page matching ${target.matching}`).toBeDefined();
    return path!;
  }

  async function expectPageStructure(page: Page, label: string) {
    const headings = page.getByRole("heading", { level: 1 });
    expect(await headings.count(), `${label} has exactly one h1`).toBe(1);
    expect((await headings.innerText()).trim(), `${label} has a non-empty h1`).not.toBe("");
    expect(await page.getByRole("main").count(), `${label} has one main landmark`).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("sv");
    expect((await page.title()).trim(), `${label} has a title`).not.toBe("");
  }

  /** The first Tab reaches the skip link, and following it puts keyboard focus on the content. */
  async function expectWorkingSkipLink(page: Page, label: string) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent?.trim(),
      href: document.activeElement?.getAttribute("href"),
      visible: (() => {
        const box = document.activeElement?.getBoundingClientRect();
        return !!box && box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
      })(),
    }));
    expect(focused, `the first Tab on ${label} lands on the skip link`).toEqual({
      text: "Hoppa till innehållet",
      href: "#innehall",
      visible: true,
    });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "innehall", null, { timeout: 2_000 }).catch(() => {});
    const after = await page.evaluate(() => ({ id: document.activeElement?.id, tag: document.activeElement?.tagName }));
    expect(after, `Enter on the skip link moves focus to the content on ${label}`).toEqual({ id: "innehall", tag: "MAIN" });
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServerProcess({ APP_SECRET }),
      chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS }),
    ]);
    signedIn = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    await (await signInWithCode(signedIn, server.url, SYSTEM_ADMIN, watch)).close();
    expect(problems, "signing in raised no errors in the browser").toEqual([]);
    await planMeeting(signedIn);
    expect(problems, "planning a meeting raised no errors in the browser").toEqual([]);
    await proposeTimes(signedIn);
    expect(problems, "proposing times raised no errors in the browser").toEqual([]);
    await createKunskapsdag(signedIn);
    expect(problems, "creating a kunskapsdag and registering for it raised no errors in the browser").toEqual([]);
    created.agreement = await findLocalAgreement(signedIn);
    await changeActionItem(signedIn);
    await linkActionToAgreement(signedIn);
    created.promise = await findPromise(signedIn);
    created.organisation = await findOrganisation(signedIn);
    expect(problems, "editing an åtgärd and linking one to the agreement raised no errors in the browser").toEqual([]);
  });

  /** Renames åtgärd 1 of the first action list in its live table, so that its history has a change to show. */
  async function changeActionItem(context: BrowserContext) {
    const page = watch(await context.newPage());
    created.actionList = await resolvePath(page, { listedOn: "/atgardslistor", matching: new RegExp(`^/atgardslistor/${UUID}$`) });
    await page.goto(`${server.url}${created.actionList}`);
    await page.getByText("Uppdateras live").waitFor();
    const title = page.getByLabel("Åtgärd, åtgärd 1", { exact: true });
    const renamed = "Trygghetsvandring i centrum tillsammans med fastighetsägare, boende och föreningslivet under hösten";
    await title.fill(renamed);
    await title.press("Enter");
    // Saved over the socket: a reload shows it once it is stored (expect.poll is for tests, not their setup).
    for (let tries = 0; ; tries += 1) {
      await page.reload();
      if ((await page.getByLabel("Åtgärd, åtgärd 1", { exact: true }).inputValue()) === renamed) break;
      if (tries === 20) throw new Error("the renamed åtgärd was not stored");
      await page.waitForTimeout(250);
    }
    const item = await page.getByRole("link", { name: "Åtgärd 1: detaljer och historik" }).getAttribute("href");
    created.history = `${item}/historik`;
    await page.close();
  }

  /** Links the first offered åtgärd to the agreement, so that the agreement shows its table of åtgärder. */
  async function linkActionToAgreement(context: BrowserContext) {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}${created.agreement}`);
    await page.getByRole("region", { name: "Koppla en åtgärd" }).getByRole("button", { name: "Koppla åtgärden" }).click();
    await page.getByText("Åtgärden är kopplad till överenskommelsen.").waitFor();
    await page.close();
  }

  /** The seeded organisation with members in the portal, so that its page shows their table. */
  async function findOrganisation(context: BrowserContext) {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/organisationer`);
    const href = await page.getByRole("link", { name: "Järva stadsdelsnämnd", exact: true }).getAttribute("href");
    await page.close();
    return new URL(href!, server.url).pathname;
  }

  /** The seeded medborgarlöfte with registered occurrences. */
  async function findPromise(context: BrowserContext) {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/medborgarloften`);
    const href = await page.getByRole("link", { name: "Helginsats i centrum" }).first().getAttribute("href");
    await page.close();
    return new URL(href!, server.url).pathname;
  }

  /**
   * Creates and publishes a kunskapsdag through the organiser's forms, then registers for it in a
   * context without an account and finds the manage link in the confirmation mail.
   */
  async function createKunskapsdag(context: BrowserContext) {
    const page = watch(await context.newPage());
    const inDays = (days: number) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + days * 86_400_000));
    await page.goto(`${server.url}/kunskapsdagar/ny`);
    await page.locator("#field-title").fill("Tillgänglig kunskapsdag");
    await page.getByLabel("Datum", { exact: true }).fill(inDays(20));
    await page.getByLabel("Börjar", { exact: true }).fill("09:00");
    await page.getByLabel("Slutar", { exact: true }).fill("15:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel(/^Antal platser/).fill("30");
    await page.getByLabel("Anmälan öppnar").fill(`${inDays(-1)}T08:00`);
    await page.getByLabel("Anmälan stänger").fill(`${inDays(19)}T12:00`);
    await page.getByLabel("Punkt 1: tid").fill("09:00");
    await page.locator("#programme-title-0").fill("Välkommen");
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.waitForURL((url) => new RegExp(`^/kunskapsdagar/${UUID}/hantera$`).test(url.pathname));
    created.kunskapsdag = new URL(page.url()).pathname.replace(/\/hantera$/, "");
    await page.getByRole("button", { name: "Publicera" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Ja, publicera" }).click();
    await page.getByText("Publicerad", { exact: true }).waitFor();
    await page.close();

    const anonymous = await browser.newContext({ locale: "sv-SE" });
    const visitor = watch(await anonymous.newPage());
    await visitor.goto(`${server.url}${created.kunskapsdag}`);
    await visitor.getByLabel("Namn", { exact: true }).fill("Vera Besökare");
    await visitor.getByLabel(/^E-postadress/).fill("vera.besokare@exempel.se");
    await visitor.getByLabel("Organisation", { exact: true }).selectOption({ label: "Region Stockholm" });
    await visitor.getByLabel(/^Jag godkänner/).check();
    await visitor.getByRole("button", { name: "Anmäl mig" }).click();
    await visitor.getByText("Du har fått en plats").waitFor();
    await visitor.goto(`${server.url}/dev/mail`);
    const mail = visitor.getByRole("row").filter({ hasText: "vera.besokare@exempel.se" }).getByRole("link").first();
    await mail.waitFor({ timeout: MAIL_WAIT_MS });
    await mail.click();
    const manage = visitor.getByRole("link", { name: "Ändra eller avboka din anmälan" }).first();
    await manage.waitFor();
    created.manage = new URL((await manage.getAttribute("href"))!).pathname;
    // The manage token starts with the registration's id, which the evaluation link signs.
    created.evaluation = evaluationPath(/^\/kunskapsdagar\/anmalan\/([0-9a-f-]{36})\./.exec(created.manage)![1]);
    await anonymous.close();
  }

  it.each([
    { name: "the kunskapsdagar list", path: () => "/kunskapsdagar" },
    { name: "a kunskapsdag with its registration form", path: () => created.kunskapsdag },
    { name: "the manage page of a registration link", path: () => created.manage },
    { name: "the evaluation form of an evaluation link", path: () => created.evaluation },
  ])("without an account, $name has one h1, a working skip link and no serious accessibility problems, also on a phone", async ({ name, path }) => {
    problems.length = 0;
    for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 800 }]) {
      const anonymous = await browser.newContext({ locale: "sv-SE", viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
      try {
        const page = watch(await anonymous.newPage());
        const response = await page.goto(`${server.url}${path()}`);
        expect(response?.status(), `${name} answers 200 without an account`).toBe(200);
        expect(new URL(page.url()).pathname, `${name} is shown without a redirect`).toBe(path());
        await page.waitForLoadState("networkidle");
        await expectPageStructure(page, name);
        await expectNoSeriousA11yViolations(page, `${name} (${viewport.width} px)`);
        if (viewport.width < 500) {
          const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
          expect(widths.scroll, `${name} is no wider than the screen`).toBeLessThanOrEqual(375 + 1);
        } else {
          await expectWorkingSkipLink(page, name);
        }
        expect(problems).toEqual([]);
      } finally {
        await anonymous.close();
      }
    }
  });

  /** Fills the open new-meeting form (09:00–10:00 at Stadshuset, one agenda item), sends it, and gives the new meeting's address. */
  async function fillNewMeetingForm(page: Page, title: string, date: string, extraEmails = "") {
    await page.getByLabel("Rubrik", { exact: true }).fill(title);
    await page.getByLabel("Datum").fill(date);
    await page.getByLabel("Börjar").fill("09:00");
    await page.getByLabel("Slutar").fill("10:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel("Punkt 1: rubrik").fill("Lägesbild");
    if (extraEmails) await page.getByLabel("Fler e-postadresser").fill(extraEmails);
    await page.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    await page.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
    return new URL(page.url()).pathname;
  }

  /** Plans a meeting through the form (inviting the signed-in person too) and finds the answer link in the mail. */
  async function planMeeting(context: BrowserContext) {
    const page = watch(await context.newPage());
    created.network = await resolvePath(page, { listedOn: "/natverk", matching: new RegExp(`^/natverk/${UUID}$`) });
    await page.goto(`${server.url}${created.network}`);
    await page.getByRole("link", { name: "Nytt möte" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/moten/nytt"));
    created.meeting = await fillNewMeetingForm(page, "Tillgänglighetsmöte", coming("2026-12-10"), SYSTEM_ADMIN.email);

    await page.goto(`${server.url}/dev/mail`);
    const mail = page.getByRole("row").filter({ hasText: SYSTEM_ADMIN.email }).filter({ hasText: "Tillgänglighetsmöte" }).getByRole("link").first();
    await mail.waitFor({ timeout: MAIL_WAIT_MS });
    await mail.click();
    const answer = page.getByRole("link", { name: "Ja", exact: true }).first();
    await answer.waitFor();
    created.answer = new URL((await answer.getAttribute("href"))!).pathname;
    await page.close();
  }

  /** Sends a time poll through the form (asking the signed-in person too) and finds the answer link in the mail. */
  async function proposeTimes(context: BrowserContext) {
    const page = watch(await context.newPage());
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${server.url}${created.network}`);
    await page.getByRole("link", { name: "Nytt tidsförslag" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/tidsforslag/nytt"));
    await page.getByLabel("Rubrik", { exact: true }).fill("Tillgänglighetsförslag");
    for (const [index, date] of [day(40), day(41)].entries()) {
      const row = page.getByRole("group", { name: `Tid ${index + 1}`, exact: true });
      await row.getByLabel("Datum").fill(date);
      await row.getByLabel("Börjar").fill("09:00");
      await row.getByLabel("Slutar").fill("10:00");
    }
    await page.getByLabel("Sista svarsdag").fill(day(30));
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel("Fler e-postadresser").fill(SYSTEM_ADMIN.email);
    await page.getByRole("button", { name: "Skicka tidsförslaget" }).click();
    await page.waitForURL((url) => new RegExp(`^/tidsforslag/${UUID}$`).test(url.pathname));
    created.poll = new URL(page.url()).pathname;

    await page.goto(`${server.url}/dev/mail`);
    const mail = page.getByRole("row").filter({ hasText: SYSTEM_ADMIN.email }).filter({ hasText: "Tillgänglighetsförslag" }).getByRole("link").first();
    await mail.waitFor({ timeout: MAIL_WAIT_MS });
    await mail.click();
    const answer = page.getByRole("link", { name: "Svara på tidsförslaget" }).first();
    await answer.waitFor();
    created.pollAnswer = new URL((await answer.getAttribute("href"))!).pathname;
    await page.close();
  }

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(PAGES)("$name has one h1, a main landmark, a working skip link and no serious accessibility problems", async ({ name, path }) => {
    problems.length = 0;
    const page = watch(await signedIn.newPage());
    try {
      const resolved = await resolvePath(page, path);
      const response = await page.goto(`${server.url}${resolved}`);
      expect(response?.status(), `${name} (${resolved}) answers 200`).toBe(200);
      expect(new URL(page.url()).pathname, `${name} is shown without a redirect`).toBe(resolved);
      await page.waitForLoadState("networkidle");
      await expectPageStructure(page, name);
      await expectNoSeriousA11yViolations(page, name);
      await expectWorkingSkipLink(page, name);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("an unknown address shows the Swedish not-found page, which is accessible too", async () => {
    problems.length = 0;
    const page = watch(await signedIn.newPage(), true);
    try {
      const response = await page.goto(`${server.url}/finns-inte/alls`);
      expect(response?.status()).toBe(404);
      await page.waitForLoadState("networkidle");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Sidan finns inte");
      // The title says it too: it is what a tab and a screen reader's list of pages show.
      expect(await page.title()).toBe("Sidan finns inte – Samverkansportalen");
      await expectPageStructure(page, "the not-found page");
      await expectNoSeriousA11yViolations(page, "the not-found page");
      await expectWorkingSkipLink(page, "the not-found page");
      await page.getByRole("link", { name: "Till startsidan" }).click();
      await page.waitForURL(`${server.url}/`);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each([
    { name: "the start page", path: () => "/" },
    { name: "a meeting", path: () => created.meeting },
    { name: "a meeting's notes", path: () => `${created.meeting}/anteckningar` },
    { name: "the new meeting form", path: () => `${created.network}/moten/nytt` },
    { name: "a time poll", path: () => created.poll },
    { name: "the new time poll form", path: () => `${created.network}/tidsforslag/nytt` },
    { name: "a kunskapsdag's check-in page", path: () => `${created.kunskapsdag}/incheckning` },
    { name: "a kunskapsdag's overview", path: () => `${created.kunskapsdag}/oversikt` },
    { name: "an agreement", path: () => created.agreement },
    { name: "an agreement's goals and indicator charts", path: () => `${created.agreement}/mal` },
    { name: "the public medborgarlöften page", path: () => "/offentligt/medborgarloften" },
  ])("$name fits a narrow phone screen without sideways scrolling", async ({ name, path }) => {
    problems.length = 0;
    const phone = await phoneContext(browser, await signedIn.storageState(), 375);
    try {
      const page = watch(await phone.newPage());
      await page.goto(`${server.url}${path()}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
      expect(widths.viewport).toBe(375);
      expect(widths.scroll, `${name} is no wider than the screen`).toBeLessThanOrEqual(375 + 1);
      await expectNoSeriousA11yViolations(page, `${name} on a phone`);
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  /**
   * What does not fit sideways: the page itself, or the content of a region that scrolls (a table
   * whose right-hand columns are cut off). A form field's own text scrolling inside it is not counted.
   */
  async function cutOffSideways(page: Page) {
    return page.evaluate(() => {
      const found: string[] = [];
      const root = document.scrollingElement!;
      if (root.scrollWidth > window.innerWidth + 1) found.push(`the page is ${root.scrollWidth} px wide`);
      for (const element of document.querySelectorAll<HTMLElement>("main *")) {
        if (element.closest(".visually-hidden") || element.matches("input, select, textarea")) continue;
        if (!["auto", "scroll", "hidden"].includes(getComputedStyle(element).overflowX)) continue;
        if (element.scrollWidth > element.clientWidth + 1) {
          const name = element.getAttribute("aria-label") ?? element.className;
          found.push(`${element.tagName.toLowerCase()} "${name}" holds ${element.scrollWidth} px in ${element.clientWidth} px`);
        }
      }
      return found;
    });
  }

  it.each([
    { name: "an agreement with an åtgärd linked to it", path: () => created.agreement },
    { name: "an åtgärd's change history", path: () => created.history },
    { name: "a medborgarlöfte with its occurrences", path: () => created.promise },
    { name: "an action list's live table", path: () => created.actionList },
    { name: "the action list index", path: () => "/atgardslistor" },
    { name: "a meeting with its invitees", path: () => created.meeting },
    { name: "a network", path: () => created.network },
    { name: "the mail queue", path: () => "/admin/e-post" },
    { name: "the audit log", path: () => "/admin/logg" },
    { name: "the organisation list", path: () => "/organisationer" },
    { name: "an organisation with its members", path: () => created.organisation },
  ])(`at ${PHONE_WIDTH} px, $name shows all of its content without sideways scrolling, and has no serious accessibility problems`, async ({ name, path }) => {
    problems.length = 0;
    const phone = await phoneContext(browser, await signedIn.storageState());
    try {
      const page = watch(await phone.newPage());
      await page.goto(`${server.url}${path()}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => window.innerWidth)).toBe(PHONE_WIDTH);
      expect(await cutOffSideways(page), `${name} at ${PHONE_WIDTH} px`).toEqual([]);
      expect(await unreachableTables(page), `tables on ${name}`).toEqual([]);
      // A list laid out in a row (a sub-menu, a row of buttons) draws no bullets over its items.
      const bulleted = await page.evaluate(() =>
        [...document.querySelectorAll("main ul, main ol")]
          .filter((list) => ["flex", "inline-flex", "grid"].includes(getComputedStyle(list).display))
          .flatMap((list) => [...list.children].filter((item) => getComputedStyle(item).display === "list-item" && getComputedStyle(item).listStyleType !== "none"))
          .map((item) => item.textContent?.trim()),
      );
      expect(bulleted, `items of a list laid out in a row on ${name}`).toEqual([]);
      await expectNoSeriousA11yViolations(page, `${name} at ${PHONE_WIDTH} px`);
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("on the action list index, the network filter's field and its button stay together, apart from the create action", async () => {
    problems.length = 0;
    for (const width of [1280, PHONE_WIDTH]) {
      const context = await browser.newContext({ locale: "sv-SE", viewport: { width, height: 900 }, storageState: await signedIn.storageState() });
      try {
        const page = watch(await context.newPage());
        await page.goto(`${server.url}/atgardslistor`);
        const filter = page.getByRole("form", { name: "Filtrera listor" });
        const field = (await filter.getByLabel("Nätverk").boundingBox())!;
        const button = (await filter.getByRole("button", { name: "Visa" }).boundingBox())!;
        expect(button.y, `at ${width} px the button is on the field's line`).toBeLessThan(field.y + field.height);
        expect(button.x, `at ${width} px the button follows the field`).toBeGreaterThanOrEqual(field.x + field.width);
        expect(await filter.getByRole("link", { name: "Ny åtgärdslista" }).count(), "the create action is not part of the filter").toBe(0);
        await page.getByRole("link", { name: "Ny åtgärdslista" }).waitFor();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  /** A button's colours as drawn. */
  const look = (button: Locator) =>
    button.evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, text: style.color, border: style.borderTopColor };
    });
  const WHITE = "rgb(255, 255, 255)";

  it("a destructive button is a quiet red one beside the main action, and its dialog's final answer is solid red", async () => {
    problems.length = 0;
    const page = watch(await signedIn.newPage());
    try {
      await page.goto(`${server.url}${created.meeting}`);
      await page.waitForLoadState("networkidle");
      const primary = await look(page.getByRole("button", { name: "Spara svar" }));
      const cancel = page.getByRole("button", { name: "Ställ in mötet" });
      const trigger = await look(cancel);
      expect(trigger.background, "the trigger's background differs from the main action's").not.toBe(primary.background);
      expect(trigger).toEqual({ background: WHITE, text: trigger.border, border: trigger.border });
      expect(trigger.text, "the trigger's text is not the main action's colour").not.toBe(primary.background);
      expect(await look(page.getByRole("button", { name: `Ta bort ${SYSTEM_ADMIN.name}` })), "a row's remove button looks the same").toEqual(trigger);

      await cancel.click();
      const dialog = page.getByRole("alertdialog", { name: "Ställa in mötet?" });
      const confirm = await look(dialog.getByRole("button", { name: "Ja, ställ in mötet" }));
      expect(confirm.background, "the final answer is solid in the trigger's red").toBe(trigger.text);
      expect(confirm.text).toBe(WHITE);
      expect(await look(dialog.getByRole("button", { name: "Avbryt" })), "cancelling is the secondary button").toMatchObject({ background: WHITE });
      await expectNoSeriousA11yViolations(page, "the question before cancelling a meeting");
      await dialog.getByRole("button", { name: "Avbryt" }).click();
      await dialog.waitFor({ state: "detached" });
      expect(await page.getByText("Planerat", { exact: true }).count(), "the meeting is still planned").toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("without JavaScript, a meeting is cancelled from the question that unfolds under its button, and the page says so", async () => {
    problems.length = 0;
    const noScript = await browser.newContext({ locale: "sv-SE", viewport: { width: PHONE_WIDTH, height: 844 }, javaScriptEnabled: false, storageState: await signedIn.storageState() });
    try {
      const page = watch(await noScript.newPage());
      await page.goto(`${server.url}${created.network}/moten/nytt`);
      const meeting = await fillNewMeetingForm(page, "Möte som ställs in utan skript", coming("2026-12-11"));

      const confirm = page.getByRole("button", { name: "Ja, ställ in mötet" });
      expect(await confirm.isVisible(), "the question is folded until asked for").toBe(false);
      await page.getByText("Ställ in mötet", { exact: true }).click();
      await page.getByText("Ställa in mötet?").waitFor();
      expect(await look(confirm), "the final answer is solid red").toMatchObject({ text: WHITE });
      await confirm.click();
      await page.waitForURL((url) => url.pathname === meeting && url.search === "");
      await page.getByRole("status").getByText("Mötet är inställt. De inbjudna får ett mejl om det.").waitFor();
      expect(await page.getByText("Inställt", { exact: true }).count(), "the meeting is shown as cancelled").toBeGreaterThan(0);
      const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
      expect(widths.scroll, "the page is no wider than the phone").toBeLessThanOrEqual(widths.viewport);
      expect(problems).toEqual([]);
    } finally {
      await noScript.close();
    }
  });

  it("a message to a kunskapsdag's registered is confirmed in a dialog; an empty one is refused at its field", async () => {
    problems.length = 0;
    // The refused post answers 400, which the browser logs.
    const page = watch(await signedIn.newPage(), true);
    try {
      await page.goto(`${server.url}${created.kunskapsdag}/oversikt`);
      await page.waitForLoadState("networkidle");
      const send = page.getByRole("button", { name: "Skicka till alla anmälda" });
      // Nothing written: no question; the refusal is summed up above the form, linked to the subject field.
      await send.click();
      await page.getByRole("link", { name: "Skriv en ämnesrad." }).waitFor();
      expect(await page.getByLabel("Ämne", { exact: true }).getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByRole("alertdialog").count()).toBe(0);

      await page.getByLabel("Ämne", { exact: true }).fill("Ny lokal");
      await page.getByLabel("Meddelande", { exact: true }).fill("Vi ses i Blå hallen.");
      await send.click();
      const dialog = page.getByRole("alertdialog", { name: "Skicka meddelandet?" });
      await dialog.getByText("”Ny lokal” skickas som mejl till alla anmälda.").waitFor();
      await expectNoSeriousA11yViolations(page, "the question before a message to everyone registered");
      await dialog.getByRole("button", { name: "Ja, skicka" }).click();
      await page.getByText(/^Meddelandet skickas till \d+ anmälda?\.$/).waitFor();
      expect(await page.getByLabel("Ämne", { exact: true }).inputValue(), "the form is emptied after sending").toBe("");
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("on a network page, leaving the network is its last action and stepping down as coordinator is a quiet red button", async () => {
    problems.length = 0;
    const coordinator = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    try {
      await (await signInWithCode(coordinator, server.url, COORDINATOR, watch)).close();
      const page = watch(await coordinator.newPage());
      await page.goto(`${server.url}/natverk`);
      await page.getByRole("link", { name: "Trygghetsnätverket Järva" }).click();
      await page.getByRole("heading", { level: 1, name: "Trygghetsnätverket Järva" }).waitFor();
      const actions = await page.getByRole("main").locator(".button").allInnerTexts();
      expect(actions.at(-1), "the last of the page's actions").toBe("Lämna nätverket");
      expect(actions.indexOf("Nytt möte")).toBeLessThan(actions.indexOf("Lämna nätverket"));
      const primary = await look(page.getByRole("link", { name: "Nytt möte" }));
      for (const name of ["Lämna nätverket", `Ta bort ${COORDINATOR.name} som samordnare`]) {
        const drawn = await look(page.getByRole("button", { name, exact: true }));
        expect(drawn.background, `${name} is not drawn like the main action`).not.toBe(primary.background);
        expect(drawn, `${name} is a quiet red button`).toEqual({ background: WHITE, text: drawn.border, border: drawn.border });
        expect(drawn.text).not.toBe(primary.background);
      }
      await expectNoSeriousA11yViolations(page, "a network as its coordinator");
      expect(problems).toEqual([]);
    } finally {
      await coordinator.close();
    }
  });

  /** The seeded local agreement for Järva, which has indicators with measurements. */
  async function findLocalAgreement(context: BrowserContext) {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/overenskommelser`);
    const href = await page.getByRole("link", { name: /^Lokal samverkansöverenskommelse Järva/ }).getAttribute("href");
    await page.close();
    return href!;
  }

  it("every indicator chart is drawn as one image with a text alternative, next to a table of its figures", async () => {
    problems.length = 0;
    const page = watch(await signedIn.newPage());
    try {
      await page.goto(`${server.url}${created.agreement}/mal`);
      await page.locator(".chart-frame svg.recharts-surface").first().waitFor();
      const charts = await page.locator("figure.indicator-chart").evaluateAll((figures) =>
        figures.map((figure) => ({
          image: figure.querySelector(".chart-frame")?.getAttribute("role"),
          label: figure.querySelector(".chart-frame")?.getAttribute("aria-label") ?? "",
          drawn: figure.querySelector(".chart-frame svg") !== null,
          rows: figure.querySelectorAll("table tbody tr").length,
        })),
      );
      expect(charts.length).toBeGreaterThanOrEqual(2);
      for (const chart of charts) {
        expect(chart.image).toBe("img");
        expect(chart.label).toMatch(/^Diagram: .+ Utgångsvärde .+ Mål /);
        expect(chart.drawn).toBe(true);
        expect(chart.rows).toBeGreaterThanOrEqual(3);
      }
      await expectNoSeriousA11yViolations(page, "the indicator charts");
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("on the goals page, a failed CSV import's error goes away when a single value is then saved", async () => {
    problems.length = 0;
    // The refused import answers 400 on purpose, which the browser logs as a failed resource.
    const page = watch(await signedIn.newPage(), true);
    try {
      await page.goto(`${server.url}${created.agreement}/mal`);
      // The import answers with the script's data: clicked before the page is hydrated, it would post the whole page.
      await page.waitForLoadState("networkidle");
      const card = page.locator(".card").filter({ has: page.getByLabel(/^CSV-fil för /) }).first();
      await card.getByText("Importera mätvärden från CSV").click();
      await card.getByLabel("… eller klistra in raderna").fill("period;värde\nnästa år;12");
      await card.getByRole("button", { name: "Importera" }).click();
      await card.getByText(/^Inget importerades/).waitFor();

      await card.getByText("Lägg in eller rätta ett mätvärde").click();
      await card.getByRole("textbox", { name: /^Period/ }).fill("2026");
      await card.getByLabel(/^Värde/).fill("55");
      await card.getByRole("button", { name: "Spara värdet" }).click();
      await card.getByText("Värdet för 2026 är sparat.").waitFor();
      await expect.poll(() => card.getByText(/^Inget importerades/).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("the public medborgarlöften page opens without an account and is accessible", async () => {
    problems.length = 0;
    const anonymous = await browser.newContext({ locale: "sv-SE" });
    try {
      const page = watch(await anonymous.newPage());
      const response = await page.goto(`${server.url}/offentligt/medborgarloften`);
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe("/offentligt/medborgarloften");
      await page.getByRole("heading", { name: "Helginsats i centrum" }).waitFor();
      await expectPageStructure(page, "the public medborgarlöften page");
      await expectNoSeriousA11yViolations(page, "the public medborgarlöften page");
      expect(problems).toEqual([]);
    } finally {
      await anonymous.close();
    }
  });
});

/**
 * The follow-up pages of an agreement, on a portal in this process (the agreement's data is
 * written straight into its database, as the agreement pages are not part of this check).
 */
describe.skipIf(!chromiumPath())("the follow-up pages in a browser", () => {
  let portal: import("../support/portal").TestPortal;
  let browser: Browser;
  let context: BrowserContext;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    const { startTestPortal } = await import("../support/portal");
    const { buildJarvaAgreement } = await import("../support/followup");
    const { stockholmDay } = await import("../support/wait");
    [portal, browser] = await Promise.all([startTestPortal(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    const built = await buildJarvaAgreement(portal.portal.db);
    const cookie = await portal.signInAs("johan.ek@demo.stockholm.se");
    const opened = await portal.post(`/overenskommelser/${built.agreement.id}/uppfoljning`, { intent: "create-period", kind: "t1", year: "2026", deadline: stockholmDay(20) }, { cookie });
    expect(opened.status).toBe(302);
    const periodId = opened.headers.get("location")!.split("/").at(-1)!;
    const base = `/overenskommelser/${built.agreement.id}`;
    Object.assign(paths, {
      periods: `${base}/uppfoljning`,
      period: `${base}/uppfoljning/${periodId}`,
      mine: `${base}/uppfoljning/${periodId}/mina-atgarder`,
      report: `${base}/rapport/${periodId}`,
    });
    context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url: portal.url }]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it.each([
    { name: "the follow-up periods", key: "periods" },
    { name: "a follow-up period with the goal judgements", key: "period" },
    { name: "an owner's update page", key: "mine" },
    { name: "the tertial report", key: "report" },
  ])("$name has no serious or critical axe violations", async ({ name, key }) => {
    const page = await context.newPage();
    try {
      const response = await page.goto(`${portal.url}${paths[key]}`);
      expect(response?.status()).toBe(200);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expectNoSeriousA11yViolations(page, name);
    } finally {
      await page.close();
    }
  });

  it.each([
    { name: "a follow-up period with the goal judgements", key: "period" },
    { name: "the tertial report", key: "report" },
  ])(`at ${PHONE_WIDTH} px, every table on $name scrolls in a named region that a keyboard reaches, and axe finds no serious problem`, async ({ name, key }) => {
    const phone = await phoneContext(browser, await context.storageState());
    try {
      const page = await phone.newPage();
      const response = await page.goto(`${portal.url}${paths[key]}`);
      expect(response?.status()).toBe(200);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => window.innerWidth)).toBe(PHONE_WIDTH);
      expect(await page.locator("main table").count(), `${name} shows tables`).toBeGreaterThan(0);
      expect(await unreachableTables(page), `tables on ${name}`).toEqual([]);
      await expectNoSeriousA11yViolations(page, `${name} at ${PHONE_WIDTH} px`);
    } finally {
      await phone.close();
    }
  });

  it("every indicator chart in the report has a text alternative and a table with its values", async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${portal.url}${paths.report}`);
      const charts = page.locator('svg[role="img"]');
      expect(await charts.count()).toBe(2);
      for (const chart of await charts.all()) {
        const labelId = await chart.getAttribute("aria-labelledby");
        expect((await page.locator(`[id="${labelId}"]`).innerText()).trim()).toMatch(/senaste värde/);
      }
      await expect.poll(() => page.getByRole("table").count()).toBeGreaterThan(5);
    } finally {
      await page.close();
    }
  });
});
