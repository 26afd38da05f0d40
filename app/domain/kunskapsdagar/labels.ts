/** Swedish labels and room names for kunskapsdagar, shared by pages and server code. */
export const kunskapsdagStatusLabels = { utkast: "Utkast", publicerad: "Publicerad", stangd: "Stängd för anmälan", genomford: "Genomförd", installd: "Inställd" } as const;
export const registrationStatusLabels = { bekraftad: "Bekräftad plats", vantelista: "På väntelistan", avbokad: "Avbokad", erbjuden: "Erbjuden plats, väntar på bekräftelse" } as const;

/** The optional questions an organiser can choose to ask (organisation, name and e-mail are always asked). */
export const QUESTIONS = ["titel", "kost", "tillganglighet", "fritext"] as const;
export type Question = (typeof QUESTIONS)[number];
export const questionLabels: Record<Question, string> = {
  titel: "Titel eller roll",
  kost: "Kost (allergier, specialkost)",
  tillganglighet: "Behov av tillgänglighetsanpassning",
  fritext: "Egen fråga (fritext)",
};

/**
 * The public live room of one kunskapsdag: seats left and the waitlist's length, nothing personal.
 * It is served on the `/public` namespace, which needs no session.
 */
export const kunskapsdagRoom = (kunskapsdagId: string) => `kunskapsdag:${kunskapsdagId}`;
export const SEATS_EVENT = "kunskapsdag:seats";

/**
 * The organisers' live room of one kunskapsdag's registrations, on the signed-in namespace and in
 * every status (a draft too): it gets the same seat events, which tell the management page to reload its list.
 */
export const registrationsRoom = (kunskapsdagId: string) => `kunskapsdag-registrations:${kunskapsdagId}`;

/**
 * A participant changed their own details (name, organisation, answers) through their link: sent
 * to the organisers' rooms only, carrying no personal data; their pages reload their lists.
 */
export const REGISTRATION_EVENT = "kunskapsdag:registration";
export type RegistrationPayload = { kunskapsdagId: string };

export type SeatsPayload = { kunskapsdagId: string; capacity: number; confirmed: number; waitlisted: number; seatsLeft: number };

/** "3 platser kvar", "1 plats kvar", "Fullt – 4 på väntelistan". */
export function seatsText(seats: Pick<SeatsPayload, "seatsLeft" | "waitlisted">) {
  if (seats.seatsLeft > 0) return `${seats.seatsLeft} ${seats.seatsLeft === 1 ? "plats" : "platser"} kvar`;
  return seats.waitlisted > 0 ? `Fullt – ${seats.waitlisted} på väntelistan` : "Fullt – anmäl dig till väntelistan";
}

/** The 1–5 scales of the evaluation after a kunskapsdag. */
export const EVALUATION_QUESTIONS = [
  { key: "overall", label: "Helhetsintryck" },
  { key: "content", label: "Innehåll" },
  { key: "speakers", label: "Talare" },
  { key: "organisation", label: "Organisation och bemötande" },
] as const;
export type EvaluationKey = (typeof EVALUATION_QUESTIONS)[number]["key"];

/**
 * What happens for someone on the waitlist when a seat is freed: on a day without a time to
 * confirm the seat goes to them at once; otherwise it is offered and held for that many hours.
 */
export function whenSeatFreed(offerHoldHours: number | null) {
  return offerHoldHours
    ? `Om en plats blir ledig erbjuds den till nästa på väntelistan i ett mejl, och då har du ${offerHoldHours} timmar på dig att bekräfta den.`
    : "Om en plats blir ledig får du den automatiskt och ett mejl om det.";
}
