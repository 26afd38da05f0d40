import { TZDate } from "@date-fns/tz";
import { addDays, format, getDay, isSaturday, isSunday, subDays } from "date-fns";

/**
 * Swedish public holidays (allmänna helgdagar, lag (1989:253)) and the eves that working life
 * treats as holidays (midsommarafton, julafton, nyårsafton), computed for any year. Dates are
 * calendar dates ("2026-04-03") with no time zone: a holiday is the whole local day.
 *
 * No holiday library is a dependency of the portal, so the rules live here: the fixed dates,
 * the Easter-based ones (Gauss/Meeus computus for the Gregorian calendar) and the two
 * "Saturday between" days (midsommardagen, alla helgons dag).
 */

type CalendarDay = { date: string; name: string };

/** A calendar date as a date-fns value pinned to UTC, so that no local offset shifts the day. */
function day(year: number, month: number, date: number) {
  return new TZDate(year, month - 1, date, "UTC");
}

function iso(value: Date) {
  return format(value, "yyyy-MM-dd");
}

function parseIso(date: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a calendar date: ${date}`);
  return day(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Easter Sunday (påskdagen) of a Gregorian year (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(day(year, month, date));
}

/** The Saturday (or Friday) that falls within the given days of a month. */
function weekdayBetween(year: number, month: number, firstDate: number, weekday: number) {
  let candidate = day(year, month, firstDate);
  while (getDay(candidate) !== weekday) candidate = addDays(candidate, 1);
  return candidate;
}

const cache = new Map<number, CalendarDay[]>();

/** Every day of the year that is not a working day although it is not a weekend, and the holidays on weekends. */
export function swedishHolidays(year: number): CalendarDay[] {
  const cached = cache.get(year);
  if (cached) return cached;
  const easter = parseIso(easterSunday(year));
  const midsummerDay = weekdayBetween(year, 6, 20, 6);
  const days: CalendarDay[] = [
    { date: iso(day(year, 1, 1)), name: "Nyårsdagen" },
    { date: iso(day(year, 1, 6)), name: "Trettondedag jul" },
    { date: iso(subDays(easter, 2)), name: "Långfredagen" },
    { date: iso(easter), name: "Påskdagen" },
    { date: iso(addDays(easter, 1)), name: "Annandag påsk" },
    { date: iso(day(year, 5, 1)), name: "Första maj" },
    { date: iso(addDays(easter, 39)), name: "Kristi himmelsfärdsdag" },
    { date: iso(addDays(easter, 49)), name: "Pingstdagen" },
    { date: iso(day(year, 6, 6)), name: "Sveriges nationaldag" },
    { date: iso(subDays(midsummerDay, 1)), name: "Midsommarafton" },
    { date: iso(midsummerDay), name: "Midsommardagen" },
    { date: iso(weekdayBetween(year, 10, 31, 6)), name: "Alla helgons dag" },
    { date: iso(day(year, 12, 24)), name: "Julafton" },
    { date: iso(day(year, 12, 25)), name: "Juldagen" },
    { date: iso(day(year, 12, 26)), name: "Annandag jul" },
    { date: iso(day(year, 12, 31)), name: "Nyårsafton" },
  ].sort((a, b) => a.date.localeCompare(b.date));
  cache.set(year, days);
  return days;
}

/** The holiday's name on a date, or undefined. */
export function swedishHoliday(date: string) {
  return swedishHolidays(Number(date.slice(0, 4))).find((holiday) => holiday.date === date)?.name;
}

/** Monday to Friday and not a holiday or a holiday eve. */
export function isWorkingDay(date: string) {
  const value = parseIso(date);
  return !isSaturday(value) && !isSunday(value) && swedishHoliday(date) === undefined;
}

/** The working day `count` working days before `date` (which itself need not be a working day). */
export function workingDaysBefore(date: string, count: number) {
  let value = parseIso(date);
  let left = count;
  while (left > 0) {
    value = subDays(value, 1);
    if (isWorkingDay(iso(value))) left--;
  }
  return iso(value);
}
