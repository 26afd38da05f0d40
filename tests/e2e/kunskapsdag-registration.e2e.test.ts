import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { openMail, signInWithCode } from "../support/e2e";

/**
 * A participant without an account on a phone, using only the keyboard: registers for a
 * kunskapsdag, sees the seat count change live while someone else registers, and cancels through
 * the personal link in the confirmation mail. And someone offered a freed seat from the waitlist
 * declines it: the button and the confirmation say that they decline the offered place and leave
 * the waitlist, and the mail that follows says the same.
 */
const ORGANISER = { email: "maja.lindqvist@demo.stockholm.se", name: "Maja Lindqvist" };
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "sv-SE" };

const hasBrowser = Boolean(chromiumPath());

describe.runIf(hasBrowser)("registering for a kunskapsdag in the browser", () => {
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

  /** Creates and publishes a day as the organiser; returns its public page's path. */
  async function publishDay(title: string, seats: number, offerHoldHours?: string) {
    const organiser = await browser.newContext({ locale: "sv-SE" });
    await (await signInWithCode(organiser, server.url, ORGANISER, watch)).close();
    const page = watch(await organiser.newPage());
    await page.goto(`${server.url}/kunskapsdagar/ny`);
    await page.locator("#field-title").fill(title);
    await page.getByLabel("Datum", { exact: true }).fill(inDays(21));
    await page.getByLabel("Börjar", { exact: true }).fill("09:00");
    await page.getByLabel("Slutar", { exact: true }).fill("15:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel(/^Antal platser/).fill(String(seats));
    if (offerHoldHours) await page.locator("#field-offerHoldHours").selectOption(offerHoldHours);
    await page.getByLabel("Anmälan öppnar").fill(`${inDays(-1)}T08:00`);
    await page.getByLabel("Anmälan stänger").fill(`${inDays(20)}T12:00`);
    await page.getByLabel("Punkt 1: tid").fill("09:00");
    await page.locator("#programme-title-0").fill("Välkommen");
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.waitForURL((url) => new RegExp(`^/kunskapsdagar/${UUID}/hantera$`).test(url.pathname));
    const path = new URL(page.url()).pathname.replace(/\/hantera$/, "");
    await page.getByRole("button", { name: "Publicera" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Ja, publicera" }).click();
    await page.getByText("Publicerad", { exact: true }).waitFor();
    await organiser.close();
    return path;
  }

  /** Registers on the day's page with the mouse (a seat or a place on the waitlist). */
  async function register(context: BrowserContext, path: string, name: string, email: string) {
    const page = watch(await context.newPage());
    await page.goto(`${server.url}${path}`);
    await page.getByLabel("Namn", { exact: true }).fill(name);
    await page.getByLabel(/^E-postadress/).fill(email);
    await page.getByLabel("Organisation", { exact: true }).selectOption({ label: "Region Stockholm" });
    await page.getByLabel(/^Jag godkänner/).check();
    await page.getByRole("button", { name: /^(Anmäl mig|Ställ mig på väntelistan)$/ }).click();
    await page.getByText(/Du har fått en plats|Du står på plats \d+ på väntelistan/).waitFor();
    await page.close();
  }

  /** The personal link behind the named button of the newest mail to `to` (with `subject`). */
  async function mailedLink(context: BrowserContext, to: string, button: string, subject?: string) {
    const mail = watch(await context.newPage());
    await openMail(mail, server.url, to, subject);
    const href = await mail.getByRole("link", { name: button }).first().getAttribute("href");
    await mail.close();
    return new URL(href!).pathname;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    dayPath = await publishDay("Kunskapsdag om lokal samverkan", 20);
    expect(problems).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("on a phone with the keyboard only: registers, sees another registration take a seat live, and cancels through the mailed link", async () => {
    const phone = await browser.newContext(PHONE);
    const page = watch(await phone.newPage());
    await page.goto(`${server.url}${dayPath}`);
    await page.getByRole("heading", { level: 1, name: "Kunskapsdag om lokal samverkan" }).waitFor();
    await expect.poll(() => page.locator("[data-seats-left]").count()).toBe(1);
    const before = await seatsLeft(page);
    expect(before).toBe(20);

    // Someone else registers on another device; the phone's count follows without a reload.
    const other = await browser.newContext({ locale: "sv-SE" });
    await register(other, dayPath, "Omar Annan", "omar.annan@exempel.se");
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
    const manage = watch(await phone.newPage());
    await manage.goto(`${server.url}${await mailedLink(phone, "vera.besokare@exempel.se", "Ändra eller avboka din anmälan")}`);
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

  it("the offer is declined as an offered place, with a confirmation and a mail that say the person leaves the waitlist", async () => {
    // One seat, and a freed seat is offered and held for 24 hours.
    const path = await publishDay("Kunskapsdag med betänketid", 1, "24");
    const context = await browser.newContext({ locale: "sv-SE" });
    await register(context, path, "Anna Plats", "anna.plats@exempel.se");
    await register(context, path, "Bertil Vantar", "bertil.vantar@exempel.se");

    // Anna gives up her seat; it is offered to Bertil and held for him.
    const annas = watch(await context.newPage());
    await annas.goto(`${server.url}${await mailedLink(context, "anna.plats@exempel.se", "Ändra eller avboka din anmälan", "Anmälan bekräftad")}`);
    await annas.getByRole("button", { name: "Avboka min plats" }).click();
    await annas.getByRole("alertdialog").getByRole("button", { name: "Ja, avboka" }).click();
    await annas.getByText("Anmälan är avbokad.").waitFor();

    const page = watch(await context.newPage());
    await page.goto(`${server.url}${await mailedLink(context, "bertil.vantar@exempel.se", "Bekräfta din plats", "En plats är ledig för dig")}`);
    await page.getByRole("heading", { name: "En plats är ledig för dig" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Tacka nej till platsen" }).waitFor();
    expect(await page.getByRole("button", { name: "Lämna väntelistan" }).count()).toBe(0);
    await page.getByRole("button", { name: "Tacka nej till platsen" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByRole("heading", { name: "Tacka nej till platsen?" }).waitFor();
    expect(await dialog.innerText()).toContain("Platsen går direkt vidare till nästa på väntelistan, och du står inte längre kvar på väntelistan.");
    await dialog.getByRole("button", { name: "Ja, tacka nej" }).click();
    await page.getByText("Anmälan är avbokad.").waitFor();

    const mail = watch(await context.newPage());
    await openMail(mail, server.url, "bertil.vantar@exempel.se", "Du har tackat nej till platsen");
    expect(await mail.locator("pre").innerText()).toContain("Du har tackat nej till den erbjudna platsen på kunskapsdagen och står inte längre kvar på väntelistan.");
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
