import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/**
 * An organiser writes a kunskapsdag's description with the keyboard only: a heading and a list
 * through the toolbar (Alt+F10, arrow keys, Enter) and bold with Ctrl+B; the public page shows it.
 */
const ORGANISER = { email: "maja.lindqvist@demo.stockholm.se", name: "Maja Lindqvist" };
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

describe.runIf(Boolean(chromiumPath()))("writing a kunskapsdag's description with the keyboard", () => {
  let server: ServerProcess;
  let browser: Browser;
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

  /** Moves from the text to the toolbar, then with the arrow keys to the named button, and presses it. */
  async function useTool(page: Page, name: string) {
    await page.keyboard.press("Alt+F10");
    const toolbar = page.getByRole("toolbar", { name: "Formatering av beskrivningen" });
    for (let i = 0; i < 10; i++) {
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("aria-label"));
      if (focused === name) break;
      await page.keyboard.press("ArrowRight");
    }
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(name);
    expect(await toolbar.count()).toBe(1);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("field-description");
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a heading, bold text and a bulleted list typed with the keyboard show on the public page", async () => {
    const context = await browser.newContext({ locale: "sv-SE" });
    await (await signInWithCode(context, server.url, ORGANISER, watch)).close();
    const page = watch(await context.newPage());
    await page.goto(`${server.url}/kunskapsdagar/ny`);
    const editor = page.getByRole("textbox", { name: "Beskrivning" });
    await expect.poll(() => editor.getAttribute("contenteditable")).toBe("true");
    await page.locator("#field-title").fill("Kunskapsdag med formaterad text");
    // Tab from the series field reaches the toolbar, then the text.
    await page.locator("#field-series").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Fetstil");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-description");

    await page.keyboard.type("Om dagen");
    await useTool(page, "Rubrik");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Vi går igenom ");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("lagen");
    await page.keyboard.press("Control+b");
    await page.keyboard.type(" och samverkan.");
    await page.keyboard.press("Enter");
    await useTool(page, "Punktlista");
    await page.keyboard.type("Lägesbild");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Åtgärdsplan");

    await page.getByLabel("Datum", { exact: true }).fill(inDays(21));
    await page.getByLabel("Börjar", { exact: true }).fill("09:00");
    await page.getByLabel("Slutar", { exact: true }).fill("15:00");
    await page.getByRole("textbox", { name: /^Plats/ }).fill("Stadshuset");
    await page.getByLabel(/^Antal platser/).fill("30");
    await page.getByLabel("Anmälan öppnar").fill(`${inDays(-1)}T08:00`);
    await page.getByLabel("Anmälan stänger").fill(`${inDays(20)}T12:00`);
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.waitForURL((url) => new RegExp(`^/kunskapsdagar/${UUID}/hantera$`).test(url.pathname));
    const dayPath = new URL(page.url()).pathname.replace(/\/hantera$/, "");

    await page.goto(`${server.url}${dayPath}`);
    const main = page.getByRole("main");
    await main.getByRole("heading", { level: 2, name: "Om dagen" }).waitFor();
    expect(await main.locator("strong", { hasText: "lagen" }).count()).toBe(1);
    expect(await main.locator("p", { hasText: "Vi går igenom lagen och samverkan." }).count()).toBe(1);
    expect(await main.locator("ul li").allInnerTexts()).toEqual(expect.arrayContaining(["Lägesbild", "Åtgärdsplan"]));

    // The edit form starts from the stored formatting.
    await page.goto(`${server.url}${dayPath}/redigera`);
    await page.getByRole("textbox", { name: "Beskrivning" }).locator("h2", { hasText: "Om dagen" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
