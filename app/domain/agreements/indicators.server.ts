import { parse } from "csv-parse/sync";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../../db/client";
import { agreementGoals, agreementIndicators, agreementMeasurements, agreements } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { badRequest, notFound } from "../http-errors";
import { authorize, can, type Actor } from "../policy";
import { AGREEMENT_NOT_FOUND, agreementResource, centralOrganisationIds, requireVisibleAgreement } from "./agreements.server";
import { parseSwedishNumber, type IndicatorInput, type MeasurementInput } from "./agreements.schema";
import { formatNumber, indicatorDirectionLabels, PERIOD_PATTERN, periodSortKey } from "./labels";

export type IndicatorRow = typeof agreementIndicators.$inferSelect;
export type MeasurementRow = typeof agreementMeasurements.$inferSelect;

const INDICATOR_NOT_FOUND = "Indikatorn finns inte, eller så har du inte tillgång till den.";

/** Indicators of an agreement with their measurements in time order. */
export async function indicatorsWithMeasurements(db: Queryable, agreementId: string) {
  const indicators = await db
    .select()
    .from(agreementIndicators)
    .where(eq(agreementIndicators.agreementId, agreementId))
    .orderBy(asc(agreementIndicators.position), asc(agreementIndicators.createdAt));
  const measurements = indicators.length
    ? await db.select().from(agreementMeasurements).where(inArray(agreementMeasurements.indicatorId, indicators.map((indicator) => indicator.id)))
    : [];
  return indicators.map((indicator) => ({
    ...indicator,
    measurements: measurements
      .filter((measurement) => measurement.indicatorId === indicator.id)
      .sort((a, b) => periodSortKey(a.period).localeCompare(periodSortKey(b.period))),
  }));
}

export type IndicatorWithMeasurements = Awaited<ReturnType<typeof indicatorsWithMeasurements>>[number];

/** Where the indicator stands: the latest value against baseline and target, in words. */
export function indicatorStatus(indicator: IndicatorWithMeasurements) {
  const latest = indicator.measurements.at(-1) ?? null;
  const better = indicator.direction === "hogre_ar_battre" ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
  const reached = latest ? better(latest.value, indicator.targetValue) : false;
  const unit = indicator.unit;
  const parts = [
    `Utgångsvärde ${formatNumber(indicator.baselineValue)} ${unit} (${indicator.baselinePeriod}).`,
    `Mål ${formatNumber(indicator.targetValue)} ${unit}; ${indicatorDirectionLabels[indicator.direction].toLowerCase()}.`,
  ];
  if (!latest) parts.push("Inga mätvärden ännu.");
  else {
    parts.push(`Senaste värde ${formatNumber(latest.value)} ${unit} (${latest.period}).`);
    parts.push(reached ? "Målet är nått." : "Målet är inte nått ännu.");
    if (indicator.measurements.length > 1) {
      const first = indicator.measurements[0];
      const improving = better(latest.value, first.value) && latest.value !== first.value;
      parts.push(
        latest.value === first.value
          ? `Oförändrat sedan ${first.period}.`
          : improving
            ? `Utvecklingen går åt rätt håll sedan ${first.period}.`
            : `Utvecklingen går åt fel håll sedan ${first.period}.`,
      );
    }
  }
  return { latest, reached, summary: parts.join(" ") };
}

async function lockAgreementForProgress(tx: Tx, actor: Actor, agreementId: string) {
  const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId));
  if (!agreement) throw notFound(AGREEMENT_NOT_FOUND);
  const resource = agreementResource(agreement, await centralOrganisationIds(tx));
  if (!can(actor, "agreement.view", resource)) throw notFound(AGREEMENT_NOT_FOUND);
  return { agreement, resource };
}

/** Indicators set how goals are measured: they are part of the plan, kept by those who edit it. */
export async function addIndicator(db: Db, actor: Actor, agreementId: string, input: IndicatorInput) {
  return db.transaction(async (tx) => {
    const { agreement, resource } = await lockAgreementForProgress(tx, actor, agreementId);
    authorize(actor, "agreement.edit", resource);
    const [goal] = await tx.select().from(agreementGoals).where(and(eq(agreementGoals.id, input.goalId), eq(agreementGoals.agreementId, agreementId)));
    if (!goal) throw badRequest("Målet finns inte i den här överenskommelsen.", { goalId: "Välj ett mål ur listan." });
    const existing = await tx.select({ id: agreementIndicators.id }).from(agreementIndicators).where(eq(agreementIndicators.goalId, goal.id));
    const [indicator] = await tx.insert(agreementIndicators).values({ ...input, agreementId, position: existing.length }).returning();
    await recordAudit(tx, {
      actor,
      action: "agreement.addIndicator",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Indikatorn ”${indicator.name}” lades till för målet ”${goal.title}”.`,
      after: { ...input },
    });
    return indicator;
  });
}

async function indicatorForWrite(tx: Tx, actor: Actor, agreementId: string, indicatorId: string) {
  const loaded = await lockAgreementForProgress(tx, actor, agreementId);
  const [indicator] = await tx
    .select()
    .from(agreementIndicators)
    .where(and(eq(agreementIndicators.id, indicatorId), eq(agreementIndicators.agreementId, agreementId)))
    .for("update");
  if (!indicator) throw notFound(INDICATOR_NOT_FOUND);
  return { ...loaded, indicator };
}

export async function removeIndicator(db: Db, actor: Actor, agreementId: string, indicatorId: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource, indicator } = await indicatorForWrite(tx, actor, agreementId, indicatorId);
    authorize(actor, "agreement.edit", resource);
    const measurements = await tx.select().from(agreementMeasurements).where(eq(agreementMeasurements.indicatorId, indicatorId));
    await tx.delete(agreementIndicators).where(eq(agreementIndicators.id, indicatorId));
    await recordAudit(tx, {
      actor,
      action: "agreement.removeIndicator",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `Indikatorn ”${indicator.name}” togs bort med ${measurements.length} mätvärden.`,
      // The removed values stay readable in the audit log.
      before: { name: indicator.name, unit: indicator.unit, measurements: measurements.map((row) => ({ period: row.period, value: row.value })) },
    });
  });
}

/** Enters (or corrects) the value of one period. */
export async function recordMeasurement(db: Db, actor: Actor, agreementId: string, indicatorId: string, input: MeasurementInput) {
  return db.transaction(async (tx) => {
    const { agreement, resource, indicator } = await indicatorForWrite(tx, actor, agreementId, indicatorId);
    authorize(actor, "agreement.recordProgress", resource);
    const [previous] = await tx
      .select()
      .from(agreementMeasurements)
      .where(and(eq(agreementMeasurements.indicatorId, indicatorId), eq(agreementMeasurements.period, input.period)));
    await tx
      .insert(agreementMeasurements)
      .values({ indicatorId, ...input, recordedBy: actor.userId })
      .onConflictDoUpdate({
        target: [agreementMeasurements.indicatorId, agreementMeasurements.period],
        set: { value: input.value, comment: input.comment, recordedBy: actor.userId, recordedAt: new Date() },
      });
    await recordAudit(tx, {
      actor,
      action: "agreement.recordMeasurement",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `${indicator.name}: ${formatNumber(input.value)} ${indicator.unit} för ${input.period}${previous ? ` (var ${formatNumber(previous.value)})` : ""}.`,
      before: previous ? { period: previous.period, value: previous.value } : undefined,
      after: { period: input.period, value: input.value },
    });
  });
}

export async function removeMeasurement(db: Db, actor: Actor, agreementId: string, indicatorId: string, period: string) {
  return db.transaction(async (tx) => {
    const { agreement, resource, indicator } = await indicatorForWrite(tx, actor, agreementId, indicatorId);
    authorize(actor, "agreement.recordProgress", resource);
    const [removed] = await tx
      .delete(agreementMeasurements)
      .where(and(eq(agreementMeasurements.indicatorId, indicatorId), eq(agreementMeasurements.period, period)))
      .returning();
    if (!removed) throw notFound("Mätvärdet finns inte.");
    await recordAudit(tx, {
      actor,
      action: "agreement.removeMeasurement",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `${indicator.name}: värdet för ${period} togs bort.`,
      before: { period, value: removed.value },
    });
  });
}

export const MAX_CSV_ROWS = 1000;

export type CsvRowError = { row: number; message: string };

/**
 * Reads a CSV of measurements: a header row with "period" and "värde" (and optionally
 * "kommentar"), separated by semicolons or commas. Returns every row's error, or the values.
 */
export function parseMeasurementsCsv(text: string): { ok: true; rows: MeasurementInput[] } | { ok: false; errors: CsvRowError[] } {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) return { ok: false, errors: [{ row: 0, message: "Filen är tom." }] };
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(";") ? ";" : firstLine.includes("\t") ? "\t" : ",";
  let records: string[][];
  try {
    records = parse(trimmed, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { ok: false, errors: [{ row: line ?? 0, message: "Filen kunde inte läsas som CSV. Kontrollera citattecken och avgränsare." }] };
  }
  const header = records[0].map((cell) => cell.toLowerCase().replace(/ä/g, "a"));
  const periodColumn = header.indexOf("period");
  const valueColumn = header.findIndex((cell) => cell === "varde" || cell === "value");
  const commentColumn = header.indexOf("kommentar");
  if (periodColumn < 0 || valueColumn < 0) {
    return { ok: false, errors: [{ row: 1, message: "Första raden ska vara rubrikerna period och värde (och gärna kommentar)." }] };
  }
  const body = records.slice(1);
  if (body.length === 0) return { ok: false, errors: [{ row: 2, message: "Filen har inga mätvärden under rubrikraden." }] };
  if (body.length > MAX_CSV_ROWS) return { ok: false, errors: [{ row: MAX_CSV_ROWS + 2, message: `Filen får ha högst ${MAX_CSV_ROWS} rader.` }] };
  const errors: CsvRowError[] = [];
  const rows: MeasurementInput[] = [];
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const rowNumber = index + 2;
    const period = (record[periodColumn] ?? "").trim().toUpperCase();
    const rawValue = (record[valueColumn] ?? "").trim();
    const comment = commentColumn >= 0 ? (record[commentColumn] ?? "").trim() : "";
    if (!PERIOD_PATTERN.test(period)) {
      errors.push({ row: rowNumber, message: `Perioden ”${period}” känns inte igen. Skriv t.ex. 2025, 2025-T1, 2025-Q3 eller 2025-03.` });
      return;
    }
    const value = parseSwedishNumber(rawValue);
    if (value === null) {
      errors.push({ row: rowNumber, message: rawValue ? `Värdet ”${rawValue}” är inget tal.` : "Värdet saknas." });
      return;
    }
    if (comment.length > 1000) {
      errors.push({ row: rowNumber, message: "Kommentaren får vara högst 1000 tecken." });
      return;
    }
    const earlier = seen.get(period);
    if (earlier) {
      errors.push({ row: rowNumber, message: `Perioden ${period} finns redan på rad ${earlier}.` });
      return;
    }
    seen.set(period, rowNumber);
    rows.push({ period, value, comment });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

/** Imports a CSV for one indicator: all rows or, on any error, none. */
export async function importMeasurementsCsv(db: Db, actor: Actor, agreementId: string, indicatorId: string, text: string) {
  // Access is checked before the file is read, so a refusal tells nothing about the file.
  const { resource } = await requireVisibleAgreement(db, actor, agreementId);
  authorize(actor, "agreement.recordProgress", resource);
  const parsed = parseMeasurementsCsv(text);
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors, created: 0, updated: 0 };
  return db.transaction(async (tx) => {
    const { agreement, indicator } = await indicatorForWrite(tx, actor, agreementId, indicatorId);
    const existing = await tx.select().from(agreementMeasurements).where(eq(agreementMeasurements.indicatorId, indicatorId));
    const existingPeriods = new Set(existing.map((row) => row.period));
    for (const row of parsed.rows) {
      await tx
        .insert(agreementMeasurements)
        .values({ indicatorId, ...row, recordedBy: actor.userId })
        .onConflictDoUpdate({
          target: [agreementMeasurements.indicatorId, agreementMeasurements.period],
          set: { value: row.value, comment: row.comment, recordedBy: actor.userId, recordedAt: new Date() },
        });
    }
    const updated = parsed.rows.filter((row) => existingPeriods.has(row.period)).length;
    const created = parsed.rows.length - updated;
    await recordAudit(tx, {
      actor,
      action: "agreement.importMeasurements",
      entityType: "agreement",
      entityId: agreementId,
      organisationId: agreement.ownerOrganisationId,
      summary: `${indicator.name}: ${created} nya och ${updated} ändrade mätvärden importerades från CSV.`,
      before: { measurements: existing.filter((row) => parsed.rows.some((r) => r.period === row.period)).map((row) => ({ period: row.period, value: row.value })) },
      after: { measurements: parsed.rows.map((row) => ({ period: row.period, value: row.value })) },
    });
    return { ok: true as const, errors: [] as CsvRowError[], created, updated };
  });
}
