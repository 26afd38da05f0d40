import { addDays, format } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { signInWithCode } from "../support/e2e";

/**
 * Meeting notes written together in real time: a coordinator of the City and a police contact,
 * both invited, type into the same notes at once in their own browsers and see each other's text
 * and named caret; after both reload the text is the same and nothing is doubled. A region
 * contact who sees the meeting only through the network's sharing reads the notes but cannot
 * type in them.
 */

const COORDINATOR = { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan" };
const POLICE = { email: "erik.sandberg@demo.polisen.se", name: "Erik Sandberg" };
const READER = { email: "lena.berg@demo.regionstockholm.se", name: "Lena Berg" };
const NETWORK = "Trygghetsnätverket Järva";
const TITLE = "Samverkansmöte om Husby centrum";
const AGENDA = ["Lägesbild Husby centrum", "Trygghetsvandring i december"];
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/**
 * The other's text must show within a second of typing it. The time is measured and printed on
 * every run (about 0.1 s here); waiting goes on longer, so that a slow run reports its time.
 */
const PEER_TARGET_MS = 1000;
const PEER_WAIT_MS = 5000;

describe.skipIf(!chromiumPath())("co-editing meeting notes in the browser", () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const offlineOnPurpose = new Set<Page>();
  const wasOffline = new Set<Page>();

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" || message.location().url.endsWith("/favicon.ico")) return;
      // While a test cuts the connection on purpose, the browser reports the refused socket requests.
      if (offlineOnPurpose.has(page) && message.text().startsWith("Failed to load resource")) return;
      problems.push(`${page.url()}: console error ${message.text()} (${message.location().url})`);
    });
    // A page with a working connection talks to the server over one WebSocket from the start.
    page.on("request", (request) => {
      if (/\/socket\.io\/.*transport=polling/.test(request.url()) && !wasOffline.has(page)) problems.push(`${page.url()}: long-polling ${request.url()}`);
    });
    return page;
  }

  async function newContext() {
    const context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context;
  }

  const editor = (page: Page) => page.getByRole("textbox", { name: "Anteckningar" });
  const saveState = (page: Page) => page.locator("[data-save-state]");

  /** Opens the notes and waits until the server's state is in and nothing is unsaved. */
  async function openNotes(page: Page, path: string) {
    await page.goto(`${server.url}${path}`);
    await page.getByRole("heading", { level: 1, name: `Anteckningar: ${TITLE}` }).waitFor();
    await editor(page).waitFor({ timeout: 20_000 });
    await expect.poll(() => saveState(page).innerText(), { timeout: 20_000 }).toBe("Sparat");
  }

  /** Puts the caret at the end of the notes and opens a new paragraph there. */
  async function toEnd(page: Page) {
    // Clicking the last block (not the middle of the editor) keeps the caret out of other people's
    // text even if a key press is lost while the editor re-renders for a change of connection.
    await editor(page).locator(":scope > *").last().click();
    await page.keyboard.press("End");
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
  }

  /** The notes' text as a reader sees it, without the name labels of the others' carets. */
  const textOf = (page: Page) =>
    editor(page).evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
      return (copy.textContent ?? "").replace(/[\u00a0\u2060]/g, " ").replace(/ +/g, " ");
    });
  const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  // One retry: key presses sent while the editor re-renders for a change of connection are
  // occasionally lost by the browser harness (seen about once in five runs before the caret was
  // placed by clicking the last block); a failure of the notes themselves fails both attempts.
  it("two people of different organisations type at once, see each other's text and named caret, and after a reload hold the same notes once", { timeout: 240_000, retry: 1 }, async () => {
    // A retry starts over: what went wrong in the failed attempt is reported with that attempt.
    problems.length = 0;
    offlineOnPurpose.clear();
    wasOffline.clear();
    // The coordinator plans a meeting with the network invited and opens its notes from the meeting page.
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
    for (const [index, title] of AGENDA.entries()) await coordinator.getByLabel(`Punkt ${index + 1}: rubrik`).fill(title);
    await coordinator.getByRole("button", { name: "Skapa möte och skicka inbjudningar" }).click();
    await coordinator.waitForURL((url) => new RegExp(`^/moten/${UUID}$`).test(url.pathname));
    const meetingPath = new URL(coordinator.url()).pathname;
    const notesPath = `${meetingPath}/anteckningar`;
    await coordinator.getByRole("link", { name: "Anteckningar från mötet" }).click();
    await coordinator.waitForURL(`${server.url}${notesPath}`);
    await openNotes(coordinator, notesPath);
    await coordinator.getByText(/Skriv inte in uppgifter om enskilda personers ärenden/).waitFor();

    // The police contact, invited as a member of the network, opens the same notes.
    const police = await signInWithCode(await newContext(), server.url, POLICE, watch);
    await openNotes(police, notesPath);
    // Each sees the other in the list of who is in the document.
    const presence = (page: Page) => page.getByRole("region", { name: /^I dokumentet nu/ });
    await presence(coordinator).getByText(POLICE.name).waitFor({ timeout: 10_000 });
    await presence(police).getByText(COORDINATOR.name).waitFor({ timeout: 10_000 });
    await expectNoSeriousA11yViolations(coordinator, "the notes page");

    // Both type at the same time, each into a paragraph of their own. The coordinator's paragraph
    // gets its first word before the police contact opens a paragraph after it: two carets in one
    // empty spot would interleave their letters, which is co-editing, not what this test is about.
    const fromCoordinator = "Staden ordnar belysning vid tunnelbanans norra uppgång.";
    const fromPolice = "Polisen förstärker helgpatrulleringen under december.";
    const [firstWord, rest] = [fromCoordinator.slice(0, 13), fromCoordinator.slice(13)];
    await toEnd(coordinator);
    await coordinator.keyboard.type(firstWord);
    await expect.poll(() => textOf(police), { timeout: 10_000 }).toContain(firstWord);
    await toEnd(police);
    await Promise.all([coordinator.keyboard.type(rest, { delay: 15 }), police.keyboard.type(fromPolice, { delay: 15 })]);

    // Now both are connected and synced: one more sentence, timed until the other sees it.
    const marker = "Uppföljning på nästa möte.";
    await coordinator.keyboard.type(` ${marker}`);
    const typedAt = performance.now();
    await police.getByRole("textbox", { name: "Anteckningar" }).getByText(marker, { exact: false }).waitFor({ timeout: PEER_WAIT_MS });
    const peerMs = performance.now() - typedAt;
    console.info(`notes: the peer saw the text after ${Math.round(peerMs)} ms (target < ${PEER_TARGET_MS} ms)`);
    expect(peerMs).toBeLessThan(PEER_TARGET_MS);

    // The other's named caret is in the document on each side.
    await police.locator(".collaboration-carets__label", { hasText: COORDINATOR.name }).waitFor({ timeout: PEER_WAIT_MS });
    await coordinator.locator(".collaboration-carets__label", { hasText: POLICE.name }).waitFor({ timeout: PEER_WAIT_MS });

    // "@" offers the meeting's invitees and organisations; the chosen mention reaches the other side.
    await coordinator.keyboard.type(" @Erik");
    await coordinator.getByRole("listbox", { name: "Nämn en person eller organisation" }).getByRole("option", { name: /^Erik Sandberg/ }).waitFor();
    await coordinator.keyboard.press("Enter");
    await police.locator('[data-type="mention"]', { hasText: `@${POLICE.name}` }).waitFor({ timeout: PEER_WAIT_MS });

    // Alt+F10 reaches the toolbar, one tab stop whose buttons the arrow keys move between; Escape goes back.
    await coordinator.keyboard.press("Alt+F10");
    expect(await coordinator.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Fetstil");
    await coordinator.keyboard.press("ArrowRight");
    expect(await coordinator.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Kursiv");
    expect(await coordinator.getByRole("toolbar", { name: "Formatering" }).locator('button[tabindex="0"]').count()).toBe(1);
    await coordinator.keyboard.press("Escape");
    await expect.poll(() => coordinator.evaluate(() => document.activeElement?.id), { timeout: 2000 }).toBe("notes-content");

    for (const page of [coordinator, police]) {
      await expect.poll(() => textOf(page), { timeout: 10_000 }).toContain(fromPolice);
      await expect.poll(() => textOf(page), { timeout: 10_000 }).toContain(fromCoordinator);
      // "Sparat" only once the server has acknowledged every change typed on this side.
      await expect.poll(() => saveState(page).innerText(), { timeout: 20_000 }).toBe("Sparat");
    }

    // After a reload both hold the same notes, each sentence and each agenda point once.
    await Promise.all([openNotes(coordinator, notesPath), openNotes(police, notesPath)]);
    await expect.poll(() => textOf(police), { timeout: 10_000 }).toContain(marker);
    const [afterCoordinator, afterPolice] = [await textOf(coordinator), await textOf(police)];
    expect(afterPolice).toBe(afterCoordinator);
    for (const sentence of [fromCoordinator, fromPolice, marker]) expect(occurrences(afterCoordinator, sentence), sentence).toBe(1);
    // The starting content made from the agenda is there once, although both opened the notes at about the same time.
    for (const point of AGENDA) expect(occurrences(afterCoordinator, point), point).toBe(1);
    // Offline: the police contact opens the notes without a connection, writes, and the text is
    // kept in the browser; when the connection returns it reaches the coordinator and is saved.
    // The portal connects by WebSocket and falls back to long-polling: both are cut. The
    // WebSocket opens but gets an answer no server would send, as behind a proxy that breaks them.
    offlineOnPurpose.add(police);
    wasOffline.add(police);
    let cut = true;
    await police.routeWebSocket(/\/socket\.io\//, (socket) => (cut ? socket.send("not engine.io") : socket.connectToServer()));
    await police.route("**/socket.io/**", (route) => route.abort());
    await police.reload();
    await editor(police).waitFor({ timeout: 20_000 });
    await expect.poll(() => saveState(police).innerText(), { timeout: 20_000 }).toBe("Offline – ändringarna sparas lokalt och skickas när du är uppkopplad igen");
    const offlineText = "Skrivet utan uppkoppling i Husby.";
    await toEnd(police);
    await police.keyboard.type(offlineText);
    await presence(coordinator).getByText(POLICE.name).waitFor({ state: "detached", timeout: 10_000 });
    expect(await textOf(coordinator)).not.toContain(offlineText);
    cut = false;
    await police.unroute("**/socket.io/**");
    await expect.poll(() => textOf(coordinator), { timeout: 20_000 }).toContain(offlineText);
    await expect.poll(() => saveState(police).innerText(), { timeout: 20_000 }).toBe("Sparat");
    offlineOnPurpose.delete(police);

    // The caret of the person who left is gone with their connection: no ghosts.
    await police.close();
    await coordinator.locator(".collaboration-carets__label", { hasText: POLICE.name }).waitFor({ state: "detached", timeout: 10_000 });
    await presence(coordinator).getByText(POLICE.name).waitFor({ state: "detached", timeout: 10_000 });

    // A region contact sees the meeting only through the network's sharing: they read, but cannot type.
    const reader = await signInWithCode(await newContext(), server.url, READER, watch);
    await reader.goto(`${server.url}${notesPath}`);
    await reader.getByText("Du kan läsa anteckningarna men inte ändra dem.").waitFor({ timeout: 20_000 });
    await expect.poll(() => textOf(reader), { timeout: 10_000 }).toContain(marker);
    expect(await editor(reader).getAttribute("contenteditable")).toBe("false");
    expect(await reader.getByRole("toolbar", { name: "Formatering" }).count()).toBe(0);
    const before = await textOf(reader);
    await editor(reader).click();
    await reader.keyboard.type("Det här ska inte hamna i anteckningarna.");
    expect(await textOf(reader)).toBe(before);
    await expectNoSeriousA11yViolations(reader, "the notes page, read-only");
    await expect.poll(() => textOf(coordinator), { timeout: 5000 }).not.toContain("Det här ska inte hamna");

    // Behind a proxy that accepts the WebSocket and drops it before engine.io's handshake, the page
    // falls back to long-polling at once. (It used to wait for its 20 s connection timeout and then
    // try the WebSocket again, so it never connected.)
    wasOffline.add(coordinator);
    await coordinator.routeWebSocket(/\/socket\.io\//, (socket) => socket.close());
    await coordinator.reload();
    await editor(coordinator).waitFor({ timeout: 20_000 });
    const behindProxy = "Skrivet bakom en proxy som stänger WebSocket.";
    await toEnd(coordinator);
    await coordinator.keyboard.type(behindProxy);
    await expect.poll(() => textOf(reader), { timeout: 10_000 }).toContain(behindProxy);
    await expect.poll(() => saveState(coordinator).innerText(), { timeout: 10_000 }).toBe("Sparat");

    expect(problems).toEqual([]);
  });
});
