/** Swedish labels for agreements, their five steps, indicators and medborgarlöften. */

export const agreementStatusLabels = {
  utkast: "Utkast",
  for_beslut: "För beslut",
  gallande: "Gällande",
  upphord: "Upphörd",
} as const;

export const agreementLevelLabels = {
  stadsovergripande: "Stadsövergripande",
  lokal: "Lokal",
} as const;

export const indicatorDirectionLabels = {
  hogre_ar_battre: "Högre är bättre",
  lagre_ar_battre: "Lägre är bättre",
} as const;

// The åtgärd's fokusområde, perspektiv, status and judgement are the action lists' own.
export {
  FOCUS_AREA_LABELS as focusAreaLabels,
  JUDGEMENT_LABELS as actionJudgementLabels,
  PERSPECTIVE_LABELS as perspectiveLabels,
  STATUS_LABELS as actionStatusLabels,
} from "../actions/fields";

/**
 * Brå's five steps for police–municipality cooperation with the "klart när" criteria every new
 * agreement starts with; the parties may add their own.
 */
export const FIVE_STEPS = [
  {
    step: 1,
    name: "Initiera samverkan",
    criteria: [
      "Parterna har utsett kontaktpersoner och en styrgrupp",
      "Parterna är överens om syftet med samverkan och hur den organiseras",
      "En tidplan för arbetet med överenskommelsen är beslutad",
    ],
  },
  {
    step: 2,
    name: "Egna förberedelser",
    criteria: [
      "Kommunen har tagit fram sin lägesbild (trygghetsundersökning, Trygghet på karta, egna underlag)",
      "Polisen har tagit fram sin lägesbild (anmälda brott, händelser, medborgardialog)",
      "Varje part har gått igenom sina pågående insatser och resurser",
    ],
  },
  {
    step: 3,
    name: "Gemensamma förberedelser",
    criteria: [
      "Lägesbilderna är sammanvägda till en gemensam lägesbild",
      "Problemen är prioriterade och deras troliga orsaker analyserade",
      "Avgränsade och mätbara mål med indikatorer är satta",
      "Överenskommelsen är undertecknad av parterna",
    ],
  },
  {
    step: 4,
    name: "Genomförande",
    criteria: [
      "En åtgärdsplan med ansvariga, tider och uppföljning finns",
      "Åtgärderna har påbörjats enligt planen",
      "Medborgarlöften är formulerade och kommunicerade",
    ],
  },
  {
    step: 5,
    name: "Uppföljning",
    criteria: [
      "Det är dokumenterat vad som har gjorts och hur",
      "Det är bedömt om varje del har genomförts som planerat",
      "Måluppfyllelsen är bedömd mot indikatorerna",
      "Nedlagd tid och kostnader är redovisade",
    ],
  },
] as const;

export function stepName(step: number) {
  return FIVE_STEPS.find((entry) => entry.step === step)?.name ?? `Steg ${step}`;
}

/** "1 234,5" with the unit, the Swedish way. */
export function formatNumber(value: number) {
  return new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 2 }).format(value);
}

/** "23 av minst 40 veckor (av 52)". */
export function promiseProgressText(input: { achieved: number; targetCount: number; targetUnit: string; targetOf: number | null }) {
  const of = input.targetOf ? ` (av ${input.targetOf})` : "";
  return `${input.achieved} av minst ${input.targetCount} ${input.targetUnit}${of}`;
}

/** Periods a measurement may be entered for: a year, a tertial, a quarter or a month. */
export const PERIOD_PATTERN = /^(\d{4})(?:-(T[1-3]|Q[1-4]|0[1-9]|1[0-2]))?$/;

export const PERIOD_HINT = "År (2025), tertial (2025-T1), kvartal (2025-Q3) eller månad (2025-03).";

/** Sorts periods in time order: month, then quarter/tertial by their last month, year last. */
export function periodSortKey(period: string) {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) return period;
  const [, year, part] = match;
  let month = 12;
  let rank = 3;
  if (part?.startsWith("T")) {
    month = Number(part.slice(1)) * 4;
    rank = 2;
  } else if (part?.startsWith("Q")) {
    month = Number(part.slice(1)) * 3;
    rank = 1;
  } else if (part) {
    month = Number(part);
    rank = 0;
  }
  return `${year}-${String(month).padStart(2, "0")}-${rank}`;
}
