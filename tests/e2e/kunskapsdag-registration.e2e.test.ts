import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { openMail, signInWithCode } from "../support/e2e";

/**
 * A participant without an account on a phone, using only the keyboard: registers for a
 * kunskapsdag, sees the seat count change live while someone else registers, and cancels through
 * the personal link in the confirmation mail.
 */
const ORGANISER = { email: "maja.lindqvist@demo.stockholm.se", name: "Maja Lindqvist" };
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "sv-SE" };

const hasBrowser = Boolean(chromiumPath());

describe.runIf(hasBrowser)("registering for a kunskapsdag on a phone with the keyboard only", () => {
  let server: ServerProcess;
  let browser: Browser;
  let dayPath = "";
  const problems: string[] = [];

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  const inDays = (days: number) =>
    new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + days * 86_400_000));

  /** Presses Tab until the focused element satisfies `isTarget`; fails if it never does. */
  async function tabTo(page: Page, what: string, isTarget: (element: { id: string; text: string; name: string }) => boolean) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return { id: element?.id ?? "", text: (element?.innerText ?? "").trim(), name: element?.getAttribute("name") ?? "" };
      });
      if (isTarget(focused)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  }

  const seatsLeft = async (page: Page) => Number(await page.locator("[data-seats-left]").getAttribute("data-seats-left"));

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    const organiser = await browser.newContext({ locale: "sv-SE" });
    await (await signInWithCode(organiser, server.url, ORGANISER, watch)).close();
    const page = watch(await organiser.newPage());
    await page.goto(`${server.url}/kunskapsdagar/ny`);
    await page.locator("#field-title").fill("Kunskapsdag om lokal samverkan");
    await page.getByLabel("Datum", { exact: true }).fill(inDays(21));
    await page.getByLabel("Börjar", { exact: true }).fill("09:00");
    await page.getByLabel("Slutar", { exact: true }).fill("15:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel(/^Antal platser/).fill("20");
    await page.getByLabel("Anmälan öppnar").fill(`${inDays(-1)}T08:00`);
    await page.getByLabel("Anmälan stänger").fill(`${inDays(20)}T12:00`);
    await page.getByLabel("Punkt 1: tid").fill("09:00");
    await page.locator("#programme-title-0").fill("Välkommen");
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.waitForURL((url) => new RegExp(`^/kunskapsdagar/${UUID}/hantera$`).test(url.pathname));
    dayPath = new URL(page.url()).pathname.replace(/\/hantera$/, "");
    await page.getByRole("button", { name: "Publicera" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Ja, publicera" }).click();
    await page.getByText("Publicerad", { exact: true }).waitFor();
    await organiser.close();
    expect(problems).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("registers, sees another registration take a seat live, and cancels through the mailed link", async () => {
    const phone = await browser.newContext(PHONE);
    const page = watch(await phone.newPage());
    await page.goto(`${server.url}${dayPath}`);
    await page.getByRole("heading", { level: 1, name: "Kunskapsdag om lokal samverkan" }).waitFor();
    await expect.poll(() => page.locator("[data-seats-left]").count()).toBe(1);
    const before = await seatsLeft(page);
    expect(before).toBe(20);

    // Someone else registers on another device; the phone's count follows without a reload.
    const other = await browser.newContext({ locale: "sv-SE" });
    const otherPage = watch(await other.newPage());
    await otherPage.goto(`${server.url}${dayPath}`);
    await otherPage.getByLabel("Namn", { exact: true }).fill("Omar Annan");
    await otherPage.getByLabel(/^E-postadress/).fill("omar.annan@exempel.se");
    await otherPage.getByLabel("Organisation", { exact: true }).selectOption({ label: "Region Stockholm" });
    await otherPage.getByLabel(/^Jag godkänner/).check();
    await otherPage.getByRole("button", { name: "Anmäl mig" }).click();
    await otherPage.getByText("Du har fått en plats").waitFor();
    await other.close();
    await expect.poll(() => seatsLeft(page), { timeout: 10_000 }).toBe(before - 1);

    // The participant's own registration, with Tab, typing, Space and Enter only.
    await page.locator("body").focus();
    await tabTo(page, "the name field", (element) => element.name === "name");
    await page.keyboard.type("Vera Besökare");
    await tabTo(page, "the e-mail field", (element) => element.name === "email");
    await page.keyboard.type("vera.besokare@exempel.se");
    await tabTo(page, "the organisation list", (element) => element.id === "field-organisationId");
    await page.keyboard.type("Region Stockholm");
    expect(await page.locator("#field-organisationId option:checked").innerText()).toBe("Region Stockholm");
    await tabTo(page, "the consent box", (element) => element.name === "consent");
    await page.keyboard.press("Space");
    expect(await page.getByLabel(/^Jag godkänner/).isChecked()).toBe(true);
    await tabTo(page, "the register button", (element) => element.text === "Anmäl mig");
    await page.keyboard.press("Enter");
    await page.getByText("Du har fått en plats").waitFor();
    await expect.poll(() => seatsLeft(page), { timeout: 10_000 }).toBe(before - 2);

    // The confirmation mail's personal link, followed and used with the keyboard on the phone.
    const mail = watch(await phone.newPage());
    await openMail(mail, server.url, "vera.besokare@exempel.se");
    const href = await mail.getByRole("link", { name: "Ändra eller avboka din anmälan" }).first().getAttribute("href");
    await mail.close();
    const manage = watch(await phone.newPage());
    await manage.goto(`${server.url}${new URL(href!).pathname}`);
    await manage.locator("body").focus();
    await tabTo(manage, "the cancel button", (element) => element.text === "Avboka min plats");
    await manage.keyboard.press("Enter");
    const dialog = manage.getByRole("alertdialog");
    await dialog.waitFor();
    await tabTo(manage, "the confirm button", (element) => element.text === "Ja, avboka");
    await manage.keyboard.press("Enter");
    await manage.getByText(/Din plats är avbokad|Anmälan är avbokad/).first().waitFor();

    // The freed seat shows on the day's page at once.
    await expect.poll(() => seatsLeft(page), { timeout: 10_000 }).toBe(before - 1);
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport + 1);
    expect(problems).toEqual([]);
    await phone.close();
  }, 120_000);
});
