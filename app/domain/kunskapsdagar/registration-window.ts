import type { kunskapsdagar } from "../../../db/schema";

type Day = Pick<typeof kunskapsdagar.$inferSelect, "status" | "registrationOpensAt" | "registrationClosesAt" | "startsAt">;

export type RegistrationWindow = { open: boolean; reason: string | null };

/** Whether the day takes registrations now, and why not in Swedish. */
export function registrationWindow(day: Day, now = Date.now()): RegistrationWindow {
  if (day.status === "utkast") return { open: false, reason: "Kunskapsdagen är inte publicerad ännu." };
  if (day.status === "installd") return { open: false, reason: "Kunskapsdagen är inställd." };
  if (day.status === "genomford") return { open: false, reason: "Kunskapsdagen är genomförd." };
  if (day.status === "stangd") return { open: false, reason: "Anmälan är stängd." };
  if (now < day.registrationOpensAt.getTime()) return { open: false, reason: "Anmälan har inte öppnat ännu." };
  if (now >= day.registrationClosesAt.getTime() || now >= day.startsAt.getTime()) return { open: false, reason: "Anmälan är stängd." };
  return { open: true, reason: null };
}

