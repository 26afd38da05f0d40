import { addDays, format } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/**
 * From meeting notes to åtgärder in the browser: a police contact writes a task line in the
 * notes, turns it into an åtgärd of the Järva list with the keyboard-reachable toolbar button,
 * sees its status next to the line and follows it to the item, which lists the meeting. The
 * coordinator, whose organisation the list is not shared with, sees only that an åtgärd exists.
 */

const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
const POLICE = { email: "erik.sandberg@demo.polisen.se", name: "Erik Sandberg" };
const NETWORK = "Trygghetsnätverket Järva";
const TITLE = "Samverkansmöte om belysning";
const TASK = "Bättre belysning vid Husby centrum";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

describe.skipIf(!chromiumPath())("turning a task line of the notes into an åtgärd", () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    return page;
  }

  async function newContext() {
    const context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context;
  }

  const editor = (page: Page) => page.getByRole("textbox", { name: "Anteckningar" });

  async function openNotes(page: Page, path: string) {
    await page.goto(`${server.url}${path}`);
    await editor(page).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator("[data-save-state]").innerText(), { timeout: 20_000 }).toBe("Sparat");
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it("a task line becomes an åtgärd, shows its status and links to the item, which lists the meeting", { timeout: 240_000 }, async () => {
    const coordinator = await signInWithCode(await newContext(), server.url, COORDINATOR, watch);
    await coordinator.goto(`${server.url}/natverk`);
    await coordinator.getByRole("main").getByRole("link", { name: NETWORK }).click();
    await coordinator.getByRole("link", { name: "Nytt möte" }).click();
    await coordinator.waitForURL((url) => url.pathname.endsWith("/moten/nytt"));
    await coordinator.getByLabel("Rubrik", { exact: true }).fill(TITLE);
    await coordinator.getByLabel("Datum").fill(format(addDays(new Date(), 14), "yyyy-MM-dd"));
    await coordinator.getByLabel("Börjar").fill("09:00");
    await coordinator.getByLabel("Slutar").fill("10:30");
    await coordinator.getByRole("textbox", { name: /^Plats/ }).fill("Husby träff");
    await coordinator.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    await coordinator.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
    const notesPath = `${new URL(coordinator.url()).pathname}/anteckningar`;

    const police = await signInWithCode(await newContext(), server.url, POLICE, watch);
    await openNotes(police, notesPath);
    // The last block, not the middle of the editor: a click there can leave the caret at the top
    // when the key presses arrive before the editor has taken the click's selection.
    await editor(police).locator(":scope > *").last().click();
    await police.keyboard.press("End");
    await police.keyboard.press("Control+End");
    await police.keyboard.press("Enter");
    await police.getByRole("button", { name: "Att göra-lista" }).click();
    await police.keyboard.type(TASK);

    // The button is reached from the toolbar like the others and opens a small form.
    const convert = police.getByRole("button", { name: "Gör till åtgärd" });
    await expect.poll(() => convert.getAttribute("aria-disabled")).toBe("false");
    await convert.click();
    const form = police.getByRole("form", { name: "Gör till åtgärd" });
    await form.getByLabel("Åtgärdslista").selectOption({ label: "Åtgärdslista Järva 2026" });
    expect(await form.getByLabel("Åtgärd", { exact: true }).inputValue()).toBe(TASK);
    await expectNoSeriousA11yViolations(police, "the notes with the åtgärd form open");
    await form.getByRole("button", { name: "Skapa åtgärd" }).click();

    const badge = police.locator("a.notes-action-badge");
    await badge.waitFor({ timeout: 10_000 });
    expect(await badge.innerText()).toMatch(/^Åtgärd \d+: Ej påbörjad$/);
    // The line is linked now: the button is off there, and focus is back in the notes.
    await expect.poll(() => convert.getAttribute("aria-disabled")).toBe("true");
    expect(await police.evaluate(() => document.activeElement?.id)).toBe("notes-content");
    await expect.poll(() => police.locator("[data-save-state]").innerText(), { timeout: 20_000 }).toBe("Sparat");

    // The coordinator's organisation does not see the list: the notes say only that there is an åtgärd.
    await openNotes(coordinator, notesPath);
    await coordinator.locator(".notes-action-badge", { hasText: "åtgärd (ingen behörighet)" }).waitFor({ timeout: 10_000 });
    expect(await coordinator.locator("a.notes-action-badge").count()).toBe(0);

    // After a reload the link is still there (it is part of the stored notes); it leads to the item.
    await openNotes(police, notesPath);
    await police.locator("a.notes-action-badge").click();
    await police.waitForURL((url) => new RegExp(`^/atgarder/${UUID}$`).test(url.pathname));
    await police.getByRole("heading", { level: 1, name: new RegExp(TASK) }).waitFor();
    const discussed = police.getByRole("region", { name: "Diskuterad på möten" });
    await discussed.getByRole("link", { name: TITLE }).waitFor();
    expect(problems).toEqual([]);
  });
});
