import { z } from "zod";

/**
 * The fields of an åtgärd that people edit, one at a time, each with its own version number
 * (see ADR 0019). Shared by the server (validation, audit) and the browser (table, filters).
 */
export const STATUS_LABELS = { ej_paborjad: "Ej påbörjad", pagar: "Pågår", klar: "Klar", stoppad: "Stoppad" } as const;
export const JUDGEMENT_LABELS = { gron: "Grön", gul: "Gul", rod: "Röd" } as const;
export const FOCUS_AREA_LABELS = {
  forebyggande_arbete: "Förebyggande arbete",
  riktade_sociala_insatser: "Riktade sociala insatser",
  stadens_offentliga_miljo: "Stadens offentliga miljö",
  stadsutveckling: "Stadsutveckling",
} as const;
export const PERSPECTIVE_LABELS = { jamstalldhet: "Jämställdhet", barn: "Barn", funktionshinder: "Funktionshinder", hbtqi: "Hbtqi", aldre: "Äldre" } as const;
export const PREVENTION_TYPE_LABELS = { social: "Social prevention", situationell: "Situationell prevention" } as const;

export type ActionStatus = keyof typeof STATUS_LABELS;
export type ActionJudgement = keyof typeof JUDGEMENT_LABELS;
export type FocusArea = keyof typeof FOCUS_AREA_LABELS;
export type Perspective = keyof typeof PERSPECTIVE_LABELS;
export type PreventionType = keyof typeof PREVENTION_TYPE_LABELS;

const keys = <T extends Record<string, string>>(labels: T) => Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];

export const ITEM_FIELD_LABELS = {
  cause: "Orsak/problem",
  title: "Åtgärd",
  description: "Beskrivning",
  operationalGoal: "Operativt mål",
  startDate: "Start",
  deadline: "Klart senast",
  responsibleOrganisationId: "Ansvarig organisation",
  contactUserId: "Kontaktperson",
  contributingOrganisationIds: "Medverkande organisationer",
  followUpMethod: "Uppföljning (hur)",
  followUpComment: "Uppföljning (kommentar)",
  status: "Status",
  judgement: "Bedömning",
  judgementReason: "Motivering av bedömningen",
  focusArea: "Fokusområde",
  perspectives: "Perspektiv",
  preventionType: "Preventionstyp",
} as const;

export type ItemField = keyof typeof ITEM_FIELD_LABELS;
export const ITEM_FIELDS = Object.keys(ITEM_FIELD_LABELS) as ItemField[];

export function isItemField(value: unknown): value is ItemField {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ITEM_FIELD_LABELS, value);
}

const TEXT_MAX = 5000;
const text = (label: string, max = TEXT_MAX) =>
  z
    .string({ error: `${label} måste vara text.` })
    .max(max, `${label} får vara högst ${max} tecken.`)
    .transform((value) => value.replace(/\r\n/g, "\n").trim());
const isoDate = (label: string) =>
  z
    .union([z.literal(""), z.null(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${label} måste vara ett datum (ÅÅÅÅ-MM-DD).`)], {
      error: `${label} måste vara ett datum (ÅÅÅÅ-MM-DD).`,
    })
    .transform((value) => value || null)
    .refine((value) => value === null || isRealDate(value), `${label} är inte ett giltigt datum.`);
const uuid = (message: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message).transform((v) => v.toLowerCase());
const optionalUuid = (message: string) => z.union([z.literal(""), z.null(), uuid(message)], { error: message }).transform((value) => value || null);
const optionalEnum = <T extends Record<string, string>>(labels: T, message: string) =>
  z.union([z.literal(""), z.null(), z.enum(keys(labels), { error: message })], { error: message }).transform((value) => (value || null) as keyof T | null);

function isRealDate(value: string) {
  const [year, month, day] = value.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && year <= 2100 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** One schema per field: what a single edit of that field may carry. */
export const ITEM_FIELD_SCHEMAS = {
  cause: text("Orsak/problem"),
  title: text("Åtgärden", 300).refine((value) => value.length > 0, "Åtgärden behöver en rubrik."),
  description: text("Beskrivningen"),
  operationalGoal: text("Det operativa målet"),
  startDate: isoDate("Start"),
  deadline: isoDate("Klart senast"),
  responsibleOrganisationId: optionalUuid("Välj en ansvarig organisation i listan."),
  contactUserId: optionalUuid("Välj en kontaktperson i listan."),
  contributingOrganisationIds: z
    .array(uuid("Ogiltig medverkande organisation."), { error: "Medverkande organisationer måste vara en lista." })
    .max(50, "Högst 50 medverkande organisationer.")
    .transform((ids) => [...new Set(ids)].sort()),
  followUpMethod: text("Uppföljningen"),
  followUpComment: text("Kommentaren"),
  status: z.enum(keys(STATUS_LABELS), { error: "Välj en status i listan." }),
  judgement: optionalEnum(JUDGEMENT_LABELS, "Välj grön, gul eller röd."),
  judgementReason: text("Motiveringen"),
  focusArea: optionalEnum(FOCUS_AREA_LABELS, "Välj ett av de fyra fokusområdena."),
  perspectives: z
    .array(z.enum(keys(PERSPECTIVE_LABELS), { error: "Okänt perspektiv." }), { error: "Perspektiv måste vara en lista." })
    .max(5)
    .transform((values) => [...new Set(values)].sort()),
  preventionType: optionalEnum(PREVENTION_TYPE_LABELS, "Välj social eller situationell prevention."),
} satisfies { [F in ItemField]: z.ZodType };

export type ItemValues = { [F in ItemField]: z.output<(typeof ITEM_FIELD_SCHEMAS)[F]> };

/** An item as the table, the detail page and live events carry it. */
export type ActionItemView = ItemValues & {
  id: string;
  listId: string;
  number: number;
  fieldVersions: Record<string, number>;
  updatedAt: string;
  createdAt: string;
};

/** Today in Europe/Stockholm as YYYY-MM-DD. */
export function stockholmToday(now = new Date()) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Overdue is derived: a deadline before today on an item that is neither finished nor stopped. */
export function isOverdue(item: { deadline: string | null; status: string }, today: string) {
  return item.deadline !== null && item.deadline < today && item.status !== "klar" && item.status !== "stoppad";
}

/** The table's filter, also what a saved view stores. Every value is optional. */
export type ItemFilter = {
  organisation?: string;
  person?: string;
  focusArea?: string;
  perspective?: string;
  status?: string;
  judgement?: string;
  deadlineBefore?: string;
  overdue?: string;
  text?: string;
};

export const FILTER_KEYS = ["organisation", "person", "focusArea", "perspective", "status", "judgement", "deadlineBefore", "overdue", "text"] as const;

/** Reads a filter from query parameters, dropping anything malformed (a filter never errors). */
export function readFilter(params: URLSearchParams | Record<string, unknown>): ItemFilter {
  const get = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return typeof value === "string" && value.length > 0 && value.length <= 200 ? value : undefined;
  };
  const filter: ItemFilter = {};
  for (const key of FILTER_KEYS) {
    const value = get(key);
    if (value !== undefined) filter[key] = value;
  }
  if (filter.deadlineBefore && !/^\d{4}-\d{2}-\d{2}$/.test(filter.deadlineBefore)) delete filter.deadlineBefore;
  return filter;
}

/** The same test on the server (page load) and in the browser (items arriving live). */
export function matchesFilter(item: ItemValues, filter: ItemFilter, today: string) {
  if (filter.organisation && item.responsibleOrganisationId !== filter.organisation && !item.contributingOrganisationIds.includes(filter.organisation)) return false;
  if (filter.person && item.contactUserId !== filter.person) return false;
  if (filter.focusArea && item.focusArea !== filter.focusArea) return false;
  if (filter.perspective && !item.perspectives.includes(filter.perspective as Perspective)) return false;
  if (filter.status && item.status !== filter.status) return false;
  if (filter.judgement && (filter.judgement === "ingen" ? item.judgement !== null : item.judgement !== filter.judgement)) return false;
  if (filter.deadlineBefore && (item.deadline === null || item.deadline > filter.deadlineBefore)) return false;
  if (filter.overdue === "ja" && !isOverdue(item, today)) return false;
  if (filter.text) {
    const needle = filter.text.toLocaleLowerCase("sv-SE");
    const haystack = `${item.title}\n${item.cause}\n${item.description}\n${item.operationalGoal}`.toLocaleLowerCase("sv-SE");
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

export function filterToSearch(filter: ItemFilter) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) params.set(key, filter[key]!);
  return params.toString();
}
