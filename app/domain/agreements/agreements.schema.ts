import { z } from "zod";
import { calendarDate } from "../calendar-date";
import { uuidPattern } from "../http-errors";
import { PERIOD_HINT, PERIOD_PATTERN } from "./labels";

const id = (message: string) => z.string({ error: message }).regex(uuidPattern, message).transform((value) => value.toLowerCase());
const optionalId = (message: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(id(message).optional());
const text = (max: number, label: string) => z.string().trim().max(max, `${label} får vara högst ${max} tecken.`).default("");
const requiredText = (max: number, label: string) => z.string({ error: `Fyll i ${label.toLowerCase()}.` }).trim().min(1, `Fyll i ${label.toLowerCase()}.`).max(max, `${label} får vara högst ${max} tecken.`);
const year = (label: string) =>
  z.coerce
    .number({ error: `${label} ska vara ett årtal.` })
    .int(`${label} ska vara ett årtal.`)
    .min(2000, `${label} ska vara ett årtal från 2000.`)
    .max(2100, `${label} ska vara ett årtal före 2100.`);
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean))
  .pipe(z.array(id("Välj organisationer ur listan.")).max(20, "Välj högst 20 parter."));

export const newAgreementSchema = z
  .object({
    title: requiredText(200, "Titel"),
    level: z.enum(["stadsovergripande", "lokal"], { error: "Välj stadsövergripande eller lokal." }),
    ownerOrganisationId: id("Välj vilken organisation som äger överenskommelsen."),
    partyOrganisationIds: idList,
    periodStartYear: year("Första året"),
    periodEndYear: year("Sista året"),
    parentAgreementId: optionalId("Välj en stadsövergripande överenskommelse ur listan."),
    localArea: text(120, "Området"),
  })
  .refine((value) => value.periodEndYear >= value.periodStartYear, { path: ["periodEndYear"], message: "Sista året kan inte vara före det första." })
  .refine((value) => value.periodEndYear - value.periodStartYear <= 10, { path: ["periodEndYear"], message: "Perioden får vara högst tio år." })
  .refine((value) => value.partyOrganisationIds.some((party) => party !== value.ownerOrganisationId), {
    path: ["partyOrganisationIds"],
    message: "Välj minst en part till, t.ex. lokalpolisområdet.",
  });
export type NewAgreementInput = z.infer<typeof newAgreementSchema>;

/**
 * A source line's name and address: split at the first "|" that is followed by a web address, so
 * that a "|" in the address itself stays in it. A line that is only an address has no name.
 */
function splitSourceLine(line: string): [string, string] {
  const named = /^(.*?)\s*\|\s*(https?:\/\/.*)$/i.exec(line);
  if (named) return [named[1].trim(), named[2].trim()];
  // Some other address after a name ("Karta | ftp://…") is split too, and then refused.
  const bar = line.indexOf("|");
  if (bar === -1 || /^[a-z][a-z0-9+.-]*:/i.test(line)) return ["", line];
  return [line.slice(0, bar).trim(), line.slice(bar + 1).trim()];
}

/** Sources as lines "Namn | https://…"; a line without a valid address is refused. */
const sourceLines = z
  .string()
  .max(5000, "Källorna får vara högst 5000 tecken.")
  .default("")
  .transform((value, context) => {
    const links: Array<{ label: string; url: string }> = [];
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .forEach((line, index) => {
        const [label, url] = splitSourceLine(line);
        let valid = false;
        try {
          const parsed = new URL(url);
          valid = parsed.protocol === "https:" || parsed.protocol === "http:";
        } catch {
          valid = false;
        }
        if (!valid) {
          context.addIssue({ code: "custom", message: `Rad ${index + 1} i källorna har ingen giltig webbadress (börja med https://).` });
          return;
        }
        links.push({ label: label || url, url });
      });
    return links;
  });

export const agreementContentSchema = z
  .object({
    title: requiredText(200, "Titel"),
    periodStartYear: year("Första året"),
    periodEndYear: year("Sista året"),
    localArea: text(120, "Området"),
    situationSummary: text(20000, "Lägesbilden"),
    sourceLinks: sourceLines,
    documentationMethod: text(5000, "Dokumentationen"),
    followUpMethod: text(5000, "Uppföljningen"),
  })
  .refine((value) => value.periodEndYear >= value.periodStartYear, { path: ["periodEndYear"], message: "Sista året kan inte vara före det första." });
export type AgreementContentInput = z.infer<typeof agreementContentSchema>;

export const problemSchema = z.object({
  title: requiredText(200, "Problem"),
  description: text(5000, "Beskrivningen"),
  probableCauses: text(5000, "De troliga orsakerna"),
});
export type ProblemInput = z.infer<typeof problemSchema>;

export const goalSchema = z.object({
  title: requiredText(300, "Mål"),
  description: text(5000, "Beskrivningen"),
  problemId: optionalId("Välj ett problem ur listan.").transform((value) => value ?? null),
});
export type GoalInput = z.infer<typeof goalSchema>;

export const signatorySchema = z.object({
  organisationId: id("Välj vilken part personen företräder."),
  name: requiredText(120, "Namn"),
  title: text(120, "Titeln"),
});
export type SignatoryInput = z.infer<typeof signatorySchema>;

/** A decimal number as people type it in Sweden: "1 234,5" or "1234.5". */
export const swedishNumber = (label: string) =>
  z
    .string({ error: `Fyll i ${label.toLowerCase()}.` })
    .trim()
    .min(1, `Fyll i ${label.toLowerCase()}.`)
    .transform((value, context) => {
      const parsed = parseSwedishNumber(value);
      if (parsed === null) {
        context.addIssue({ code: "custom", message: `${label} ska vara ett tal, t.ex. 12 eller 3,5.` });
        return z.NEVER;
      }
      return parsed;
    });

export function parseSwedishNumber(value: string) {
  const normalised = value.replace(/[\s\u00a0]/g, "").replace(",", ".").replace(/^−/, "-");
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return null;
  const number = Number(normalised);
  return Number.isFinite(number) && Math.abs(number) < 1e12 ? number : null;
}

export const periodSchema = z
  .string({ error: `Fyll i perioden. ${PERIOD_HINT}` })
  .trim()
  .toUpperCase()
  .regex(PERIOD_PATTERN, `Perioden ska skrivas som ${PERIOD_HINT.charAt(0).toLowerCase()}${PERIOD_HINT.slice(1)}`);

export const indicatorSchema = z.object({
  goalId: id("Välj vilket mål indikatorn mäter."),
  name: requiredText(200, "Indikatorns namn"),
  unit: requiredText(60, "Enhet"),
  baselineValue: swedishNumber("Utgångsvärdet"),
  baselinePeriod: periodSchema,
  targetValue: swedishNumber("Målvärdet"),
  direction: z.enum(["hogre_ar_battre", "lagre_ar_battre"], { error: "Välj om högre eller lägre värden är bättre." }),
  source: text(300, "Källan"),
});
export type IndicatorInput = z.infer<typeof indicatorSchema>;

export const measurementSchema = z.object({
  period: periodSchema,
  value: swedishNumber("Värdet"),
  comment: text(1000, "Kommentaren"),
});
export type MeasurementInput = z.infer<typeof measurementSchema>;

export const criterionUpdateSchema = z.object({
  done: z
    .union([z.literal("ja"), z.literal("nej")], { error: "Ange om kriteriet är uppfyllt." })
    .transform((value) => value === "ja"),
  ownerUserId: optionalId("Välj en ansvarig ur listan.").transform((value) => value ?? null),
  dueDate: z
    .string()
    .optional()
    .transform((value) => (value ? value : null))
    .pipe(calendarDate("Skriv datumet som ÅÅÅÅ-MM-DD.").nullable()),
});
export type CriterionUpdateInput = z.infer<typeof criterionUpdateSchema>;

export const criterionSchema = z.object({
  step: z.coerce.number({ error: "Välj ett steg." }).int().min(1, "Välj ett steg.").max(5, "Välj ett steg."),
  text: requiredText(300, "Kriteriet"),
});

export const promiseSchema = z
  .object({
    title: requiredText(200, "Löftet"),
    description: text(3000, "Beskrivningen"),
    year: year("Året"),
    localArea: requiredText(120, "Området"),
    targetCount: z.coerce.number({ error: "Antalet ska vara ett heltal." }).int("Antalet ska vara ett heltal.").min(1, "Antalet ska vara minst 1.").max(100000, "Antalet är för stort."),
    targetUnit: requiredText(60, "Enhet"),
    targetOf: z
      .string()
      .optional()
      .transform((value, context) => {
        if (!value || !value.trim()) return null;
        const number = Number(value.trim());
        if (!Number.isInteger(number) || number < 1 || number > 100000) {
          context.addIssue({ code: "custom", message: "”Av” ska vara ett heltal från 1, t.ex. 52." });
          return z.NEVER;
        }
        return number;
      }),
  })
  .refine((value) => value.targetOf === null || value.targetOf >= value.targetCount, { path: ["targetOf"], message: "”Av” kan inte vara mindre än målet." });
export type PromiseInput = z.infer<typeof promiseSchema>;

export const newPromiseSchema = promiseSchema.and(
  z.object({
    ownerOrganisationId: id("Välj vilken organisation som äger löftet."),
    partyOrganisationIds: idList,
    agreementId: optionalId("Välj en överenskommelse ur listan.").transform((value) => value ?? null),
  }),
);
export type NewPromiseInput = z.infer<typeof newPromiseSchema>;

export const occurrenceSchema = z.object({
  occurredOn: z.string({ error: "Fyll i datumet." }).pipe(calendarDate("Skriv datumet som ÅÅÅÅ-MM-DD.")),
  quantity: z.coerce.number({ error: "Antalet ska vara ett heltal." }).int("Antalet ska vara ett heltal.").min(1, "Antalet ska vara minst 1.").max(1000, "Antalet är för stort.").default(1),
  note: text(1000, "Anteckningen"),
});
export type OccurrenceInput = z.infer<typeof occurrenceSchema>;

export const linkActionSchema = z.object({
  actionItemId: id("Välj en åtgärd ur listan."),
  problemId: optionalId("Välj ett problem ur listan.").transform((value) => value ?? null),
  goalId: optionalId("Välj ett mål ur listan.").transform((value) => value ?? null),
});
export type LinkActionInput = z.infer<typeof linkActionSchema>;
