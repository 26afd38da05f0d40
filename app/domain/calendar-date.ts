import { isValid, parse } from "date-fns";
import { z } from "zod";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a text is a day as YYYY-MM-DD that exists in the calendar (2026-02-31 does not). */
export function isCalendarDate(value: string) {
  return DAY.test(value) && isValid(parse(value, "yyyy-MM-dd", new Date(2000, 0, 1)));
}

/**
 * A form's date field: written as YYYY-MM-DD (`formatMessage` otherwise) and a day that exists
 * (`missingMessage` otherwise), so that an impossible date is a clear error, not a failed query.
 */
export function calendarDate(formatMessage: string, missingMessage = "Datumet finns inte i kalendern.") {
  return z
    .string()
    .trim()
    .regex(DAY, formatMessage)
    .refine(isCalendarDate, missingMessage);
}
