import { addDays, format } from "date-fns";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { explained, openMail, signInWithCode } from "../support/e2e";

/**
 * Finding a time, end to end in a real browser: a coordinator proposes times, an external contact
 * answers through the personal link in the mail and a member answers signed in, each in a browser
 * of their own, while the coordinator's open page shows the tally change without a reload; the
 * coordinator then picks a time and the invitations with calendar files are in the outbox.
 */

const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
const MEMBER = { email: "erik.sandberg@demo.polisen.se", name: "Erik Sandberg" };
const EXTERNAL = "gast.foreningen@forening.example";
const NETWORK = "Trygghetsnätverket Järva";
const TITLE = "Planering av trygghetsvandring";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

// Times a few weeks ahead, so that the test does not age; the last answer day comes before them.
const day = (offset: number) => format(addDays(new Date(), offset), "yyyy-MM-dd");
const SLOTS = [
  { date: day(30), start: "09:00", end: "10:30" },
  { date: day(31), start: "13:00", end: "14:30" },
  { date: day(33), start: "15:00", end: "16:00" },
];
const CLOSES_ON = day(20);

describe.skipIf(!chromiumPath())("finding a time in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  async function newContext() {
    const context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context;
  }

  /** Chooses one answer for each of the first proposed times (the rest are left blank) and saves. */
  async function answer(page: Page, choices: string[]) {
    for (const [index, choice] of choices.entries()) {
      await page.getByRole("group", { name: new RegExp(`^Tid ${index + 1}:`) }).getByLabel(choice, { exact: true }).check();
    }
    await page.getByRole("button", { name: "Spara svar" }).click();
  }

  /** The coordinator's "Summa" cell of one proposed time. */
  const total = (page: Page, index: number) => page.locator("tfoot td").nth(index);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it("a coordinator proposes times, two invitees answer in their own browsers, the tally changes live, and the picked time is mailed as an invitation with a calendar file", async () => {
    // The coordinator proposes three times to the network and one person outside the portal.
    const coordinator = await signInWithCode(await newContext(), server.url, COORDINATOR, watch);
    await coordinator.goto(`${server.url}/natverk`);
    await coordinator.getByRole("main").getByRole("link", { name: NETWORK }).click();
    await coordinator.getByRole("link", { name: "Nytt tidsförslag" }).click();
    await coordinator.waitForURL((url) => url.pathname.endsWith("/tidsforslag/nytt"));
    await expectNoSeriousA11yViolations(coordinator, "the new poll form");
    await coordinator.getByLabel("Rubrik", { exact: true }).fill(TITLE);
    for (const [index, slot] of SLOTS.entries()) {
      const row = coordinator.getByRole("group", { name: `Tid ${index + 1}`, exact: true });
      await row.getByLabel("Datum").fill(slot.date);
      await row.getByLabel("Börjar").fill(slot.start);
      await row.getByLabel("Slutar").fill(slot.end);
    }
    await coordinator.getByLabel("Sista svarsdag").fill(CLOSES_ON);
    await coordinator.getByRole("textbox", { name: /^Plats/ }).fill("Husby träff");
    await coordinator.getByLabel("Fler e-postadresser").fill(EXTERNAL);
    await coordinator.getByRole("button", { name: "Skicka tidsförslaget" }).click();
    await coordinator.waitForURL((url) => new RegExp(`^/tidsforslag/${UUID}$`).test(url.pathname));
    const pollPath = new URL(coordinator.url()).pathname;
    await coordinator.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await coordinator.getByText("Uppdateras live").waitFor();
    await expectNoSeriousA11yViolations(coordinator, "the poll page");
    expect(await total(coordinator, 0).innerText()).toBe("0 ja, 0 om nödvändigt, 0 nej");
    // A reload would clear this mark, so it shows that the changes below arrive live.
    await coordinator.evaluate(() => ((window as unknown as { stillSamePage: boolean }).stillSamePage = true));

    // The external contact answers through the personal link in the poll mail, without an account.
    const guest = watch(await (await newContext()).newPage());
    await openMail(guest, server.url, EXTERNAL, TITLE);
    const link = guest.getByRole("region", { name: "Länkar i mejlet" }).getByRole("link", { name: "Svara på tidsförslaget" });
    const href = await link.getAttribute("href");
    expect(href).toMatch(new RegExp(`/tidsforslag/svar/${UUID}\\.${UUID}\\.\\d+\\.[a-z0-9]+$`));
    await guest.goto(href!);
    await guest.getByRole("heading", { level: 1, name: "Svara på tidsförslag" }).waitFor();
    await expectNoSeriousA11yViolations(guest, "the poll answer page of a mail link");
    await answer(guest, ["Ja", "Om nödvändigt", "Nej"]);
    await guest.getByText("Tack! Dina svar är sparade.").waitFor();

    await expect.poll(() => total(coordinator, 0).innerText(), { timeout: 10_000 }).toBe("1 ja, 0 om nödvändigt, 0 nej");
    expect(await total(coordinator, 1).innerText()).toBe("0 ja, 1 om nödvändigt, 0 nej");
    await coordinator.getByRole("heading", { name: "Svar (1 av 4)" }).waitFor();

    // A member of the network answers signed in, in a third browser, leaving the third time blank:
    // the browser does not stop the form, and the portal tells which time is left unanswered.
    const member = await signInWithCode(await newContext(), server.url, MEMBER, watch);
    await member.getByRole("link", { name: TITLE }).click();
    await member.waitForURL(`${server.url}${pollPath}`);
    await answer(member, ["Nej", "Ja"]);
    await member.getByText("Dina svar är sparade. Du har inte svarat för tid 3.").waitFor();

    await expect.poll(() => total(coordinator, 1).innerText(), { timeout: 10_000 }).toBe("1 ja, 1 om nödvändigt, 0 nej");
    expect(await total(coordinator, 0).innerText()).toBe("1 ja, 0 om nödvändigt, 1 nej");
    await coordinator.getByRole("heading", { name: "Svar (2 av 4)" }).waitFor();
    // The second time suits both, so it is marked as the best, in words as well.
    await coordinator.getByText(/^Bäst just nu: /).filter({ hasText: "13:00–14:30" }).waitFor();
    expect(await coordinator.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);

    // The coordinator picks the second time, after confirming.
    await coordinator.getByRole("button", { name: /^Välj .*13:00–14:30$/ }).click();
    const dialog = coordinator.getByRole("alertdialog");
    await dialog.getByRole("button", { name: "Ja, planera mötet" }).click();
    // The page now says which time was chosen and leads to the planned meeting.
    await coordinator.getByRole("status").filter({ hasText: /^En tid är vald: .*13:00–14:30/ }).waitFor();
    // The poll is closed: nothing suggests a best time or asks for answers any more.
    expect(await coordinator.getByText(/^Bäst just nu/).count()).toBe(0);
    expect(await coordinator.getByRole("button", { name: "Spara svar" }).count()).toBe(0);
    // The member's open page closes its answer form as the time is chosen, without a reload.
    await member.getByText(/^En tid är vald: .*13:00–14:30/).waitFor();
    await member.getByRole("button", { name: "Spara svar" }).waitFor({ state: "detached" });
    await explained(
      coordinator,
      async () => {
        await coordinator.getByRole("link", { name: "Till mötet" }).click();
        await coordinator.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
        await coordinator.getByRole("heading", { level: 1, name: TITLE }).waitFor();
      },
      { problems, serverLog: () => server.stderr() },
    );
    const meetingId = new URL(coordinator.url()).pathname.slice("/moten/".length);

    // Every person asked has an invitation with a calendar file for the chosen time in the outbox.
    const outbox = watch(await (await newContext()).newPage());
    for (const to of [COORDINATOR.email, MEMBER.email, EXTERNAL, "johan.ek@demo.stockholm.se"]) {
      await openMail(outbox, server.url, to, `Inbjudan: ${TITLE}`);
      const attachment = outbox.getByRole("link", { name: /\.ics/ });
      await attachment.waitFor();
      const response = await outbox.request.get(`${server.url}${await attachment.getAttribute("href")}`);
      expect(response.headers()["content-type"]).toMatch(/^text\/calendar/);
      const calendar = new ICAL.Component(ICAL.parse(await response.text()));
      expect(String(calendar.getFirstPropertyValue("method"))).toBe("REQUEST");
      const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent")!);
      expect(event.uid).toBe(`${meetingId}@samverkansportalen`);
      const start = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", dateStyle: "short", timeStyle: "short" }).format(event.startDate.toJSDate());
      expect(start).toBe(`${SLOTS[1].date} 13:00`);
    }

    // The poll is closed and points to the meeting; the link now tells the chosen time.
    await guest.reload();
    await guest.getByText(/^En tid är vald: .*13:00–14:30/).waitFor();
    expect(await guest.getByRole("button", { name: "Spara svar" }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);
});
