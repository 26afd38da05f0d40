import { TZDate } from "@date-fns/tz";
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar, type ICalRepeatingOptions } from "ical-generator";
import type { CalendarPerson } from "./ics.server";
import { ruleParts } from "./recurrence.server";
import { MEETING_TIME_ZONE } from "./time";

/**
 * Europe/Stockholm as an iCalendar VTIMEZONE (the EU rules in force since 1996: summer time from
 * 02:00 on the last Sunday of March to 03:00 on the last Sunday of October). A series is written
 * with DTSTART;TZID=Europe/Stockholm and this definition, so that every calendar repeats it at
 * the same local time across the summer-time changes.
 */
const STOCKHOLM_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Stockholm",
  "X-LIC-LOCATION:Europe/Stockholm",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

function timeZoneDefinition(zone: string) {
  return zone === MEETING_TIME_ZONE ? STOCKHOLM_VTIMEZONE : null;
}

/** An instant as Stockholm wall-clock time, which ical-generator writes with TZID=Europe/Stockholm. */
export function inStockholm(instant: Date) {
  return new TZDate(instant.getTime(), MEETING_TIME_ZONE);
}

/** The one UID of a series in every calendar file about it or one of its occurrences. */
export function seriesUid(seriesId: string) {
  return `${seriesId}@samverkansportalen`;
}

/** A calendar in Stockholm time with its VTIMEZONE. */
export function stockholmCalendar(method: "REQUEST" | "CANCEL"): ICalCalendar {
  return ical({
    prodId: { company: "Stockholms stad", product: "Samverkansportalen", language: "SV" },
    method: method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone: each event names its own, the library adds its VTIMEZONE and keeps UNTIL in UTC.
    timezone: { name: null, generator: timeZoneDefinition },
  });
}

const attendeeStatus = {
  ja: ICalAttendeeStatus.ACCEPTED,
  nej: ICalAttendeeStatus.DECLINED,
  kanske: ICalAttendeeStatus.TENTATIVE,
} as const;

export type CalendarAttendee = CalendarPerson & { response: "ja" | "nej" | "kanske" | null };

export function attendeeData(attendee: CalendarAttendee) {
  return {
    name: attendee.name,
    email: attendee.email,
    rsvp: true,
    role: ICalAttendeeRole.REQ,
    status: attendee.response ? attendeeStatus[attendee.response] : ICalAttendeeStatus.NEEDSACTION,
  };
}

type EventValues = { title: string; description: string; place: string; videoUrl: string; startsAt: Date; endsAt: Date };

function eventText(values: EventValues, url: string) {
  const location = [values.place, values.videoUrl].filter(Boolean).join(" – ");
  return {
    summary: values.title,
    description: [values.description, `Mer information och svar: ${url}`].filter(Boolean).join("\n\n"),
    location: location || null,
    url,
  };
}

export type SeriesCalendarInput = {
  series: EventValues & { id: string; rule: string; updatedAt: Date; url: string };
  sequence: number;
  method: "REQUEST" | "CANCEL";
  organizer: CalendarPerson;
  attendee: CalendarAttendee;
  /** Occurrences within the rule that are cancelled (EXDATE). */
  cancelled: Date[];
  /** Occurrences within the rule that differ from it (one VEVENT each with RECURRENCE-ID). */
  changed: Array<EventValues & { recurrenceId: Date; url: string }>;
};

/**
 * One invitee's calendar file for a whole series: the recurring VEVENT (RRULE, DTSTART with
 * TZID, EXDATE for cancelled occurrences) and one VEVENT per changed occurrence, all with the
 * series' UID and SEQUENCE. METHOD:CANCEL (no RECURRENCE-ID) removes the whole series.
 */
export function seriesCalendar(input: SeriesCalendarInput) {
  const { series } = input;
  const cancel = input.method === "CANCEL";
  const calendar = stockholmCalendar(input.method);
  const common = {
    id: seriesUid(series.id),
    sequence: input.sequence,
    stamp: series.updatedAt,
    timezone: MEETING_TIME_ZONE,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [attendeeData(input.attendee)],
  };
  calendar.createEvent({
    ...common,
    ...eventText(series, series.url),
    start: inStockholm(series.startsAt),
    end: inStockholm(series.endsAt),
    // The stored rule is already RFC 5545 text (UNTIL in UTC); EXDATEs are added by the library.
    repeating: cancel ? series.rule : withExclusions(series.rule, input.cancelled),
  });
  if (!cancel) {
    for (const occurrence of input.changed) {
      calendar.createEvent({
        ...common,
        ...eventText(occurrence, occurrence.url),
        start: inStockholm(occurrence.startsAt),
        end: inStockholm(occurrence.endsAt),
        recurrenceId: inStockholm(occurrence.recurrenceId),
      });
    }
  }
  return calendar.toString();
}

/** The rule as ical-generator's options, so that the library also writes the EXDATE lines. */
function withExclusions(rule: string, cancelled: Date[]): string | ICalRepeatingOptions {
  if (cancelled.length === 0) return rule;
  const { until, ...parts } = ruleParts(rule);
  return {
    ...parts,
    freq: parts.freq as ICalRepeatingOptions["freq"],
    byDay: parts.byDay as ICalRepeatingOptions["byDay"],
    // A UTC date makes the library write UNTIL in UTC, as RFC 5545 requires with a TZID start.
    until: until ? new TZDate(until.getTime(), "UTC") : undefined,
    exclude: cancelled.map(inStockholm),
  };
}

/**
 * One occurrence of a series, for a change (REQUEST) or cancellation (CANCEL) of that occurrence
 * alone: the series' UID with the occurrence's RECURRENCE-ID.
 */
export function occurrenceCalendar(input: {
  seriesId: string;
  occurrence: EventValues & { recurrenceId: Date; updatedAt: Date; url: string };
  sequence: number;
  method: "REQUEST" | "CANCEL";
  organizer: CalendarPerson;
  attendee: CalendarAttendee;
}) {
  const { occurrence } = input;
  const calendar = stockholmCalendar(input.method);
  calendar.createEvent({
    id: seriesUid(input.seriesId),
    sequence: input.sequence,
    stamp: occurrence.updatedAt,
    timezone: MEETING_TIME_ZONE,
    ...eventText(occurrence, occurrence.url),
    start: inStockholm(occurrence.startsAt),
    end: inStockholm(occurrence.endsAt),
    recurrenceId: inStockholm(occurrence.recurrenceId),
    status: input.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [attendeeData(input.attendee)],
  });
  return calendar.toString();
}
