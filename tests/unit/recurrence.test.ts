import { describe, expect, it } from "vitest";
import { describeSeries, endRuleAt, planSeries } from "../../app/domain/meetings/recurrence.server";

const stockholm = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
const local = (instant: Date) => stockholm.format(instant);

function plan(...args: Parameters<typeof planSeries>) {
  const result = planSeries(...args);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe("meeting series rules", () => {
  it("the first Thursday of each month stays at 09:00 in Stockholm through winter and summer time", () => {
    const series = plan({ frequency: "monthly-weekday", end: { count: 8 } }, "2026-10-01", "09:00", "10:00");
    expect(series.rule).toBe("FREQ=MONTHLY;INTERVAL=1;BYDAY=TH;BYSETPOS=1;COUNT=8");
    expect(series.occurrences.map((occurrence) => local(occurrence.startsAt))).toEqual([
      "2026-10-01 09:00",
      "2026-11-05 09:00",
      "2026-12-03 09:00",
      "2027-01-07 09:00",
      "2027-02-04 09:00",
      "2027-03-04 09:00",
      "2027-04-01 09:00",
      "2027-05-06 09:00",
    ]);
    expect(describeSeries({ frequency: "monthly-weekday", rule: series.rule, ...series.occurrences[0] })).toBe("Den första torsdagen i varje månad 09:00–10:00, 8 gånger från 1 okt. 2026");
  });

  it("a first meeting on the 29th or later repeats on the last such weekday of the month", () => {
    const series = plan({ frequency: "monthly-weekday", end: { count: 3 } }, "2026-10-29", "14:00", "15:00");
    expect(series.occurrences.map((occurrence) => local(occurrence.startsAt))).toEqual(["2026-10-29 14:00", "2026-11-26 14:00", "2026-12-31 14:00"]);
  });

  it("every second week, up to and including the end date", () => {
    const series = plan({ frequency: "biweekly", end: { untilDate: "2026-12-22" } }, "2026-11-10", "13:00", "14:00");
    expect(series.occurrences.map((occurrence) => local(occurrence.startsAt))).toEqual(["2026-11-10 13:00", "2026-11-24 13:00", "2026-12-08 13:00", "2026-12-22 13:00"]);
    expect(describeSeries({ frequency: "biweekly", rule: series.rule, ...series.occurrences[0] })).toBe("Varannan vecka på tisdagar 13:00–14:00, från 10 nov. 2026 till och med 22 dec. 2026");
  });

  it("ending a rule at an occurrence keeps exactly the occurrences up to it", () => {
    const series = plan({ frequency: "weekly", end: { count: 10 } }, "2027-03-16", "09:00", "10:00");
    const ended = endRuleAt(series.rule, series.occurrences[3].startsAt);
    expect(ended).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;UNTIL=20270406T070000Z");
  });

  it("refuses a series longer than 52 meetings, one that ends before it starts and monthly dates after the 28th", () => {
    expect(planSeries({ frequency: "weekly", end: { untilDate: "2028-12-31" } }, "2026-12-01", "09:00", "10:00")).toMatchObject({ ok: false, field: "repeatUntil" });
    expect(planSeries({ frequency: "weekly", end: { untilDate: "2026-11-30" } }, "2026-12-01", "09:00", "10:00")).toMatchObject({ ok: false, field: "repeatUntil" });
    expect(planSeries({ frequency: "monthly-date", end: { count: 3 } }, "2026-12-31", "09:00", "10:00")).toMatchObject({ ok: false, field: "repeat" });
  });
});
