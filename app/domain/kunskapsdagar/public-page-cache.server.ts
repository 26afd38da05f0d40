import type { Db } from "../../../db/client";
import { singleton } from "../../server/singleton.server";

/**
 * How long the portal on the embedded database shows an anonymous reader a day's public page (all
 * but the seats) without reading it again. Changes to the day show at once (`forgetPublicPage`);
 * changes that are not made through the day's commands, such as an organisation renamed, show
 * within this time. See docs/decisions/0028-public-kunskapsdag-page.md.
 */
export const PUBLIC_PAGE_STALENESS_MS = 5_000;

/** Enough for every coming day at once; beyond it the oldest entry goes first. */
const MAX_DAYS = 500;

type Entry<T> = { value: T; expiresAt: number };

// One store per process (the server entry and the Remix build load this module separately) and
// one map per database, so that two portals in one process never share a page.
const store = () => singleton("kunskapsdag-public-page", () => new WeakMap<Db, Map<string, Entry<unknown>>>());

function daysOf(db: Db) {
  let days = store().get(db);
  if (!days) store().set(db, (days = new Map()));
  return days;
}

/** The anonymous read model of a day while it is fresh, else undefined. */
export function cachedPublicPage<T>(db: Db, kunskapsdagId: string, now = Date.now()): T | undefined {
  const days = daysOf(db);
  const entry = days.get(kunskapsdagId);
  if (!entry) return undefined;
  if (entry.expiresAt <= now) {
    days.delete(kunskapsdagId);
    return undefined;
  }
  return entry.value as T;
}

export function rememberPublicPage<T>(db: Db, kunskapsdagId: string, value: T, now = Date.now()) {
  const days = daysOf(db);
  days.delete(kunskapsdagId);
  if (days.size >= MAX_DAYS) days.delete(days.keys().next().value!);
  days.set(kunskapsdagId, { value, expiresAt: now + PUBLIC_PAGE_STALENESS_MS });
}

/** After every committed change to a day: the next reader on this instance reads it again. */
export function forgetPublicPage(db: Db, kunskapsdagId: string) {
  store().get(db)?.delete(kunskapsdagId);
}
