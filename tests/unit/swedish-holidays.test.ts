import { describe, expect, it } from "vitest";
import { easterSunday, isWorkingDay, swedishHoliday, swedishHolidays, workingDaysBefore } from "../../app/domain/calendar/swedish-holidays";

describe("Swedish public holidays", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2028, "2028-04-16"],
    [2038, "2038-04-25"], // the latest possible date
    [2285, "2285-03-22"], // the earliest possible date
  ])("Easter Sunday %i is %s", (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it("lists the 2026 holidays as the Swedish almanac does", () => {
    expect(swedishHolidays(2026)).toEqual([
      { date: "2026-01-01", name: "Nyårsdagen" },
      { date: "2026-01-06", name: "Trettondedag jul" },
      { date: "2026-04-03", name: "Långfredagen" },
      { date: "2026-04-05", name: "Påskdagen" },
      { date: "2026-04-06", name: "Annandag påsk" },
      { date: "2026-05-01", name: "Första maj" },
      { date: "2026-05-14", name: "Kristi himmelsfärdsdag" },
      { date: "2026-05-24", name: "Pingstdagen" },
      { date: "2026-06-06", name: "Sveriges nationaldag" },
      { date: "2026-06-19", name: "Midsommarafton" },
      { date: "2026-06-20", name: "Midsommardagen" },
      { date: "2026-10-31", name: "Alla helgons dag" },
      { date: "2026-12-24", name: "Julafton" },
      { date: "2026-12-25", name: "Juldagen" },
      { date: "2026-12-26", name: "Annandag jul" },
      { date: "2026-12-31", name: "Nyårsafton" },
    ]);
  });

  it.each([
    ["2027-03-26", "Långfredagen"],
    ["2027-05-06", "Kristi himmelsfärdsdag"],
    ["2027-06-25", "Midsommarafton"],
    ["2027-06-26", "Midsommardagen"],
    ["2027-11-06", "Alla helgons dag"], // the Saturday between 31 October and 6 November falls on the 6th
    ["2025-11-01", "Alla helgons dag"],
    ["2025-06-21", "Midsommardagen"],
  ])("%s is %s", (date, name) => {
    expect(swedishHoliday(date)).toBe(name);
  });

  it("counts Monday to Friday except holidays as working days", () => {
    expect(isWorkingDay("2026-11-25")).toBe(true); // a Wednesday
    expect(isWorkingDay("2026-11-28")).toBe(false); // Saturday
    expect(isWorkingDay("2026-11-29")).toBe(false); // Sunday
    expect(isWorkingDay("2026-04-06")).toBe(false); // Annandag påsk, a Monday
    expect(isWorkingDay("2026-05-14")).toBe(false); // Kristi himmelsfärdsdag, a Thursday
    expect(isWorkingDay("2026-05-15")).toBe(true); // the Friday after (a "klämdag", still a working day)
    expect(isWorkingDay("2026-06-30")).toBe(true); // midsummer is over
  });

  it.each([
    ["2026-11-26", 3, "2026-11-23", "Thursday → Monday of the same week"],
    ["2026-11-30", 3, "2026-11-25", "Monday → the Wednesday before, over a weekend"],
    ["2026-04-09", 3, "2026-04-02", "Thursday after Easter → skärtorsdagen, over Easter"],
    ["2026-05-18", 3, "2026-05-12", "Monday after Kristi himmelsfärd → Tuesday the week before"],
    ["2027-01-07", 3, "2026-12-30", "the first Thursday of 2027 → over Trettondagen, nyårsdagen and nyårsafton"],
    ["2026-11-29", 3, "2026-11-25", "a Sunday meeting counts back from the Friday"],
  ])("%s minus %i working days is %s (%s)", (date, count, expected) => {
    expect(workingDaysBefore(date, count)).toBe(expected);
  });
});
