/**
 * The Brå action-plan row as spreadsheet columns, in Swedish, shared by export and import so that
 * an exported list can be imported again. The labels of the stored values come from `fields.ts`.
 */

import type { ActionStatus } from "./fields";

export { FOCUS_AREA_LABELS, JUDGEMENT_LABELS, PERSPECTIVE_LABELS, PREVENTION_TYPE_LABELS, STATUS_LABELS, type ActionStatus } from "./fields";

export const FINISHED_STATUSES: readonly ActionStatus[] = ["klar", "stoppad"];

/** The columns a file can be mapped to. `required` columns must be mapped and filled in. */
export const IMPORT_COLUMNS = [
  { key: "cause", label: "Orsak/problem", aliases: ["orsak", "problem", "orsak problem"] },
  { key: "title", label: "Åtgärd", aliases: ["atgard", "titel", "rubrik"], required: true },
  { key: "description", label: "Beskrivning", aliases: ["beskrivning av atgarden"] },
  { key: "operationalGoal", label: "Operativt mål", aliases: ["mal", "operativt mal", "matbart mal"] },
  { key: "startDate", label: "Start", aliases: ["startdatum", "fran", "nar start", "start datum"] },
  { key: "deadline", label: "Klart senast", aliases: ["deadline", "slutdatum", "till", "klart", "nar klart"] },
  { key: "responsibleOrganisation", label: "Ansvarig organisation", aliases: ["ansvarig", "vem", "ansvarig aktor"] },
  { key: "contactEmail", label: "Kontaktperson e-post", aliases: ["kontaktperson", "kontakt", "e post", "epost", "kontaktperson epost"] },
  { key: "contributingOrganisations", label: "Medverkande organisationer", aliases: ["medverkande", "medverkande aktorer"] },
  { key: "followUpMethod", label: "Uppföljning", aliases: ["hur foljs det upp", "uppfoljningsmetod"] },
  { key: "followUpComment", label: "Kommentar till uppföljning", aliases: ["kommentar", "kommentarer"] },
  { key: "status", label: "Status", aliases: [] },
  { key: "judgement", label: "Bedömning", aliases: ["bedomning", "farg", "gron gul rod"] },
  { key: "judgementReason", label: "Motivering", aliases: ["motivering bedomning", "skal"] },
  { key: "focusArea", label: "Fokusområde", aliases: ["fokus"] },
  { key: "perspectives", label: "Perspektiv", aliases: [] },
  { key: "preventionType", label: "Typ av prevention", aliases: ["prevention", "preventionstyp"] },
] as const satisfies ReadonlyArray<{ key: string; label: string; aliases: readonly string[]; required?: boolean }>;

export type ImportColumnKey = (typeof IMPORT_COLUMNS)[number]["key"];

/** Lower case, no diacritics, punctuation as spaces: "Kontaktperson (e-post)" → "kontaktperson e post". */
export function normaliseHeader(value: string) {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** A label typed in a cell → the stored value, accepting the label, the stored value or any case. */
export function valueForLabel<T extends string>(labels: Record<T, string>, cell: string): T | null {
  const wanted = normaliseHeader(cell);
  for (const [value, label] of Object.entries(labels) as Array<[T, string]>) {
    if (normaliseHeader(label) === wanted || normaliseHeader(value) === wanted) return value;
  }
  // Short forms: "Social", "Situationell".
  for (const [value, label] of Object.entries(labels) as Array<[T, string]>) {
    if (normaliseHeader(label).split(" ")[0] === wanted) return value;
  }
  return null;
}

/** A cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading apostrophe. */
export function neutraliseFormula(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function looksLikeFormula(value: string) {
  return /^[=+\-@\t\r]/.test(value);
}

/** What an import accepts; the portal refuses any request body over 1 MB before this is read. */
export const IMPORT_LIMITS = {
  fileBytes: 900 * 1024,
  rows: 1000,
  columns: 60,
  cellChars: 5000,
  titleChars: 300,
  /** An upload waiting for confirmation is kept this long. */
  maxAgeMs: 24 * 60 * 60 * 1000,
};
