import { createRequire } from "node:module";
import { z } from "zod";
import { formatDate } from "../../format";
import { stockholmDate, stockholmTime, stockholmToUtc } from "./time";

// rrule ships a UMD bundle as its Node entry point, whose named exports Node's ESM loader cannot see.
const { RRule } = createRequire(import.meta.url)("rrule") as typeof import("rrule");

/** The repetitions the meeting form offers. */
export const SERIES_FREQUENCIES = ["weekly", "biweekly", "monthly-weekday", "monthly-date"] as const;
export type SeriesFrequency = (typeof SERIES_FREQUENCIES)[number];

/** No series may have more occurrences than this. */
export const MAX_OCCURRENCES = 52;

export type SeriesEnd = { count: number } | { untilDate: string };

const ORDINALS: Record<number, string> = { 1: "första", 2: "andra", 3: "tredje", 4: "fjärde", [-1]: "sista" };
const WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];
const RRULE_WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

function dateParts(date: string) {
  const [year, month, day] = date.split("-").map(Number);
  return { year, month, day };
}

/** Monday = 0 … Sunday = 6 for a calendar date. */
function weekdayOf(date: string) {
  const { year, month, day } = dateParts(date);
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** Which of its weekday in the month a date is: 1–4, or -1 (the last) from the 29th on. */
function weekdayOrdinal(date: string) {
  const { day } = dateParts(date);
  const nth = Math.ceil(day / 7);
  return nth >= 5 ? -1 : nth;
}

/**
 * The RRULE for a series whose first meeting is on `date` (Stockholm). The weekday or day of
 * the month comes from that date; an end date includes meetings on that day (UNTIL is the end
 * of that day in Stockholm, written in UTC as RFC 5545 requires with a TZID start).
 */
export function buildRule(frequency: SeriesFrequency, date: string, end: SeriesEnd) {
  const weekday = RRULE_WEEKDAYS[weekdayOf(date)];
  const ending = "count" in end ? { count: end.count } : { until: stockholmToUtc(end.untilDate, "23:59") ?? undefined };
  const options = {
    weekly: { freq: RRule.WEEKLY, interval: 1, byweekday: [weekday] },
    biweekly: { freq: RRule.WEEKLY, interval: 2, byweekday: [weekday] },
    "monthly-weekday": { freq: RRule.MONTHLY, interval: 1, byweekday: [weekday], bysetpos: [weekdayOrdinal(date)] },
    "monthly-date": { freq: RRule.MONTHLY, interval: 1, bymonthday: [dateParts(date).day] },
  }[frequency];
  return RRule.optionsToString({ ...options, ...ending }).replace(/^RRULE:/, "");
}

/** The same rule, ended with the occurrence that starts at `lastStart` (UNTIL, inclusive, in UTC). */
export function endRuleAt(rule: string, lastStart: Date) {
  const options = RRule.parseString(rule);
  delete options.count;
  return RRule.optionsToString({ ...options, until: lastStart }).replace(/^RRULE:/, "");
}

/** How the rule ends: after a number of meetings or on a date (Stockholm). */
export function ruleEnd(rule: string): SeriesEnd {
  const options = RRule.parseString(rule);
  if (options.count) return { count: options.count };
  return { untilDate: stockholmDate(options.until!) };
}

/** A rule's parts, named as ical-generator's repeating options. */
export function ruleParts(rule: string) {
  const options = RRule.parseString(rule);
  const list = <T>(value: T | T[] | null | undefined) => (value === null || value === undefined ? undefined : Array.isArray(value) ? value : [value]);
  return {
    freq: RRule.FREQUENCIES[options.freq!] as "WEEKLY" | "MONTHLY",
    interval: options.interval ?? undefined,
    count: options.count ?? undefined,
    until: options.until ?? undefined,
    byDay: list(options.byweekday)?.map((day) => String(day).slice(-2) as "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU"),
    bySetPos: list(options.bysetpos),
    byMonthDay: list(options.bymonthday),
  };
}

/** A Stockholm wall-clock time as a "floating" Date whose UTC fields carry the local values. */
function floating(date: string, time: string) {
  const { year, month, day } = dateParts(date);
  const [hour, minute] = time.split(":").map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute));
}

function floatingDate(value: Date) {
  return value.toISOString().slice(0, 10);
}

export type Occurrence = { startsAt: Date; endsAt: Date };
export type Expansion = { ok: true; occurrences: Occurrence[] } | { ok: false; message: string };

/**
 * Every occurrence of a rule from a first meeting at `startTime`–`endTime` on `date`, all in
 * Stockholm time. The rule is expanded on wall-clock time ("floating", as if Stockholm were UTC)
 * and each date is then converted, so a 09:00 series stays at 09:00 across the summer-time changes.
 */
export function expandRule(rule: string, date: string, startTime: string, endTime: string): Expansion {
  const options = RRule.parseString(rule);
  // UNTIL is a real instant; the expansion compares it on the same wall clock as the meetings.
  const until = options.until ? floating(stockholmDate(options.until), stockholmTime(options.until)) : undefined;
  const recurrence = new RRule({ ...options, until, dtstart: floating(date, startTime), tzid: null });
  const dates = recurrence.all((_, index) => index <= MAX_OCCURRENCES);
  if (dates.length > MAX_OCCURRENCES) {
    return { ok: false, message: `En serie får ha högst ${MAX_OCCURRENCES} möten. Välj ett tidigare slutdatum eller färre gånger.` };
  }
  if (dates.length < 2) return { ok: false, message: "Serien måste ha minst två möten. Välj ett senare slutdatum." };
  const occurrences: Occurrence[] = [];
  for (const start of dates) {
    const day = floatingDate(start);
    const startsAt = stockholmToUtc(day, startTime);
    const endsAt = stockholmToUtc(day, endTime);
    if (!startsAt || !endsAt) {
      return { ok: false, message: `Mötet ${day} skulle infalla på en tid som inte finns i Stockholms tid (natten då sommartid börjar). Välj en annan tid.` };
    }
    occurrences.push({ startsAt, endsAt });
  }
  return { ok: true, occurrences };
}

/** "Varje vecka på tisdagar 09:00–10:00, 10 gånger från 27 okt. 2026", in Swedish for pages and mails. */
export function describeSeries(series: { frequency: string; rule: string; startsAt: Date; endsAt: Date }) {
  const date = stockholmDate(series.startsAt);
  const weekday = WEEKDAYS[weekdayOf(date)];
  const pattern =
    {
      weekly: `Varje vecka på ${weekday}ar`,
      biweekly: `Varannan vecka på ${weekday}ar`,
      "monthly-weekday": `Den ${ORDINALS[weekdayOrdinal(date)]} ${weekday}en i varje månad`,
      "monthly-date": `Den ${dateParts(date).day}:e i varje månad`,
    }[series.frequency as SeriesFrequency] ?? "Återkommande";
  const end = ruleEnd(series.rule);
  const span = "count" in end ? `${end.count} gånger från ${formatDate(series.startsAt)}` : `från ${formatDate(series.startsAt)} till och med ${formatDate(stockholmToUtc(end.untilDate, "12:00")!)}`;
  return `${pattern} ${stockholmTime(series.startsAt)}–${stockholmTime(series.endsAt)}, ${span}`;
}

// ---------------------------------------------------------------------------------------------
// The form's "Upprepa" fields.

const REPEAT_CHOICE = "Välj hur mötet ska upprepas.";

export const recurrenceFormSchema = z
  .object({
    repeat: z.enum(["none", ...SERIES_FREQUENCIES], { error: REPEAT_CHOICE }).default("none"),
    repeatEnd: z.string().trim().default(""),
    repeatCount: z.string().trim().default(""),
    repeatUntil: z.string().trim().default(""),
  })
  .transform((form, ctx) => {
    if (form.repeat === "none") return null;
    let end: SeriesEnd | null = null;
    if (form.repeatEnd === "count") {
      const count = Number(form.repeatCount);
      if (!/^\d{1,4}$/.test(form.repeatCount) || count < 2 || count > MAX_OCCURRENCES) {
        ctx.addIssue({ code: "custom", path: ["repeatCount"], message: `Ange antalet möten som ett heltal mellan 2 och ${MAX_OCCURRENCES}.` });
      } else end = { count };
    } else if (form.repeatEnd === "until") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(form.repeatUntil) || !stockholmToUtc(form.repeatUntil, "12:00")) {
        ctx.addIssue({ code: "custom", path: ["repeatUntil"], message: "Ange seriens slutdatum som ÅÅÅÅ-MM-DD." });
      } else end = { untilDate: form.repeatUntil };
    } else {
      ctx.addIssue({ code: "custom", path: ["repeatEnd"], message: "Välj när serien slutar: på ett datum eller efter ett antal möten." });
    }
    return end ? { frequency: form.repeat as SeriesFrequency, end } : null;
  });

export type RecurrenceInput = NonNullable<z.output<typeof recurrenceFormSchema>>;

/**
 * Checks a series against its first meeting's date and times and expands it; the messages are
 * keyed by the form field they belong to.
 */
export function planSeries(recurrence: RecurrenceInput, date: string, startTime: string, endTime: string) {
  const { frequency, end } = recurrence;
  if (frequency === "monthly-date" && dateParts(date).day > 28) {
    return { ok: false as const, field: "repeat", message: "Månadsvis på datum går bara för den 1–28:e. Välj upprepning på veckodag i stället, t.ex. sista torsdagen." };
  }
  if ("untilDate" in end && end.untilDate <= date) {
    return { ok: false as const, field: "repeatUntil", message: "Seriens slutdatum måste vara efter det första mötet." };
  }
  const rule = buildRule(frequency, date, end);
  const expansion = expandRule(rule, date, startTime, endTime);
  if (!expansion.ok) return { ok: false as const, field: "count" in end ? "repeatCount" : "repeatUntil", message: expansion.message };
  return { ok: true as const, frequency, rule, occurrences: expansion.occurrences };
}
