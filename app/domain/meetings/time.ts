import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** Meetings are entered and shown in Stockholm time and stored in UTC. */
export const MEETING_TIME_ZONE = "Europe/Stockholm";

/**
 * The instant of a Stockholm wall-clock date ("2026-10-27") and time ("09:00"), or null when that
 * local time does not exist (an impossible date, or the hour skipped when summer time begins).
 */
export function stockholmToUtc(date: string, time: string): Date | null {
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const timeMatch = /^(\d{2}):(\d{2})$/.exec(time);
  if (!dateMatch || !timeMatch) return null;
  const [year, month, day] = dateMatch.slice(1).map(Number);
  const [hour, minute] = timeMatch.slice(1).map(Number);
  const local = new TZDate(year, month - 1, day, hour, minute, MEETING_TIME_ZONE);
  if (Number.isNaN(local.getTime())) return null;
  // The library rolls over invalid values (30 February, 02:30 on the spring-forward night): refuse those.
  if (stockholmDate(local) !== date || stockholmTime(local) !== time) return null;
  return new Date(local.getTime());
}

/** "2026-10-27" in Stockholm. */
export function stockholmDate(instant: Date | string | number) {
  return format(new TZDate(new Date(instant).getTime(), MEETING_TIME_ZONE), "yyyy-MM-dd");
}

/** "09:00" in Stockholm. */
export function stockholmTime(instant: Date | string | number) {
  return format(new TZDate(new Date(instant).getTime(), MEETING_TIME_ZONE), "HH:mm");
}
