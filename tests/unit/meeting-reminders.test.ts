import { describe, expect, it } from "vitest";
import { agendaReminderAt, describeReminders, dueReminders, nextReminderAt, reminderChoicesField, reminderSchedule } from "../../app/domain/meetings/reminders";
import { stockholmToUtc } from "../../app/domain/meetings/time";

const at = (date: string, time: string) => stockholmToUtc(date, time)!;
const DEFAULTS = [10080, 1440];

describe("meeting reminder schedule", () => {
  it("plans 7 days and 1 day before and the agenda reminder at 08:00 three working days before", () => {
    const startsAt = at("2026-12-10", "09:00"); // a Thursday
    expect(reminderSchedule(startsAt, DEFAULTS).map((reminder) => [reminder.kind, reminder.at.toISOString()])).toEqual([
      ["invitees", "2026-12-03T08:00:00.000Z"],
      ["agenda", "2026-12-07T07:00:00.000Z"], // Monday 08:00 Stockholm
      ["invitees", "2026-12-09T08:00:00.000Z"],
    ]);
  });

  it("keeps the agenda reminder at 08:00 local time across the change to summer time", () => {
    // Wednesday 1 April 2026 (summer time) minus 3 working days is Friday 27 March (winter time).
    expect(agendaReminderAt(at("2026-04-01", "10:00")).toISOString()).toBe("2026-03-27T07:00:00.000Z");
  });

  it("does not plan a reminder whose time has passed when the meeting is planned", () => {
    const startsAt = at("2026-12-10", "09:00");
    expect(nextReminderAt(startsAt, DEFAULTS, at("2026-12-05", "12:00"))?.toISOString()).toBe("2026-12-07T07:00:00.000Z");
    expect(nextReminderAt(startsAt, DEFAULTS, at("2026-12-09", "09:00"))).toBeNull();
  });

  it("sends only the reminder closest to the meeting when several came due while no scan ran", () => {
    const startsAt = at("2026-12-10", "09:00");
    const due = dueReminders(startsAt, DEFAULTS, at("2026-12-03", "09:00"), at("2026-12-09", "12:00"));
    expect(due.map((reminder) => (reminder.kind === "invitees" ? reminder.offsetMinutes : "agenda"))).toEqual(["agenda", 1440]);
    expect(dueReminders(startsAt, DEFAULTS, at("2026-12-03", "09:00"), at("2026-12-10", "09:00"))).toEqual([]);
  });

  it("reads the form's checkboxes: absent keeps the choice, an empty post means none, anything else is refused", () => {
    expect(reminderChoicesField.parse(undefined)).toBeUndefined();
    expect(reminderChoicesField.parse("")).toEqual([]);
    expect(reminderChoicesField.parse(["", "1440", "120", "1440"])).toEqual([1440, 120]);
    expect(reminderChoicesField.safeParse(["", "5"]).success).toBe(false);
    expect(reminderChoicesField.safeParse(["", "10080", "1440", "120", "60"]).success).toBe(false);
    expect(describeReminders([1440, 10080])).toBe("7 dagar och 1 dag före");
    expect(describeReminders([])).toBe("Inga påminnelser");
  });
});
