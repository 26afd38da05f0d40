import { expect } from "vitest";
import type { BrowserContext, Page } from "playwright-core";

const MAIL_WAIT_MS = 20_000;

/** Opens the newest mail to `to` (whose row also mentions `subject`, when given) in the development outbox. */
export async function openMail(page: Page, serverUrl: string, to: string, subject?: string | RegExp) {
  await page.goto(`${serverUrl}/dev/mail`);
  let rows = page.getByRole("row").filter({ hasText: to });
  if (subject) rows = rows.filter({ hasText: subject });
  const mail = rows.getByRole("link").first();
  await mail.waitFor({ timeout: MAIL_WAIT_MS });
  await mail.click();
  await page.waitForURL((url) => /^\/dev\/mail\/[0-9a-f-]{36}$/.test(url.pathname));
}

/**
 * Signs in with the one-time code, reading the mail in a second tab as a person on another device
 * would, and returns the start page it lands on. `watch` is the test's console and error watcher.
 */
export async function signInWithCode(context: BrowserContext, serverUrl: string, person: { email: string; name: string }, watch: (page: Page) => Page = (page) => page) {
  const page = watch(await context.newPage());
  await page.goto(`${serverUrl}/logga-in`);
  await page.getByLabel("E-postadress").fill(person.email);
  await page.getByRole("button", { name: "Skicka inloggningslänk" }).click();
  await page.waitForURL((url) => url.pathname === "/logga-in/kod");
  const mailbox = watch(await context.newPage());
  await openMail(mailbox, serverUrl, person.email, "Logga in i Samverkansportalen");
  const subject = await mailbox.getByRole("heading", { level: 1, name: /kod/ }).innerText();
  const code = /kod (\d{4} ?\d{4})/.exec(subject)?.[1];
  expect(code, `the mail's subject carries the code: ${subject}`).toBeDefined();
  await mailbox.close();
  await page.getByLabel("Kod").fill(code!);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL(`${serverUrl}/`);
  await page.getByRole("heading", { level: 1, name: `Välkommen, ${person.name}` }).waitFor();
  return page;
}

/**
 * Runs a browser step; when it fails, the error also tells what the page showed, the browser's
 * problems and the server's stderr, so that a failure on a loaded CI machine can be understood.
 */
export async function explained<T>(page: Page, step: () => Promise<T>, context: { problems?: string[]; serverLog?: () => string } = {}) {
  try {
    return await step();
  } catch (error) {
    const shown = await page
      .locator("body")
      .innerText({ timeout: 2000 })
      .catch((reason: Error) => `(unreadable: ${reason.message})`);
    const details = [
      `URL: ${page.url()}`,
      `page text: ${shown.slice(0, 2000)}`,
      `browser problems: ${context.problems?.join("\n") || "(none)"}`,
      `server stderr: ${context.serverLog?.().slice(-3000) || "(empty)"}`,
    ];
    if (error instanceof Error) error.message += `\n${details.join("\n")}`;
    throw error;
  }
}
