import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { meetingCalendar } from "../../app/domain/meetings/ics.server";
import { stockholmDate, stockholmTime, stockholmToUtc } from "../../app/domain/meetings/time";

describe("Stockholm wall-clock time", () => {
  it.each([
    ["2026-03-24", "09:00", "2026-03-24T08:00:00.000Z"], // winter time, the week before the change
    ["2026-03-29", "03:00", "2026-03-29T01:00:00.000Z"], // the first hour of summer time
    ["2026-06-16", "09:00", "2026-06-16T07:00:00.000Z"],
    ["2026-10-25", "01:30", "2026-10-24T23:30:00.000Z"],
    ["2026-10-27", "09:00", "2026-10-27T08:00:00.000Z"], // winter time again
    ["2026-12-31", "23:59", "2026-12-31T22:59:00.000Z"],
  ])("%s %s in Stockholm is %s, and back again", (date, time, utc) => {
    const instant = stockholmToUtc(date, time);
    expect(instant?.toISOString()).toBe(utc);
    expect(stockholmDate(instant!)).toBe(date);
    expect(stockholmTime(instant!)).toBe(time);
  });

  it.each([
    ["2026-02-30", "09:00", "a day that does not exist"],
    ["2026-13-01", "09:00", "a month that does not exist"],
    ["2026-03-29", "02:30", "the hour skipped when summer time begins"],
    ["2026-06-16", "24:00", "an hour that does not exist"],
    ["16/6/2026", "09:00", "another date format"],
    ["2026-06-16", "9.00", "another time format"],
  ])("%s %s is refused (%s)", (date, time) => {
    expect(stockholmToUtc(date, time)).toBeNull();
  });
});

describe("a meeting's calendar file", () => {
  const meeting = {
    id: "0b4f1f8e-5a57-4c59-9a3c-7d1f2c7a9e10",
    title: "Samverkansmöte; Järva, \"höst\"",
    description: "Rad ett\nRad två",
    startsAt: new Date("2026-10-27T08:00:00.000Z"),
    endsAt: new Date("2026-10-27T09:30:00.000Z"),
    place: "Rinkeby",
    videoUrl: "https://video.example/m",
    url: "https://portal.example/moten/0b4f1f8e-5a57-4c59-9a3c-7d1f2c7a9e10",
    updatedAt: new Date("2026-10-01T10:00:00.000Z"),
  };
  const people = { organizer: { name: "Amina Hassan", email: "amina@example.se" }, attendee: { name: "Erik", email: "erik@example.se", response: null } };

  it("is a REQUEST with one event, the meeting's UID and times, and an attendee asked to answer", () => {
    const text = meetingCalendar({ meeting, sequence: 3, method: "REQUEST", ...people });
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(calendar.getAllSubcomponents("vevent")).toHaveLength(1);
    const vevent = calendar.getFirstSubcomponent("vevent")!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe(`${meeting.id}@samverkansportalen`);
    expect(event.sequence).toBe(3);
    expect(event.summary).toBe(meeting.title);
    expect(event.startDate.toJSDate()).toEqual(meeting.startsAt);
    expect(event.endDate.toJSDate()).toEqual(meeting.endsAt);
    expect(vevent.getFirstPropertyValue("dtstamp")?.toString()).toBe("2026-10-01T10:00:00Z");
    const [attendee] = vevent.getAllProperties("attendee");
    expect(attendee.getParameter("rsvp")).toBe("TRUE");
    expect(attendee.getParameter("partstat")).toBe("NEEDS-ACTION");
    expect(String(vevent.getFirstPropertyValue("organizer")).toLowerCase()).toBe("mailto:amina@example.se");
  });

  it("is a CANCEL with status CANCELLED for a cancellation, with the same UID", () => {
    const text = meetingCalendar({ meeting, sequence: 4, method: "CANCEL", ...people });
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    const vevent = calendar.getFirstSubcomponent("vevent")!;
    expect(vevent.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(new ICAL.Event(vevent).uid).toBe(`${meeting.id}@samverkansportalen`);
  });

  it("is the same file when rendered twice (a retried mail carries identical bytes)", () => {
    expect(meetingCalendar({ meeting, sequence: 1, method: "REQUEST", ...people })).toBe(meetingCalendar({ meeting, sequence: 1, method: "REQUEST", ...people }));
  });
});
