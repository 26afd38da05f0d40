import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { comingYears } from "../support/calendar";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2027-03-16");

const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
const MAIL_WAIT_MS = 15_000;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/**
 * A coordinator plans a weekly series through the form, cancels one meeting of it through the
 * confirmation dialog, and changes another after choosing "Bara detta möte"; the pages pass axe.
 */
describe.skipIf(!chromiumPath())("a meeting series in a browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // The refused form posts below answer 400 on purpose; the browser logs every such response.
      if (message.text() === "Failed to load resource: the server responded with a status of 400 (Bad Request)") return;
      problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  /** Opens the new-meeting form of the network that the coordinator's network list links to. */
  async function openNewMeetingForm(page: Page) {
    await page.goto(`${server.url}/natverk`);
    const networkHref = (await page
      .getByRole("main")
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname)))
      .find((href) => new RegExp(`^/natverk/${UUID}$`).test(href))!;
    await page.goto(`${server.url}${networkHref}/moten/nytt`);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    await (await signInWithCode(context, server.url, COORDINATOR, watch)).close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("plans a weekly series, cancels one meeting after confirming, and changes only one other meeting", async () => {
    problems.length = 0;
    const page = watch(await context.newPage());
    await openNewMeetingForm(page);
    await page.getByLabel("Rubrik", { exact: true }).fill("Veckomöte i webbläsaren");
    await page.getByLabel("Datum").fill(coming("2027-03-16"));
    await page.getByLabel("Börjar").fill("09:00");
    await page.getByLabel("Slutar").fill("10:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel("Upprepning").selectOption("weekly");
    // Forgetting the end is explained beside the field, and nothing typed is lost.
    await page.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    // Told beside the field and in the summary above the form.
    await page.locator("#field-repeatEnd-error").getByText("Välj när serien slutar").waitFor();
    expect(await page.getByLabel("Rubrik", { exact: true }).inputValue()).toBe("Veckomöte i webbläsaren");
    await expectNoSeriousA11yViolations(page, "the new meeting form with a series error");
    await page.getByLabel("Efter ett antal möten").check();
    await page.getByLabel("Antal möten", { exact: true }).fill("4");
    await page.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    await page.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
    await page.getByRole("status").getByText(/^Mötesserien är skapad med 4 möten\. Inbjudan till serien har skickats till \d+ personer\.$/).waitFor();

    const series = page.getByRole("region", { name: "Mötesserie" });
    await series.waitFor();
    expect(await series.getByRole("listitem").count()).toBe(4);
    expect(await series.innerText()).toContain(coming("Varje vecka på tisdagar 09:00–10:00, 4 gånger från 16 mars 2027"));
    await expectNoSeriousA11yViolations(page, "a meeting of a series");

    // Cancel the second meeting, only that one, through the dialog.
    const firstUrl = page.url();
    await series.getByRole("link").first().click();
    await page.waitForURL((url) => url.href !== firstUrl && new RegExp(`^/moten/${UUID}$`).test(url.pathname), { waitUntil: "commit" });
    await page.getByRole("button", { name: "Ställ in bara detta möte" }).waitFor();
    const secondUrl = page.url();
    await page.getByRole("button", { name: "Ställ in bara detta möte" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.waitFor();
    expect(await dialog.getByRole("heading").innerText()).toBe("Ställa in bara detta möte?");
    await expectNoSeriousA11yViolations(page, "the dialog for cancelling one meeting of a series");
    await dialog.getByRole("button", { name: "Ja, ställ in detta möte" }).click();
    await page.getByText("Mötet är inställt.", { exact: true }).waitFor();
    expect(await page.getByRole("region", { name: "Mötesserie" }).getByText("Inställt").count()).toBe(1);

    // Change the third meeting: the form asks which meetings first.
    await page.getByRole("region", { name: "Mötesserie" }).getByRole("link").nth(1).click();
    await page.waitForURL((url) => url.href !== secondUrl && new RegExp(`^/moten/${UUID}$`).test(url.pathname), { waitUntil: "commit" });
    await page.getByRole("link", { name: "Ändra mötet" }).waitFor();
    const thirdPath = new URL(page.url()).pathname;
    await page.getByRole("link", { name: "Ändra mötet" }).click();
    await page.waitForURL((url) => url.pathname === `${thirdPath}/redigera`, { waitUntil: "commit" });
    await page.getByLabel("Börjar").fill("13:00");
    await page.getByLabel("Slutar").fill("14:00");
    await page.getByRole("button", { name: "Spara och skicka ändringen" }).click();
    await page.getByText("Välj om det gäller bara detta möte eller detta och följande möten i serien.").first().waitFor();
    await expectNoSeriousA11yViolations(page, "the change form of a meeting in a series");
    await page.getByLabel("Bara detta möte").check();
    await page.getByRole("button", { name: "Spara och skicka ändringen" }).click();
    await page.waitForURL((url) => url.pathname === thirdPath);
    await page.getByRole("status").getByText(/^Mötet är ändrat\. Ändringen har skickats till \d+ personer\.$/).waitFor();
    expect(await page.locator("time").first().innerText()).toBe(coming("30 mars 2027 13:00–14:00"));

    await page.goto(`${server.url}/dev/mail`);
    await page.getByRole("row").filter({ hasText: "Inbjudan till mötesserie: Veckomöte i webbläsaren" }).first().waitFor({ timeout: MAIL_WAIT_MS });
    await page.getByRole("row").filter({ hasText: "Ändrat möte: Veckomöte i webbläsaren" }).first().waitFor({ timeout: MAIL_WAIT_MS });
    expect(problems, problems.join("\n")).toEqual([]);
    await page.close();
  }, 120_000);

  it("the new meeting form: the series end shows only for a series, agenda rows are added and removed in place, and a refusal is summed up with links to the fields", async () => {
    problems.length = 0;
    const page = watch(await context.newPage());
    await openNewMeetingForm(page);
    const focusedId = () => page.evaluate(() => document.activeElement?.id);

    // "Serien slutar" is there only while a repetition is chosen.
    const seriesEnd = page.getByRole("group", { name: /^Serien slutar/ });
    await page.getByRole("button", { name: "Lägg till punkt" }).waitFor();
    expect(await seriesEnd.isVisible()).toBe(false);
    await page.getByLabel("Upprepning").selectOption("biweekly");
    await seriesEnd.waitFor();
    await page.getByLabel("Upprepning").selectOption("none");
    await seriesEnd.waitFor({ state: "hidden" });

    // Agenda rows: a new row takes the focus; a removed row hands it to the row that takes its place.
    const titles = page.getByLabel(/^Punkt \d+: rubrik$/);
    expect(await titles.count()).toBe(3);
    await page.getByLabel("Punkt 1: rubrik").fill("Lägesbild");
    await page.getByLabel("Punkt 2: rubrik").fill("Punkt som tas bort");
    await page.getByLabel("Punkt 3: rubrik").fill("Medborgarlöften");
    await page.getByRole("button", { name: "Lägg till punkt" }).click();
    expect(await titles.count()).toBe(4);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent)).toBe("Punkt 4: rubrik");
    await page.keyboard.type("Övriga frågor");
    await page.getByRole("button", { name: "Ta bort punkt 2" }).click();
    expect(await titles.count()).toBe(3);
    expect(await titles.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(["Lägesbild", "Medborgarlöften", "Övriga frågor"]);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe("Medborgarlöften");

    // Two mistakes far apart: the summary takes the focus and links to each field, in page order.
    await page.getByLabel("Rubrik", { exact: true }).fill("Möte med fel i formuläret");
    await page.getByLabel("Datum").fill(coming("2027-03-16"));
    await page.getByLabel("Börjar").fill("14:00");
    await page.getByLabel("Slutar").fill("13:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel("Fler e-postadresser").fill("anna.extern@forening.example, inte-en-adress");
    await page.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    const summary = page.locator(".error-summary");
    await summary.getByRole("heading", { name: "Kontrollera de markerade fälten." }).waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains("error-summary"));
    const links = summary.getByRole("link");
    expect(await links.evaluateAll((anchors) => anchors.map((anchor) => [anchor.getAttribute("href"), anchor.textContent]))).toEqual([
      ["#field-endTime", "Mötet måste sluta efter att det börjar."],
      ["#field-extraEmails", '"inte-en-adress" är inte en giltig e-postadress.'],
    ]);
    await expectNoSeriousA11yViolations(page, "the new meeting form with an error summary");
    // Tab reaches the first link; following a link puts the focus in its field, with its label in view.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe("#field-endTime");
    await links.nth(1).click();
    expect(await focusedId()).toBe("field-extraEmails");
    expect(await page.evaluate(() => {
      const box = document.querySelector('label[for="field-extraEmails"]')!.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    })).toBe(true);
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("anna.extern@forening.example");
    await links.first().click();
    expect(await focusedId()).toBe("field-endTime");
    // What was typed is kept, the agenda rows too.
    expect(await titles.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(["Lägesbild", "Medborgarlöften", "Övriga frågor"]);

    await page.getByLabel("Slutar").fill("15:00");
    await page.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    await page.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
    await page.getByRole("status").getByText(/^Mötet är skapat\. Inbjudan har skickats till \d+ personer\.$/).waitFor();
    const agenda = page.getByRole("region", { name: "Dagordning" }).getByRole("listitem");
    expect(await agenda.allInnerTexts()).toEqual(["Lägesbild", "Medborgarlöften", "Övriga frågor"]);
    expect(problems, problems.join("\n")).toEqual([]);
    await page.close();
  }, 120_000);
});
