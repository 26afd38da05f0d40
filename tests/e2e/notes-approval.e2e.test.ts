import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { networks, notesDocuments, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { appendNotesUpdate } from "../../app/domain/notes/state.server";
import { expectNoSeriousA11yViolations } from "../support/axe";
import { CHROMIUM_ARGS, chromiumPath } from "../support/browser";
import { notesUpdateFrom, sampleNotes } from "../support/notes-content";
import { startTestPortal, type TestPortal } from "../support/portal";
import { stockholmDay } from "../support/wait";

/**
 * Approval of meeting notes in the browser: the coordinator chooses a justerare with the
 * keyboard and sends; the justerare reads the notes and approves; the coordinator's open page
 * turns to "Justerade" by itself; the frozen version opens read-only. Every page passes axe.
 */

const AMINA = "amina.hassan@demo.stockholm.se";
const ERIK = "erik.sandberg@demo.polisen.se";
const STEP_MS = 15_000;

describe.skipIf(!chromiumPath())("approving meeting notes in the browser", () => {
  let portal: TestPortal;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let meetingId = "";

  function watch(page: Page) {
    page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) problems.push(`${page.url()}: console error ${message.text()}`);
    });
    return page;
  }

  async function pageAs(email: string) {
    const context = await browser.newContext({ locale: "sv-SE", viewport: { width: 390, height: 844 } });
    contexts.push(context);
    const token = (await portal.signInAs(email)).split("=")[1];
    await context.addCookies([{ name: "sv_session", value: token, url: portal.url }]);
    return watch(await context.newPage());
  }

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startTestPortal(), chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS })]);
    const db = portal.portal.db;
    const [network] = await db.select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
    const cookie = await portal.signInAs(AMINA);
    const response = await portal.post(
      `/natverk/${network.id}/moten/nytt`,
      { title: "Samverkansmöte Järva", date: stockholmDay(5), startTime: "09:00", endTime: "10:30", place: "Rinkeby medborgarkontor", inviteNetwork: "on", extraEmails: "" },
      { cookie },
    );
    meetingId = response.headers.get("location")!.split("/").pop()!;
    await portal.fetch(`/moten/${meetingId}/anteckningar/justering`, { cookie });
    const [document] = await db.select().from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
    const [amina] = await db.select().from(users).where(eq(users.email, AMINA));
    await appendNotesUpdate(db, document.id, notesUpdateFrom(sampleNotes), amina.id);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await portal?.close();
  });

  it("the coordinator sends with the keyboard, the justerare approves, and the coordinator's page turns to Justerade by itself", async () => {
    const coordinator = await pageAs(AMINA);
    // From the meeting to its notes, and from above the editor on to their approval.
    await coordinator.goto(`${portal.url}/moten/${meetingId}`);
    await coordinator.getByRole("link", { name: "Anteckningar från mötet" }).click();
    await coordinator.getByRole("textbox", { name: "Anteckningar" }).waitFor({ timeout: STEP_MS });
    await coordinator.getByRole("navigation", { name: "Justering, versioner och nedladdning" }).getByRole("link", { name: "Justering av anteckningarna" }).click();
    await coordinator.getByRole("heading", { level: 1, name: "Justering av minnesanteckningarna" }).waitFor({ timeout: STEP_MS });
    await coordinator.getByText("Uppdateras live").waitFor({ timeout: STEP_MS });
    await expectNoSeriousA11yViolations(coordinator, "the approval page, open notes");

    await coordinator.getByRole("checkbox", { name: "Erik Sandberg" }).focus();
    await coordinator.keyboard.press("Space");
    await coordinator.getByRole("button", { name: "Skicka för justering" }).focus();
    await coordinator.keyboard.press("Enter");
    await coordinator.getByText("Anteckningarna är skickade för justering till Erik Sandberg.").waitFor({ timeout: STEP_MS });

    const approver = await pageAs(ERIK);
    await approver.goto(`${portal.url}/moten/${meetingId}/anteckningar/justering`);
    await approver.getByRole("heading", { name: "Du är justerare" }).waitFor({ timeout: STEP_MS });
    await expect(approver.getByRole("article", { name: "Minnesanteckningarna" }).innerText()).resolves.toContain("Trygghetsvandring i Rinkeby");
    await expectNoSeriousA11yViolations(approver, "the approval page for a justerare");
    await approver.getByRole("button", { name: "Justera anteckningarna" }).click();
    await approver.getByText("Alla justerare är klara").waitFor({ timeout: STEP_MS });

    await expect.poll(() => coordinator.locator(".badge").first().innerText(), { timeout: 10_000 }).toBe("Justerade");
    await coordinator.getByRole("heading", { name: "Öppna anteckningarna igen" }).waitFor({ timeout: STEP_MS });
    await expectNoSeriousA11yViolations(coordinator, "the approval page, approved notes");

    await coordinator.getByRole("link", { name: "Versioner" }).first().click();
    await coordinator.getByRole("heading", { level: 1, name: "Versioner av minnesanteckningarna" }).waitFor({ timeout: STEP_MS });
    await expectNoSeriousA11yViolations(coordinator, "the versions page");
    await coordinator.getByRole("link", { name: /^Justerad / }).click();
    await coordinator.getByText("Du läser en sparad version. Den kan inte ändras.").waitFor({ timeout: STEP_MS });
    await expect(coordinator.getByRole("article").innerText()).resolves.toContain("Klipp buskar vid gångvägen");
    await expectNoSeriousA11yViolations(coordinator, "a version of the notes");
    expect(problems).toEqual([]);
  }, 120_000);

  it("after opening the notes again, the coordinator restores a version after confirming, and is told it was done", async () => {
    const coordinator = await pageAs(AMINA);
    await coordinator.goto(`${portal.url}/moten/${meetingId}/anteckningar/justering`);
    await coordinator.getByLabel(/^Anledning/).fill("Ett beslut saknades i anteckningarna");
    await coordinator.getByRole("button", { name: "Öppna för redigering" }).click();
    await expect.poll(() => coordinator.locator(".badge").first().innerText()).toBe("Öppna för redigering");

    await coordinator.goto(`${portal.url}/moten/${meetingId}/anteckningar/versioner`);
    await coordinator.getByRole("link", { name: /^Justerad / }).click();
    await coordinator.getByRole("button", { name: "Återställ den här versionen" }).click();
    const dialog = coordinator.getByRole("alertdialog", { name: "Återställa den här versionen?" });
    await dialog.getByRole("button", { name: "Ja, återställ" }).click();
    const done = coordinator.getByRole("status").filter({ hasText: "Anteckningarna är återställda till" });
    await done.waitFor({ timeout: STEP_MS });
    await expect(done.innerText()).resolves.toContain("Innehållet från före återställningen finns kvar som en egen version.");
    await expectNoSeriousA11yViolations(coordinator, "a version just restored");
    expect(problems).toEqual([]);
  }, 120_000);
});
