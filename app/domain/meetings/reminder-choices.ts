/** The reminder choices of the meeting form; no dependencies, so the browser bundle can use them. */

/** The reminders a coordinator can choose, in minutes before the start. */
export const REMINDER_CHOICES = [
  { minutes: 7 * 24 * 60, label: "7 dagar före" },
  { minutes: 24 * 60, label: "1 dag före" },
  { minutes: 2 * 60, label: "2 timmar före" },
] as const;

export const DEFAULT_REMINDER_OFFSETS: readonly number[] = [7 * 24 * 60, 24 * 60];

export function reminderLabel(minutes: number) {
  return REMINDER_CHOICES.find((choice) => choice.minutes === minutes)?.label ?? `${minutes} minuter före`;
}

/** "7 dagar och 1 dag före", or "Inga påminnelser". */
export function describeReminders(offsets: readonly number[]) {
  if (offsets.length === 0) return "Inga påminnelser";
  const labels = [...offsets].sort((a, b) => b - a).map((minutes) => reminderLabel(minutes).replace(/ före$/, ""));
  return `${labels.length > 1 ? `${labels.slice(0, -1).join(", ")} och ${labels.at(-1)}` : labels[0]} före`;
}

