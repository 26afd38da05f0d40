import { createRequire } from "node:module";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces";
import { redirect } from "@remix-run/node";
import { neutraliseFormula } from "../meetings/meetings.server";
import { directionLabels } from "./labels";
import { formatNumber, type Report } from "./report";

/**
 * The report's exports. Each renders the figures `buildReport` returned and nothing else: the
 * same tables as the page, in the same order, with charts written out as tables.
 */

type Block = { heading: string; text?: string[]; table?: { header: string[]; rows: string[][] } };

/** The report as headings, paragraphs and tables; PDF and DOCX both lay out this list. */
export function reportBlocks(report: Report): Block[] {
  const judgementHeader = ["Antal", "Grön", "Gul", "Röd", "Ej bedömd"];
  const judgementCells = (row: { total: number; gron: number; gul: number; rod: number; ejBedomd: number }) => [row.total, row.gron, row.gul, row.rod, row.ejBedomd].map(String);
  const blocks: Block[] = [
    {
      heading: "Åtgärder per status",
      text: [`${report.actions.total} åtgärder, varav ${report.actions.updatedForPeriod} uppföljda av ansvariga under perioden.`],
      table: { header: ["Status", "Antal"], rows: report.actions.byStatus.map((row) => [row.label, String(row.count)]) },
    },
    { heading: "Åtgärder per bedömning", table: { header: ["Bedömning", "Antal"], rows: report.actions.byJudgement.map((row) => [row.label, String(row.count)]) } },
    { heading: "Grön, gul och röd per fokusområde", table: { header: ["Fokusområde", ...judgementHeader], rows: report.actions.byFocusArea.map((row) => [row.label, ...judgementCells(row)]) } },
    { heading: "Grön, gul och röd per perspektiv", table: { header: ["Perspektiv", ...judgementHeader], rows: report.actions.byPerspective.map((row) => [row.label, ...judgementCells(row)]) } },
  ];
  for (const goal of report.goals) {
    blocks.push({
      heading: `Mål: ${goal.title}`,
      text: [
        ...(goal.problemTitle ? [`Problem: ${goal.problemTitle}`] : []),
        `Åtgärder kopplade till målet: ${goal.actionCount}`,
        goal.judgement ? `Bedömning: ${goal.judgement.label}. Motivering: ${goal.judgement.reasoning}` : "Bedömning: ännu inte gjord.",
        ...goal.indicators.map((indicator) => indicator.summary),
      ],
    });
    for (const indicator of goal.indicators) {
      blocks.push({
        heading: `Indikator: ${indicator.name}${indicator.unit ? ` (${indicator.unit})` : ""}`,
        text: [`Utgångsvärde ${formatNumber(indicator.baseline)}, mål ${formatNumber(indicator.target)}, ${directionLabels[indicator.direction].toLowerCase()}.`],
        table: { header: ["Period", "Värde"], rows: indicator.measurements.map((row) => [row.period, formatNumber(row.value)]) },
      });
    }
  }
  blocks.push({
    heading: "Medborgarlöften",
    text: report.promises.length ? undefined : ["Inga medborgarlöften för året."],
    table: report.promises.length
      ? {
          header: ["Löfte", "Område", "Mål", "Utfört", "Andel"],
          rows: report.promises.map((row) => [row.title, row.area, `${row.targetCount}${row.targetDescription ? ` (${row.targetDescription})` : ""}`, String(row.done), `${row.percent} %`]),
        }
      : undefined,
  });
  blocks.push({
    heading: "Åtgärder",
    table: {
      header: ["Nr", "Åtgärd", "Ansvarig", "Fokusområde", "Status", "Bedömning", "Motivering"],
      rows: report.actions.items.map((item) => [String(item.number), item.title, item.responsible, item.focusAreaLabel, item.statusLabel, item.judgementLabel, item.judgementReason]),
    },
  });
  return blocks;
}

function title(report: Report) {
  return `Uppföljning ${report.period.title}: ${report.agreement.title}`;
}

export function reportFilename(report: Report, extension: string) {
  const base = `uppfoljning-${report.period.title}-${report.agreement.title}`
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${base}.${extension}`;
}

// ---------------------------------------------------------------------------------------------
// PDF (pdfmake with its bundled Roboto, which has the Swedish letters).

const require = createRequire(import.meta.url);
let pdfmakeReady: typeof import("pdfmake") | undefined;

function pdfmake() {
  if (pdfmakeReady) return pdfmakeReady;
  const instance = require("pdfmake") as typeof import("pdfmake") & { setUrlAccessPolicy(fn: (url: string) => boolean): void; setLocalAccessPolicy(fn: (file: string) => boolean): void };
  const fontDir = path.join(path.dirname(require.resolve("pdfmake/package.json")), "fonts/Roboto");
  instance.setFonts({
    Roboto: {
      normal: path.join(fontDir, "Roboto-Regular.ttf"),
      bold: path.join(fontDir, "Roboto-Medium.ttf"),
      italics: path.join(fontDir, "Roboto-Italic.ttf"),
      bolditalics: path.join(fontDir, "Roboto-MediumItalic.ttf"),
    },
  });
  // The report has no images or links to fetch; only the fonts are read from disk.
  instance.setUrlAccessPolicy(() => false);
  instance.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir));
  pdfmakeReady = instance;
  return instance;
}

export async function reportPdf(report: Report): Promise<Uint8Array<ArrayBuffer>> {
  const content: Content[] = [
    { text: title(report), style: "title" },
    { text: `${report.period.kindLabel}. Perioden ${report.period.startsOn} – ${report.period.endsOn}, sista dag för uppföljning ${report.period.deadline}.`, margin: [0, 0, 0, 8] },
  ];
  for (const block of reportBlocks(report)) {
    content.push({ text: block.heading, style: "heading" });
    for (const line of block.text ?? []) content.push({ text: line, margin: [0, 0, 0, 4] });
    if (block.table && block.table.rows.length) {
      content.push({
        table: {
          headerRows: 1,
          widths: block.table.header.map((_, index) => (index === 0 || block.table!.header.length <= 2 ? "*" : "auto")),
          body: [block.table.header.map((text) => ({ text, bold: true })), ...block.table.rows],
        },
        layout: "lightHorizontalLines",
        margin: [0, 0, 0, 8],
      });
    }
  }
  const definition: TDocumentDefinitions = {
    info: { title: title(report) },
    pageSize: "A4",
    pageMargins: [40, 48, 40, 48],
    defaultStyle: { font: "Roboto", fontSize: 9 },
    styles: { title: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] }, heading: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] } },
    content,
  };
  const document = pdfmake().createPdf(definition) as unknown as { getBuffer(): Promise<Buffer> };
  return new Uint8Array(await document.getBuffer());
}

// ---------------------------------------------------------------------------------------------
// DOCX.

function cell(text: string, bold = false) {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

export async function reportDocx(report: Report): Promise<Uint8Array<ArrayBuffer>> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title(report))] }),
    new Paragraph({ children: [new TextRun(`${report.period.kindLabel}. Perioden ${report.period.startsOn} – ${report.period.endsOn}, sista dag för uppföljning ${report.period.deadline}.`)] }),
  ];
  for (const block of reportBlocks(report)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(block.heading)] }));
    for (const line of block.text ?? []) children.push(new Paragraph({ children: [new TextRun(line)] }));
    if (block.table && block.table.rows.length) {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: block.table.header.map((text) => cell(text, true)) }),
            ...block.table.rows.map((row) => new TableRow({ children: row.map((text) => cell(text)) })),
          ],
        }),
      );
      children.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [] }));
    }
  }
  const document = new Document({ creator: "Samverkansportalen", title: title(report), sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(document));
}

// ---------------------------------------------------------------------------------------------
// CSV of the underlying data: one row per figure, so a spreadsheet can rebuild every table.

export function reportCsv(report: Report) {
  const rows: string[][] = [["Avsnitt", "Rad", "Mått", "Värde", "Kommentar"]];
  for (const row of report.actions.byStatus) rows.push(["Åtgärder per status", row.label, "Antal", String(row.count), ""]);
  for (const row of report.actions.byJudgement) rows.push(["Åtgärder per bedömning", row.label, "Antal", String(row.count), ""]);
  for (const section of [
    { name: "Fokusområde", rows: report.actions.byFocusArea },
    { name: "Perspektiv", rows: report.actions.byPerspective },
  ]) {
    for (const row of section.rows) {
      for (const [measure, value] of [["Antal", row.total], ["Grön", row.gron], ["Gul", row.gul], ["Röd", row.rod], ["Ej bedömd", row.ejBedomd]] as const) {
        rows.push([section.name, row.label, measure, String(value), ""]);
      }
    }
  }
  for (const goal of report.goals) {
    rows.push(["Mål", goal.title, "Bedömning", goal.judgement?.label ?? "", goal.judgement?.reasoning ?? ""]);
    rows.push(["Mål", goal.title, "Åtgärder", String(goal.actionCount), ""]);
    for (const indicator of goal.indicators) {
      rows.push(["Indikator", indicator.name, "Utgångsvärde", formatNumber(indicator.baseline), indicator.unit]);
      rows.push(["Indikator", indicator.name, "Mål", formatNumber(indicator.target), directionLabels[indicator.direction]]);
      for (const measurement of indicator.measurements) rows.push(["Indikator", indicator.name, measurement.period, formatNumber(measurement.value), indicator.unit]);
    }
  }
  for (const promise of report.promises) {
    rows.push(["Medborgarlöfte", promise.title, "Mål", String(promise.targetCount), promise.targetDescription]);
    rows.push(["Medborgarlöfte", promise.title, "Utfört", String(promise.done), `${promise.percent} %`]);
  }
  for (const item of report.actions.items) {
    rows.push(["Åtgärd", `${item.number} ${item.title}`, "Status", item.statusLabel, item.responsible]);
    rows.push(["Åtgärd", `${item.number} ${item.title}`, "Bedömning", item.judgementLabel, item.judgementReason]);
  }
  // Semicolons and a BOM for Swedish Excel; nothing a person typed is run as a formula.
  return stringify(rows.map((row) => row.map(neutraliseFormula)), { delimiter: ";", bom: true, record_delimiter: "\r\n" });
}

const REPORT_FILES = {
  pdf: { type: "application/pdf", render: reportPdf },
  docx: { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", render: reportDocx },
  csv: { type: "text/csv; charset=utf-8", render: async (report: Report) => reportCsv(report) },
};

/**
 * Answers a request for a report file. A resource route does not render the error page, so a
 * browser refused the file (no access, no such period) is sent to the report page, which shows the
 * portal's error page with the same status; other clients get the refusal as it is.
 */
export async function reportDownload(request: Request, reportPage: string, load: () => Promise<Report>, format: keyof typeof REPORT_FILES) {
  let report: Report;
  try {
    report = await load();
  } catch (error) {
    const refused = error instanceof Response && (error.status === 403 || error.status === 404);
    if (refused && (request.headers.get("accept") ?? "").includes("text/html")) throw redirect(reportPage);
    throw error;
  }
  const file = REPORT_FILES[format];
  return new Response(await file.render(report), {
    headers: { "content-type": file.type, "content-disposition": `attachment; filename="${reportFilename(report, format)}"`, "cache-control": "private, no-store" },
  });
}
