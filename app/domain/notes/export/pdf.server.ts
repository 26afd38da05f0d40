import { createRequire } from "node:module";
import path from "node:path";
import type { Content, TDocumentDefinitions } from "pdfmake/interfaces";
import { blocksOf, childrenOf, headingLevel, inlineRuns, orderedStart, type InlineRun, type NotesExportHeader, type NotesNode } from "./content";

type PdfMake = typeof import("pdfmake");

const require = createRequire(import.meta.url);
let printer: PdfMake | undefined;

/** pdfmake with its bundled Roboto, allowed to read only those font files and to fetch nothing. */
function pdfmake(): PdfMake {
  if (printer) return printer;
  const instance = require("pdfmake") as PdfMake;
  const fontDir = path.join(path.dirname(require.resolve("pdfmake/package.json")), "fonts", "Roboto");
  instance.setFonts({
    Roboto: {
      normal: path.join(fontDir, "Roboto-Regular.ttf"),
      bold: path.join(fontDir, "Roboto-Medium.ttf"),
      italics: path.join(fontDir, "Roboto-Italic.ttf"),
      bolditalics: path.join(fontDir, "Roboto-MediumItalic.ttf"),
    },
  });
  instance.setUrlAccessPolicy(() => false);
  instance.setLocalAccessPolicy((file) => path.resolve(file).startsWith(fontDir + path.sep));
  printer = instance;
  return instance;
}

const HEADING_SIZES = [20, 16, 14, 12, 11, 10];

function inlineContent(runs: InlineRun[]): Content[] {
  return runs.map((run) => ({
    text: run.text,
    ...(run.bold ? { bold: true } : {}),
    ...(run.italic ? { italics: true } : {}),
    ...(run.strike ? { decoration: "lineThrough" as const } : {}),
    ...(run.code ? { background: "#eeeeee" } : {}),
    ...(run.link ? { link: run.link, color: "#0b5394", decoration: "underline" as const } : {}),
  }));
}

function paragraph(node: NotesNode, extra: Record<string, unknown> = {}): Content {
  const runs = inlineRuns(node);
  // An empty paragraph keeps its line, as it does in the editor.
  return { text: runs.length ? inlineContent(runs) : " ", margin: [0, 0, 0, 6], ...extra } as Content;
}

/** A drawn check box: Roboto has no ☐/☑ glyphs, so the box and its tick are vector lines. */
function checkBox(checked: boolean): Content {
  const box = { type: "rect" as const, x: 0, y: 2, w: 9, h: 9, lineWidth: 0.8 };
  const tick = { type: "polyline" as const, lineWidth: 1.2, points: [{ x: 1.8, y: 6.5 }, { x: 3.8, y: 9 }, { x: 7.6, y: 3.2 }] };
  return { canvas: checked ? [box, tick] : [box], width: 12 } as Content;
}

function itemStack(item: NotesNode) {
  return { stack: childrenOf(item).map(block) };
}

function tableContent(node: NotesNode): Content {
  const rows = childrenOf(node).map((row) => childrenOf(row));
  const width = Math.max(1, ...rows.map((row) => row.length));
  const body = rows.map((row) =>
    Array.from({ length: width }, (_, index) => {
      const cell = row[index];
      if (!cell) return { text: "" };
      return { stack: childrenOf(cell).map((child) => block(child)), ...(cell.type === "tableHeader" ? { bold: true, fillColor: "#f0f0f0" } : {}) };
    }),
  );
  if (body.length === 0) return { text: "" };
  const headerRows = rows[0]?.every((cell) => cell.type === "tableHeader") ? 1 : 0;
  return { table: { headerRows, widths: Array.from({ length: width }, () => "*"), body }, margin: [0, 0, 0, 8] } as Content;
}

function block(node: NotesNode): Content {
  switch (node.type) {
    case "heading": {
      const level = headingLevel(node);
      return paragraph(node, { fontSize: HEADING_SIZES[level - 1], bold: true, margin: [0, level <= 2 ? 10 : 6, 0, 4] });
    }
    case "paragraph":
      return paragraph(node);
    case "bulletList":
      return { ul: childrenOf(node).map(itemStack), margin: [0, 0, 0, 6] } as Content;
    case "orderedList":
      return { ol: childrenOf(node).map(itemStack), start: orderedStart(node), margin: [0, 0, 0, 6] } as Content;
    case "taskList":
      return {
        stack: childrenOf(node).map((item) => ({ columns: [checkBox(item.attrs?.checked === true), { ...itemStack(item), width: "*" } as Content], columnGap: 4 })),
        margin: [0, 0, 0, 6],
      } as Content;
    case "table":
      return tableContent(node);
    case "blockquote":
      return { stack: childrenOf(node).map(block), margin: [12, 0, 0, 6], italics: true } as Content;
    case "horizontalRule":
      return { canvas: [{ type: "line", x1: 0, y1: 4, x2: 515, y2: 4, lineWidth: 0.5 }], margin: [0, 4, 0, 8] };
    default:
      return paragraph(node);
  }
}

/** The notes as an A4 PDF: the meeting's facts first, then the document. */
export async function notesToPdf(header: NotesExportHeader, json: unknown): Promise<Buffer> {
  const definition: TDocumentDefinitions = {
    pageSize: "A4",
    pageMargins: [40, 48, 40, 48],
    info: { title: header.title, subject: "Minnesanteckningar", creator: "Samverkansportalen" },
    defaultStyle: { font: "Roboto", fontSize: 10.5, lineHeight: 1.2 },
    content: [
      { text: header.title, fontSize: 22, bold: true, margin: [0, 0, 0, 4] },
      { text: `${header.when} · Nätverk: ${header.networkName}`, color: "#444444", margin: [0, 0, 0, 2] },
      { text: header.status, color: "#444444", margin: [0, 0, 0, 12] },
      ...blocksOf(json).map(block),
    ],
    footer: (currentPage: number, pageCount: number) => ({ text: `Sida ${currentPage} av ${pageCount}`, alignment: "center", fontSize: 8, color: "#666666", margin: [0, 16, 0, 0] }),
  };
  const buffer = await pdfmake().createPdf(definition).getBuffer();
  return Buffer.from(buffer);
}
