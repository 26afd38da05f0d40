/**
 * The tertial report's cost, for `npm run bench`: an agreement with 500 åtgärder and 40
 * indicators with 12 measurements each. Prints one JSON line with the time of reading the data,
 * counting the figures and rendering the PDF, DOCX and CSV (median of BENCH_REPORT_RUNS runs),
 * their sizes, and the heap and resident memory the process grew by while doing it.
 *
 * Runs on in-memory PGlite, or on a fresh database on DATABASE_URL.
 *
 *   npx tsx tests/bench/followup-report.ts
 */
import os from "node:os";
import path from "node:path";

const SECRET = "bench-secret-that-is-long-enough-0123456789";
const ITEMS = 500;
const INDICATORS = 40;
const MEASUREMENTS = 12;
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 5);

process.env.NODE_ENV = "production";
process.env.LOG_LEVEL = "silent";
process.env.APP_SECRET = SECRET;

async function main() {
  const { eq } = await import("drizzle-orm");
  const { migrateDatabase, openDatabase } = await import("../../db/client");
  const schema = await import("../../db/schema");
  const { seedDemoData } = await import("../../db/seed");
  const { loadConfig } = await import("../../app/server/config.server");
  const { forgetSingleton, singleton } = await import("../../app/server/singleton.server");
  const { loadReportSource } = await import("../../app/domain/followup/data.server");
  const { buildReport } = await import("../../app/domain/followup/report");
  const { reportCsv, reportDocx, reportPdf } = await import("../../app/domain/followup/exports.server");
  const { freshDatabase } = await import("../support/portal");

  const config = loadConfig({ NODE_ENV: "production", APP_SECRET: SECRET, LOG_LEVEL: "silent", DATA_DIR: path.join(os.tmpdir(), `samverkan-bench-report-${process.pid}`) });
  forgetSingleton("config");
  singleton("config", () => config);
  const fresh = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  if (fresh) await fresh.database.close();
  const database = await openDatabase(fresh ? { url: fresh.url } : { dataDir: "memory://" });
  try {
    await migrateDatabase(database, async (db) => void (await seedDemoData(db)));
    const db = database.db;
    const [jarva] = await db.select().from(schema.organisations).where(eq(schema.organisations.name, "Järva stadsdelsnämnd"));
    const [agreement] = await db.insert(schema.agreements).values({ title: "Samverkansöverenskommelse (prestanda)", level: "lokal", periodStartYear: 2024, periodEndYear: 2027, ownerOrganisationId: jarva.id }).returning();
    const goals = await db
      .insert(schema.agreementGoals)
      .values(Array.from({ length: 8 }, (_, i) => ({ agreementId: agreement.id, title: `Mål ${i + 1}`, position: i })))
      .returning();
    const indicators = await db
      .insert(schema.agreementIndicators)
      .values(Array.from({ length: INDICATORS }, (_, i) => ({ agreementId: agreement.id, goalId: goals[i % goals.length].id, name: `Indikator ${i + 1}`, unit: "%", baselineValue: 50, baselinePeriod: "2022", targetValue: 70, direction: "hogre_ar_battre" as const, position: i })))
      .returning();
    const periods = Array.from({ length: MEASUREMENTS }, (_, i) => {
      const year = 2023 + Math.floor(i / 3);
      const tertial = (i % 3) + 1;
      return { period: `${year}-T${tertial}` };
    });
    await db.insert(schema.agreementMeasurements).values(indicators.flatMap((indicator, i) => periods.map((period, j) => ({ indicatorId: indicator.id, ...period, value: 50 + ((i * 7 + j * 3) % 30) }))));
    const [list] = await db.insert(schema.actionLists).values({ title: "Åtgärdsplan (prestanda)", ownerOrganisationId: jarva.id, agreementId: agreement.id }).returning();
    const statuses = ["ej_paborjad", "pagar", "klar", "stoppad"] as const;
    const judgements = ["gron", "gul", "rod", null] as const;
    const areas = ["forebyggande_arbete", "riktade_sociala_insatser", "stadens_offentliga_miljo", "stadsutveckling", null] as const;
    const perspectives = ["jamstalldhet", "barn", "funktionshinder", "hbtqi", "aldre"] as const;
    await db.insert(schema.actionItems).values(
      Array.from({ length: ITEMS }, (_, i) => ({
        listId: list.id,
        number: i + 1,
        title: `Åtgärd ${i + 1}: trygghetsskapande insats i området`,
        judgementReason: i % 3 === 0 ? "Försenad på grund av resursbrist under våren." : "",
        responsibleOrganisationId: jarva.id,
        status: statuses[i % 4],
        judgement: judgements[i % 4],
        focusArea: areas[i % 5],
        perspectives: perspectives.filter((_, p) => (i + p) % 3 === 0),
        agreementId: agreement.id,
        agreementGoalId: goals[i % goals.length].id,
      })),
    );
    const promises = await db
      .insert(schema.citizenPromises)
      .values([
        { agreementId: agreement.id, ownerOrganisationId: jarva.id, year: 2026, localArea: "Järva", title: "Helginsats", targetCount: 40, targetUnit: "veckor", targetOf: 52 },
        { agreementId: agreement.id, ownerOrganisationId: jarva.id, year: 2026, localArea: "Järva", title: "Trygghetsvandringar", targetCount: 3, targetUnit: "trygghetsvandringar" },
      ])
      .returning();
    await db.insert(schema.citizenPromiseOccurrences).values(Array.from({ length: 30 }, (_, i) => ({ promiseId: promises[i % 2].id, occurredOn: `2026-0${1 + (i % 8)}-1${i % 9}` })));
    const [period] = await db
      .insert(schema.followupPeriods)
      .values({ agreementId: agreement.id, kind: "t2", year: 2026, deadline: "2026-09-10", requestAt: new Date(), reminderAt: new Date() })
      .returning();

    const runs: Array<Record<string, number>> = [];
    let sizes = { pdf: 0, docx: 0, csv: 0 };
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let heapPeak = heapBefore;
    let rssPeak = rssBefore;
    const sample = () => {
      const usage = process.memoryUsage();
      heapPeak = Math.max(heapPeak, usage.heapUsed);
      rssPeak = Math.max(rssPeak, usage.rss);
    };
    const sampler = setInterval(sample, 5);
    for (let run = 0; run < RUNS; run++) {
      const time = async <T>(work: () => Promise<T> | T) => {
        const started = process.hrtime.bigint();
        const value = await work();
        sample();
        return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      };
      const source = await time(() => loadReportSource(db, agreement.id, period.id));
      const report = await time(() => buildReport(source.value));
      const pdf = await time(() => reportPdf(report.value));
      const docx = await time(() => reportDocx(report.value));
      const csv = await time(() => reportCsv(report.value));
      sizes = { pdf: pdf.value.byteLength, docx: docx.value.byteLength, csv: Buffer.byteLength(csv.value) };
      if (report.value.actions.total !== ITEMS || report.value.goals.flatMap((goal) => goal.indicators).length !== INDICATORS) throw new Error("the report does not hold every åtgärd and indicator");
      runs.push({ loadMs: source.ms, buildMs: report.ms, pdfMs: pdf.ms, docxMs: docx.ms, csvMs: csv.ms, totalMs: source.ms + report.ms + pdf.ms + docx.ms + csv.ms });
    }
    clearInterval(sampler);
    const median = (key: string) => {
      const values = runs.map((run) => run[key]).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)];
    };
    const result = {
      database: database.kind,
      items: ITEMS,
      indicators: INDICATORS,
      measurements: MEASUREMENTS,
      runs: RUNS,
      medianMs: Object.fromEntries(["loadMs", "buildMs", "pdfMs", "docxMs", "csvMs", "totalMs"].map((key) => [key, median(key)])),
      bytes: sizes,
      heapGrowthMb: (heapPeak - heapBefore) / 1024 / 1024,
      rssGrowthMb: (rssPeak - rssBefore) / 1024 / 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close().catch(() => undefined);
    await fresh?.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`report bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
