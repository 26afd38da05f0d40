import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { signInWithCode } from "../support/e2e";
import { startServerProcess, type ServerProcess } from "../support/server-process";

const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
const MEMBER = { email: "erik.sandberg@demo.polisen.se" };
const REGION_MEMBER = { email: "lena.berg@demo.regionstockholm.se", name: "Lena Berg" };
const MAIL_WAIT_MS = 15_000;

describe.skipIf(!chromiumPath())("signing in with a link from the mail outbox", () => {
  let server: ServerProcess;
  let browser: Browser;
  const pageErrors: string[] = [];
  /** Answers the browser reports as failed loads although the page expects them. */
  const expectedStatuses = new Set<number>();

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServerProcess(),
      chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: "sv-SE" });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      // A missing /favicon.ico is the browser's own request, not the page's.
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      const status = /status of (\d{3})/.exec(message.text())?.[1];
      if (status && expectedStatuses.has(Number(status))) return;
      pageErrors.push(`${page.url()}: console error ${message.text()}`);
    });
    return { context, page };
  }

  /** Asks for a sign-in link on /logga-in and opens the mail that carries it in the outbox. */
  async function requestLink(page: Page, email: string, checkA11y: boolean): Promise<string> {
    await page.goto(`${server.url}/logga-in`);
    if (checkA11y) await expectNoSeriousA11yViolations(page, "the sign-in page");
    await page.getByLabel("E-postadress").fill(email);
    await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
    await page.waitForURL((url) => url.pathname === "/logga-in/kod");
    expect(new URL(page.url()).searchParams.get("adress")).toBe(email);
    await page.getByRole("heading", { level: 1 }).waitFor();
    if (checkA11y) await expectNoSeriousA11yViolations(page, "the code page");

    // The mail is sent by a background job; the outbox list refreshes itself every few seconds.
    await page.goto(`${server.url}/dev/mail`);
    const mailLink = page.getByRole("row").filter({ hasText: email }).getByRole("link").first();
    await mailLink.waitFor({ timeout: MAIL_WAIT_MS });
    if (checkA11y) await expectNoSeriousA11yViolations(page, "the outbox");
    await mailLink.click();
    await page.waitForURL((url) => /^\/dev\/mail\/[^/]+$/.test(url.pathname));

    const signInLink = mailSignInLink(page);
    await signInLink.waitFor();
    if (checkA11y) await expectNoSeriousA11yViolations(page, "a mail in the outbox");
    // Soft, so that the rest of the flow is still exercised when only the wording is off.
    expect.soft(await signInLink.innerText(), "the link in the outbox reads just “Logga in”").toBe("Logga in");
    const href = await signInLink.getAttribute("href");
    expect(href).toMatch(/\/logga-in\/lank\?token=[^&\s]+$/);
    expect(new URL(href!).origin).toBe(new URL(server.url).origin);
    return href!;
  }

  /** The sign-in link listed under “Länkar i mejlet” on a mail's page in the outbox. */
  function mailSignInLink(page: Page) {
    return page.getByRole("region", { name: "Länkar i mejlet" }).locator('a[href*="/logga-in/lank?token="]');
  }

  it("a coordinator signs in through the link in the outbox", async () => {
    const { context, page } = await newPage();
    const link = await requestLink(page, COORDINATOR.email, true);

    await mailSignInLink(page).click();
    await page.waitForURL((url) => url.pathname === "/logga-in/lank");
    expect(page.url()).toBe(link);
    await expectNoSeriousA11yViolations(page, "the sign-in link page");

    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForURL(`${server.url}/`);
    const welcome = page.getByRole("heading", { level: 1, name: `Välkommen, ${COORDINATOR.name}` });
    await welcome.waitFor();
    await expectNoSeriousA11yViolations(page, "the start page");

    const session = (await context.cookies(server.url)).find((cookie) => cookie.name === "sv_session");
    expect(session, "the browser holds a session cookie").toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    // Scripts on the page cannot read the session.
    expect(await page.evaluate(() => document.cookie)).not.toContain("sv_session");
    expect(pageErrors).toEqual([]);
  });

  it("a sign-in link that has already been used explains itself and offers a new one", async () => {
    const first = await newPage();
    const link = await requestLink(first.page, MEMBER.email, false);
    await first.page.goto(link);
    await first.page.getByRole("button", { name: "Logga in" }).click();
    await first.page.waitForURL(`${server.url}/`);
    await first.page.getByRole("heading", { level: 1, name: /^Välkommen, / }).waitFor();

    // Someone opening the same link again, e.g. on another device, is not signed in.
    // The refusal is answered with 410 Gone, which the browser logs as a failed load.
    expectedStatuses.add(410);
    const second = await newPage();
    await second.page.goto(link);
    await second.page.getByRole("button", { name: "Logga in" }).click();
    const heading = second.page.getByRole("heading", { level: 1, name: "Inloggningen gick inte igenom" });
    await heading.waitFor();
    const explanation = await second.page.getByRole("alert").innerText();
    expect(explanation).toContain("redan använts");
    const again = second.page.getByRole("link", { name: "Skicka en ny inloggningslänk" });
    await again.waitFor();
    await expectNoSeriousA11yViolations(second.page, "the failed sign-in page");
    expect((await second.context.cookies(server.url)).some((cookie) => cookie.name === "sv_session" && cookie.value)).toBe(false);

    await again.click();
    await second.page.waitForURL((url) => url.pathname === "/logga-in");
    await second.page.getByLabel("E-postadress").waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("from the start page, the main menu opens a page without reloading it or asking for routes", async () => {
    const context = await browser.newContext({ locale: "sv-SE" });
    const watch = (page: Page) => {
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: uncaught ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) pageErrors.push(`${page.url()}: console error ${message.text()}`);
      });
      return page;
    };
    const page = await signInWithCode(context, server.url, REGION_MEMBER, watch);
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document" || new URL(request.url()).pathname.includes("__manifest")) documents.push(request.url());
    });
    // Marks this document: a full reload would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const menu = page.getByRole("navigation", { name: "Huvudmeny" });
    await expect.poll(() => menu.getByRole("link", { name: "Start" }).getAttribute("aria-current")).toBe("page");
    await menu.getByRole("link", { name: "Nätverk" }).click();
    await page.waitForURL(`${server.url}/natverk`);
    await page.getByRole("heading", { level: 1, name: "Nätverk" }).waitFor();

    expect(await menu.getByRole("link", { name: "Nätverk" }).getAttribute("aria-current")).toBe("page");
    expect(await menu.getByRole("link", { name: "Start" }).getAttribute("aria-current")).toBeNull();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(documents, "no new document and no route manifest request").toEqual([]);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
