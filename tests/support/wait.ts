import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rows } from "./digest";

/** Polls `check` every 50 ms until it returns something truthy, which it resolves with. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until no mail is queued or being sent, so that the mail workers write nothing during a comparison. */
export async function mailSettled(db: Db) {
  await waitFor(async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from emails where status in ('queued', 'sending')`))[0].n === 0, "the mail queue to settle");
}

/** The Stockholm calendar date ("YYYY-MM-DD") a number of days from now. */
export function stockholmDay(daysFromNow: number) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + daysFromNow * 86_400_000));
}
