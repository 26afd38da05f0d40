const dateTimeParts = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Stockholm",
} as const;

const dateTime = new Intl.DateTimeFormat("sv-SE", dateTimeParts);
const weekdayDateTime = new Intl.DateTimeFormat("sv-SE", { weekday: "short", ...dateTimeParts });

const dateOnly = new Intl.DateTimeFormat("sv-SE", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/Stockholm" });

/** "24 nov. 2026 14:00", Europe/Stockholm. */
export function formatDateTime(value: Date | string | number) {
  return dateTime.format(new Date(value)).replace(" kl. ", " ");
}

/** "tis 24 nov. 2026 14:00", Europe/Stockholm: where people choose between days, the weekday matters. */
export function formatWeekdayDateTime(value: Date | string | number) {
  return weekdayDateTime.format(new Date(value)).replace(" kl. ", " ");
}

export function formatDate(value: Date | string | number) {
  return dateOnly.format(new Date(value));
}
