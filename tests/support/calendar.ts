import { addDays } from "date-fns";
import { stockholmDate } from "../../app/domain/meetings/time";

/** Years after which the Gregorian calendar repeats between 1901 and 2099: same weekdays, same leap days. */
const CALENDAR_CYCLE = 28;

/**
 * Keeps a test's written-out dates ahead of today. Meetings, polls and series must lie in the
 * future, but a test reads best with its dates written out (and its expected times beside them).
 * `comingYears(earliest)` returns a function that moves every year in a text ("2026-12-15",
 * "2026-12-15T08:00:00.000Z", "15 dec. 2026") forward by 28 years at a time, as often as it takes
 * for `earliest` to lie at least `marginDays` after today. Since the calendar repeats every 28
 * years, weekdays, month days and the Sundays on which summer time starts and ends stay as written.
 * Until `earliest` comes near, the text is returned as it is; `TEST_DATES_MARGIN_DAYS=1000` moves
 * them now, to check that the tests still hold once they have moved.
 */
export function comingYears(earliest: string, marginDays = Number(process.env.TEST_DATES_MARGIN_DAYS ?? 14)) {
  const soonest = stockholmDate(addDays(new Date(), marginDays));
  let shift = 0;
  while (`${Number(earliest.slice(0, 4)) + shift}${earliest.slice(4)}` < soonest) shift += CALENDAR_CYCLE;
  return (text: string) => (shift === 0 ? text : text.replace(/\b20\d\d\b/g, (year) => String(Number(year) + shift)));
}
