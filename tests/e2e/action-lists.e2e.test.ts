import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/**
 * A joint action list in two browsers at once: the city's contact adds and edits åtgärder, the
 * police contact sees them arrive live and edits the same row, a same-field clash is shown to the
 * later writer with both values, and both end with the same list.
 */

const JOHAN = { email: "johan.ek@demo.stockholm.se", name: "Johan Ek" }; // Järva stadsdelsnämnd
const ERIK = { email: "erik.sandberg@demo.polisen.se", name: "Erik Sandberg" }; // Lokalpolisområde Järva

describe.skipIf(!chromiumPath())("an action list co-edited live by the city and the police", () => {
  let server: ServerProcess;
  let browser: Browser;
  let city: BrowserContext;
  let police: BrowserContext;
  let listPath = "";
  const problems: string[] = [];

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    city = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    police = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    await (await signInWithCode(city, server.url, JOHAN, watch)).close();
    await (await signInWithCode(police, server.url, ERIK, watch)).close();
    const page = watch(await city.newPage());
    await page.goto(`${server.url}/atgardslistor`);
    listPath = (await page.getByRole("link", { name: "Åtgärdslista Järva 2026" }).getAttribute("href"))!;
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cell = (page: Page, field: string, number: number) => page.getByLabel(`${field}, åtgärd ${number}`, { exact: true });
  /** The city starts a list shared with the police, and both have it open, the police's live. */
  async function listOpenInBoth(title: string) {
    const cityPage = watch(await city.newPage());
    await cityPage.goto(`${server.url}/atgardslistor/ny`);
    await cityPage.getByLabel("Namn").fill(title);
    await cityPage.getByLabel("Lokalpolisområde Järva").check();
    await cityPage.getByRole("button", { name: "Skapa åtgärdslista" }).click();
    await cityPage.getByRole("heading", { level: 1, name: title }).waitFor();
    const policePage = watch(await police.newPage());
    await policePage.goto(`${server.url}${new URL(cityPage.url()).pathname}`);
    await policePage.getByText("Uppdateras live").waitFor();
    return { cityPage, policePage };
  }

  const choice = cell;

  it("one adds and edits items, the other sees them live and edits the same row; both end with the same list", async () => {
    problems.length = 0;
    const cityPage = watch(await city.newPage());
    const policePage = watch(await police.newPage());
    await Promise.all([cityPage.goto(`${server.url}${listPath}`), policePage.goto(`${server.url}${listPath}`)]);
    await Promise.all([cityPage.getByText("Uppdateras live").waitFor(), policePage.getByText("Uppdateras live").waitFor()]);

    // The city adds an item; it appears for the police without reloading.
    await cityPage.getByLabel("Ny åtgärd").fill("Trygghetsvandring vid Rinkeby torg");
    await cityPage.getByRole("button", { name: "Lägg till åtgärd" }).click();
    await cell(policePage, "Åtgärd", 6).waitFor();
    expect(await cell(policePage, "Åtgärd", 6).inputValue()).toBe("Trygghetsvandring vid Rinkeby torg");

    // The police see who is editing the row while the city types in it.
    await cell(cityPage, "Åtgärd", 6).click();
    await policePage.getByText("Johan Ek (åtgärd)", { exact: true }).waitFor();
    await cell(cityPage, "Åtgärd", 6).fill("Trygghetsvandring vid Rinkeby torg med boende");
    await cell(cityPage, "Åtgärd", 6).press("Enter");
    await expect.poll(() => cell(policePage, "Åtgärd", 6).inputValue()).toBe("Trygghetsvandring vid Rinkeby torg med boende");

    // Different fields of the same row, one each: both are kept.
    await choice(policePage, "Status", 6).selectOption({ label: "Pågår" });
    await cell(cityPage, "Klart senast", 6).fill("2027-03-31");
    await cell(cityPage, "Klart senast", 6).press("Enter");
    await expect.poll(() => choice(cityPage, "Status", 6).inputValue()).toBe("pagar");
    await expect.poll(() => cell(policePage, "Klart senast", 6).inputValue()).toBe("2027-03-31");

    // The same field at once: the police start editing, the city saves first, the police are asked.
    await cell(policePage, "Åtgärd", 6).click();
    await cell(cityPage, "Åtgärd", 6).fill("Stadens rubrik");
    await cell(cityPage, "Åtgärd", 6).press("Enter");
    await expect.poll(() => cell(policePage, "Åtgärd", 6).inputValue()).toBe("Trygghetsvandring vid Rinkeby torg med boende");
    await cell(policePage, "Åtgärd", 6).fill("Polisens rubrik");
    await cell(policePage, "Åtgärd", 6).press("Enter");
    const conflict = policePage.getByRole("alert").filter({ hasText: "Någon annan hann ändra samma fält" });
    await conflict.waitFor();
    await expect.poll(() => conflict.textContent()).toMatch(/Polisens rubrik[\s\S]*Stadens rubrik[\s\S]*Johan Ek/);
    await expectNoSeriousA11yViolations(policePage, "the action list with a conflict");
    await conflict.getByRole("button", { name: "Behåll mitt värde" }).click();
    await conflict.waitFor({ state: "detached" });
    await expect.poll(() => cell(cityPage, "Åtgärd", 6).inputValue()).toBe("Polisens rubrik");

    // Both browsers end with the same list, and a reload shows what was stored.
    const snapshot = (page: Page) =>
      page.locator("table.action-table tbody tr").evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll("input, select")].map((control) => (control as HTMLInputElement).value).join("|")),
      );
    await expect.poll(async () => JSON.stringify(await snapshot(policePage))).toBe(JSON.stringify(await snapshot(cityPage)));
    await cityPage.reload();
    await cell(cityPage, "Åtgärd", 6).waitFor();
    expect(await snapshot(cityPage)).toEqual(await snapshot(policePage));
    await expectNoSeriousA11yViolations(cityPage, "the action list table");
    expect(problems).toEqual([]);
    await Promise.all([cityPage.close(), policePage.close()]);
  });

  it("on a wide screen the arrow keys move between rows of the table", async () => {
    problems.length = 0;
    const page = watch(await city.newPage());
    await page.goto(`${server.url}${listPath}`);
    await page.getByText("Uppdateras live").waitFor();
    await cell(page, "Åtgärd", 1).focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Åtgärd, åtgärd 2");
    await page.keyboard.press("Control+ArrowUp");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Åtgärd, åtgärd 1");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("on a phone each åtgärd is a card with every field in view under its name, and a field is edited there as in the table", async () => {
    problems.length = 0;
    const phone = await browser.newContext({ locale: "sv-SE", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await city.storageState() });
    try {
      const page = watch(await phone.newPage());
      await page.goto(`${server.url}${listPath}`);
      await page.getByText("Uppdateras live").waitFor();
      for (const field of ["Åtgärd", "Ansvarig organisation", "Kontaktperson", "Klart senast", "Status", "Bedömning", "Fokusområde"]) {
        const control = cell(page, field, 1);
        await control.scrollIntoViewIfNeeded();
        const box = (await control.boundingBox())!;
        expect(box.x, `${field} starts on the screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${field} ends on the screen`).toBeLessThanOrEqual(390);
        // The field's name is written above it in the card.
        expect(await control.evaluate((element) => getComputedStyle(element.closest("td")!, "::before").content)).toBe(`"${field}"`);
      }
      const widths = await page.evaluate(() => {
        const region = document.querySelector<HTMLElement>('[role="region"][aria-label="Åtgärder i listan"]')!;
        return { page: document.scrollingElement!.scrollWidth, content: region.scrollWidth, region: region.clientWidth };
      });
      expect(widths.page, "the page is no wider than the phone").toBeLessThanOrEqual(390);
      expect(widths.content, "no column is hidden to the right").toBeLessThanOrEqual(widths.region);

      // In a card the arrow keys stay with the field; Tab goes on to the next one.
      await cell(page, "Åtgärd", 1).focus();
      await page.keyboard.press("ArrowDown");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Åtgärd, åtgärd 1");

      await cell(page, "Klart senast", 1).fill("2027-06-30");
      await cell(page, "Klart senast", 1).press("Enter");
      await choice(page, "Bedömning", 1).selectOption({ label: "Gul" });
      await expect.poll(async () => {
        await page.reload();
        await page.getByText("Uppdateras live").waitFor();
        return [await cell(page, "Klart senast", 1).inputValue(), await choice(page, "Bedömning", 1).inputValue()];
      }).toEqual(["2027-06-30", "gul"]);
      await expectNoSeriousA11yViolations(page, "the action list as cards on a phone");
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("a comment appears for the other person on the item page without a reload", async () => {
    problems.length = 0;
    const cityPage = watch(await city.newPage());
    const policePage = watch(await police.newPage());
    await cityPage.goto(`${server.url}${listPath}`);
    const path = (await cityPage.getByRole("link", { name: "Åtgärd 1: detaljer och historik" }).getAttribute("href"))!;
    await Promise.all([cityPage.goto(`${server.url}${path}`), policePage.goto(`${server.url}${path}`)]);
    await Promise.all([cityPage.getByText("Uppdateras live").waitFor(), policePage.getByText("Uppdateras live").waitFor()]);
    await policePage.getByLabel(/Ny kommentar/).waitFor();
    await cityPage.getByLabel(/Ny kommentar/).fill("Vi tar upp belysningen på nästa möte.");
    await cityPage.getByRole("button", { name: "Kommentera" }).click();
    await policePage.locator(".comment-list").getByText("Vi tar upp belysningen på nästa möte.").waitFor();
    expect(await policePage.locator(".comment-list").getByText("Johan Ek").count()).toBeGreaterThan(0);
    await expectNoSeriousA11yViolations(policePage, "the item page with a live comment");
    expect(problems).toEqual([]);
    await Promise.all([cityPage.close(), policePage.close()]);
  });

  it("when the city stops sharing a list, the police contact's open list says at once that access is gone", async () => {
    problems.length = 0;
    const { cityPage, policePage } = await listOpenInBoth("Trygghetslista Akalla");

    await cityPage.getByRole("link", { name: "Inställningar" }).click();
    await cityPage.getByRole("heading", { level: 1, name: "Inställningar för Trygghetslista Akalla" }).waitFor();
    await expectNoSeriousA11yViolations(cityPage, "the list settings page");
    await cityPage.getByLabel("Lokalpolisområde Järva").uncheck();
    await cityPage.getByRole("button", { name: "Spara inställningarna" }).click();
    // Nothing changes until the city confirms.
    const question = cityPage.getByRole("alertdialog", { name: "Sluta dela listan med Lokalpolisområde Järva?" });
    await question.waitFor();
    await expectNoSeriousA11yViolations(cityPage, "the confirmation to stop sharing");
    expect(await policePage.getByText("Uppdateras live").count()).toBe(1);
    await question.getByRole("button", { name: "Ja, sluta dela listan" }).click();
    await cityPage.getByText("Inställningarna är sparade.").waitFor();

    await policePage.getByRole("alert").filter({ hasText: "Du har inte längre tillgång till listan" }).waitFor();
    // What is on the screen stays, but can no longer be changed.
    expect(await policePage.getByLabel("Ny åtgärd").count()).toBe(0);
    expect(problems).toEqual([]);
    await Promise.all([cityPage.close(), policePage.close()]);
  });

  it("when the city archives a list, the police contact's open table stops taking new items at once, and takes them again after a restore", async () => {
    problems.length = 0;
    const { cityPage, policePage } = await listOpenInBoth("Trygghetslista Kista 2025");
    await policePage.getByLabel("Ny åtgärd").waitFor();

    await cityPage.getByRole("link", { name: "Inställningar" }).click();
    await cityPage.getByRole("button", { name: "Arkivera listan" }).click();
    const question = cityPage.getByRole("alertdialog", { name: "Arkivera Trygghetslista Kista 2025?" });
    await question.waitFor();
    await expectNoSeriousA11yViolations(cityPage, "the confirmation to archive a list");
    await question.getByRole("button", { name: "Arkivera listan" }).click();
    await cityPage.getByText("Listan är arkiverad. Den går att läsa och exportera men inte ändra.").waitFor();
    await expectNoSeriousA11yViolations(cityPage, "the settings of an archived list");

    await policePage.getByRole("status").filter({ hasText: "Listan arkiverades" }).waitFor();
    await policePage.getByLabel("Ny åtgärd").waitFor({ state: "detached" });

    await cityPage.getByRole("button", { name: "Återställ listan" }).click();
    await cityPage.getByText("Listan är återställd och kan ändras igen.").waitFor();
    await policePage.getByLabel("Ny åtgärd").waitFor();
    expect(await policePage.getByText("Listan arkiverades").count()).toBe(0);
    expect(problems).toEqual([]);
    await Promise.all([cityPage.close(), policePage.close()]);
  });
});
