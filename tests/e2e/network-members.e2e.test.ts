import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { comingYears } from "../support/calendar";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-17");

/**
 * The coordinator's work in a real browser: adding and (after confirming) removing a network
 * member, answering an invitation from the start page, and replacing the calendar link.
 */

const AMINA = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" }; // coordinator of the demo network
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

describe.skipIf(!chromiumPath())("network members, invitations and the calendar link in a browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let networkPath = "";
  const problems: string[] = [];

  /** `refusals`: a 409 answer is the refusal under test, which the browser reports as a failed resource. */
  function watch(page: Page, refusals = false) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      if (refusals && message.text() === "Failed to load resource: the server responded with a status of 409 (Conflict)") return;
      problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ locale: "sv-SE", viewport: { width: 390, height: 844 } });
    await (await signInWithCode(context, server.url, AMINA, watch)).close();
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/natverk`);
    const href = await page.getByRole("link", { name: "Trygghetsnätverket Järva" }).getAttribute("href");
    networkPath = href!;
    expect(networkPath).toMatch(new RegExp(`^/natverk/${UUID}$`));
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a coordinator finds a person, adds them, and removes them again after confirming", async () => {
    problems.length = 0;
    const page = watch(await context.newPage());
    await page.goto(`${server.url}${networkPath}`);
    await page.getByLabel("Sök person på namn eller e-postadress").fill("Lena");
    await page.getByRole("button", { name: "Sök person" }).click();
    await page.getByRole("button", { name: "Lägg till Lena Berg" }).click();
    await page.getByRole("status").filter({ hasText: "Lena Berg är nu medlem i nätverket." }).waitFor();
    const members = page.getByRole("region", { name: "Region Stockholm" });
    await members.getByRole("button", { name: "Ta bort Lena Berg" }).waitFor();
    await expectNoSeriousA11yViolations(page, "the network page with search results");

    await page.getByRole("button", { name: "Ta bort Lena Berg" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Ta bort Lena Berg ur nätverket?" });
    await dialog.waitFor();
    // Cancelling changes nothing.
    await dialog.getByRole("button", { name: "Avbryt" }).click();
    await dialog.waitFor({ state: "hidden" });
    await members.getByRole("button", { name: "Gör Lena Berg till samordnare" }).waitFor();
    await page.getByRole("button", { name: "Ta bort Lena Berg" }).click();
    await dialog.getByRole("button", { name: "Ja, ta bort" }).click();
    await members.waitFor({ state: "detached" });
    // The row went with its button: the page says what happened, and the keyboard focus, which
    // would otherwise have fallen back to the top of the page, is on that message.
    const told = page.getByRole("status").filter({ hasText: "Lena Berg är borttagen ur nätverket." });
    await told.waitFor();
    await expect.poll(() => told.evaluate((element) => element === document.activeElement)).toBe(true);
    await expectNoSeriousA11yViolations(page, "the network page after removing a member");
    await told.getByRole("button", { name: "Stäng" }).click();
    await told.waitFor({ state: "hidden" });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the last coordinator who tries to leave is told why not", async () => {
    problems.length = 0;
    const page = watch(await context.newPage(), true);
    await page.goto(`${server.url}${networkPath}`);
    await page.getByRole("button", { name: "Lämna nätverket" }).click();
    await page.getByRole("alertdialog", { name: "Lämna nätverket?" }).getByRole("button", { name: "Ja, lämna nätverket" }).click();
    await page.getByRole("alert").filter({ hasText: "Du är nätverkets enda samordnare och kan inte lämna det." }).waitFor();
    expect(new URL(page.url()).pathname).toBe(networkPath);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an invitation waiting for an answer is answered from the start page", async () => {
    problems.length = 0;
    const page = watch(await context.newPage());
    const planned = await page.request.post(`${server.url}${networkPath}/moten/nytt`, {
      form: { title: "Möte att svara på", date: coming("2026-12-17"), startTime: "13:00", endTime: "14:00", place: "Tensta träff", extraEmails: AMINA.email },
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(planned.status()).toBe(302);
    await page.goto(`${server.url}/`);
    const card = page.getByRole("region", { name: "Inbjudningar att svara på" });
    await card.getByRole("link", { name: "Möte att svara på" }).waitFor();
    await card.getByRole("button", { name: "Ja på Möte att svara på" }).click();
    await card.getByText("Du har inga obesvarade inbjudningar.").waitFor();
    await page.getByRole("region", { name: "Mina möten" }).getByText("Du har svarat Ja").first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a person creates a calendar link and replaces it after confirming; the old link stops working", async () => {
    problems.length = 0;
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/profil`);
    await page.getByRole("button", { name: "Skapa kalenderlänk" }).click();
    const field = page.getByLabel("Din kalenderlänk");
    await field.waitFor();
    const first = await field.inputValue();
    expect(first).toMatch(/\/kalender\/[a-z2-7]{32}\.ics$/);
    expect((await page.request.get(first)).status()).toBe(200);
    await page.getByRole("button", { name: "Skapa ny länk" }).click();
    await page.getByRole("alertdialog", { name: "Skapa en ny kalenderlänk?" }).getByRole("button", { name: "Ja, skapa ny länk" }).click();
    await page.waitForFunction((old) => (document.getElementById("kalenderlank") as HTMLInputElement | null)?.value !== old, first);
    const second = await field.inputValue();
    expect(second).not.toBe(first);
    expect((await page.request.get(first)).status()).toBe(404);
    const feed = await page.request.get(second);
    expect(feed.status()).toBe(200);
    expect(await feed.text()).toContain("SUMMARY:Möte att svara på");
    await expectNoSeriousA11yViolations(page, "the profile with a calendar link");
    expect(problems).toEqual([]);
    await page.close();
  });
});
