/** Swedish names of the follow-up's classifications, shared by the pages, the mails and every export. */

export const periodKindLabels = {
  t1: "Tertial 1 (januari–april)",
  t2: "Tertial 2 (maj–augusti, delårsbokslut 31 augusti)",
  verksamhetsberattelse: "Verksamhetsberättelse (helår)",
} as const;

export const periodKindShort = { t1: "T1", t2: "T2", verksamhetsberattelse: "Verksamhetsberättelse" } as const;

export const actionStatusLabels = { ej_paborjad: "Ej påbörjad", pagar: "Pågår", klar: "Klar", stoppad: "Stoppad" } as const;

export const actionJudgementLabels = { gron: "Grön", gul: "Gul", rod: "Röd" } as const;

export const focusAreaLabels = {
  forebyggande_arbete: "Förebyggande arbete",
  riktade_sociala_insatser: "Riktade sociala insatser",
  stadens_offentliga_miljo: "Stadens offentliga miljö",
  stadsutveckling: "Stadsutveckling",
} as const;

export const perspectiveLabels = { jamstalldhet: "Jämställdhet", barn: "Barn", funktionshinder: "Funktionshinder", hbtqi: "Hbtqi", aldre: "Äldre" } as const;

export const goalJudgementLabels = { uppnas_helt: "Uppnås helt", uppnas_delvis: "Uppnås delvis", uppnas_inte: "Uppnås inte" } as const;

export const directionLabels = { hogre_ar_battre: "Högre är bättre", lagre_ar_battre: "Lägre är bättre" } as const;

export type PeriodKind = keyof typeof periodKindLabels;
export type ActionStatus = keyof typeof actionStatusLabels;
export type ActionJudgement = keyof typeof actionJudgementLabels;
export type FocusArea = keyof typeof focusAreaLabels;
export type Perspective = keyof typeof perspectiveLabels;
export type GoalJudgement = keyof typeof goalJudgementLabels;
export type IndicatorDirection = keyof typeof directionLabels;

export const PERIOD_KINDS = Object.keys(periodKindLabels) as PeriodKind[];
export const ACTION_STATUSES = Object.keys(actionStatusLabels) as ActionStatus[];
export const ACTION_JUDGEMENTS = Object.keys(actionJudgementLabels) as ActionJudgement[];
export const FOCUS_AREAS = Object.keys(focusAreaLabels) as FocusArea[];
export const PERSPECTIVES = Object.keys(perspectiveLabels) as Perspective[];
export const GOAL_JUDGEMENTS = Object.keys(goalJudgementLabels) as GoalJudgement[];

/** The dates a period covers: T1 January–April, T2 May–August, the verksamhetsberättelse the whole year. */
export function periodRange(kind: PeriodKind, year: number) {
  if (kind === "t1") return { startsOn: `${year}-01-01`, endsOn: `${year}-04-30` };
  if (kind === "t2") return { startsOn: `${year}-05-01`, endsOn: `${year}-08-31` };
  return { startsOn: `${year}-01-01`, endsOn: `${year}-12-31` };
}

/** A suggested deadline for the owners' updates: soon after the period ends. */
export function suggestedDeadline(kind: PeriodKind, year: number) {
  if (kind === "t1") return `${year}-05-10`;
  if (kind === "t2") return `${year}-09-10`;
  return `${year + 1}-01-20`;
}

export function periodTitle(kind: PeriodKind, year: number) {
  return `${periodKindShort[kind]} ${year}`;
}

/**
 * The last day of a measurement period as the indicators write it: a year ("2025"), a tertial
 * ("2025-T1"), a quarter ("2025-Q3") or a month ("2025-03"). Decides whether a value belongs in a report.
 */
export function periodEndDate(period: string) {
  const match = /^(\d{4})(?:-(T[1-3]|Q[1-4]|0[1-9]|1[0-2]))?$/.exec(period);
  if (!match) return "9999-12-31";
  const [, year, part] = match;
  const month = !part ? 12 : part.startsWith("T") ? Number(part.slice(1)) * 4 : part.startsWith("Q") ? Number(part.slice(1)) * 3 : Number(part);
  return new Date(Date.UTC(Number(year), month, 0)).toISOString().slice(0, 10);
}

/** The EST rhythm (Effektiv samordning för trygghet) and the meetings it plans. */
export const EST_RHYTHMS = {
  vecka: { label: "Veckovis lägesbild och samverkansmöte", title: "EST: veckovis lägesbild" },
  kvartal: { label: "Kvartalsvis analys av var insatserna ska göras", title: "EST: kvartalsanalys" },
  ar: { label: "Årlig uppföljning", title: "EST: årlig uppföljning" },
} as const;
export type EstRhythm = keyof typeof EST_RHYTHMS;
