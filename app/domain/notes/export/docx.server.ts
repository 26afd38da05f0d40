import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from "docx";
import { blocksOf, childrenOf, headingLevel, inlineRuns, type InlineRun, type NotesExportHeader, type NotesNode } from "./content";

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
const ORDERED = "notes-ordered";
const MAX_LEVEL = 8;

function runs(inline: InlineRun[]): ParagraphChild[] {
  return inline.map((run) => {
    if (run.text === "\n") return new TextRun({ break: 1 });
    const text = new TextRun({
      text: run.text,
      bold: run.bold,
      italics: run.italic,
      strike: run.strike,
      ...(run.code ? { font: "Consolas" } : {}),
      ...(run.link ? { style: "Hyperlink" } : {}),
    });
    return run.link ? new ExternalHyperlink({ link: run.link, children: [text] }) : text;
  });
}

type ListContext = { level: number; ordered?: { instance: number }; bullet?: boolean; prefix?: string };

/** Builds the body; ordered lists each get their own numbering instance so that each starts at its own number. */
function createBuilder() {
  let instances = 0;

  function paragraphOf(node: NotesNode, list: ListContext | null, options: { heading?: (typeof HEADINGS)[number] } = {}) {
    const inline = runs(inlineRuns(node));
    const children = list?.prefix ? [new TextRun({ text: list.prefix }), ...inline] : inline;
    return new Paragraph({
      children,
      ...(options.heading ? { heading: options.heading } : {}),
      ...(list?.ordered ? { numbering: { reference: ORDERED, level: Math.min(list.level, MAX_LEVEL), instance: list.ordered.instance } } : {}),
      ...(list?.bullet ? { bullet: { level: Math.min(list.level, MAX_LEVEL) } } : {}),
      ...(list && !list.ordered && !list.bullet ? { indent: { left: 360 * (list.level + 1) } } : {}),
    });
  }

  function listItems(node: NotesNode, level: number, kind: "bullet" | "ordered" | "task"): Array<Paragraph | Table> {
    const out: Array<Paragraph | Table> = [];
    let instance = 0;
    if (kind === "ordered") instance = ++instances;
    for (const item of childrenOf(node)) {
      let first = true;
      for (const child of childrenOf(item)) {
        if (child.type === "bulletList" || child.type === "orderedList" || child.type === "taskList") {
          out.push(...blocks(child, level + 1));
          continue;
        }
        if (first) {
          const context: ListContext =
            kind === "ordered" ? { level, ordered: { instance } } : kind === "bullet" ? { level, bullet: true } : { level, prefix: item.attrs?.checked === true ? "☑ " : "☐ " };
          out.push(paragraphOf(child, context));
          first = false;
        } else out.push(paragraphOf(child, { level }));
      }
      if (first) out.push(paragraphOf({ type: "paragraph" }, kind === "task" ? { level, prefix: item.attrs?.checked === true ? "☑ " : "☐ " } : kind === "ordered" ? { level, ordered: { instance } } : { level, bullet: true }));
    }
    return out;
  }

  function table(node: NotesNode): Table | null {
    const rows = childrenOf(node).map((row) => childrenOf(row));
    const width = Math.max(0, ...rows.map((row) => row.length));
    if (rows.length === 0 || width === 0) return null;
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map(
        (row, rowIndex) =>
          new TableRow({
            tableHeader: rowIndex === 0 && row.every((cell) => cell.type === "tableHeader"),
            children: Array.from({ length: width }, (_, index) => {
              const cell = row[index];
              const content = cell ? childrenOf(cell).flatMap((child) => blocks(child, 0)) : [];
              return new TableCell({ children: content.length ? content : [new Paragraph("")] });
            }),
          }),
      ),
    });
  }

  function blocks(node: NotesNode, level = 0): Array<Paragraph | Table> {
    switch (node.type) {
      case "heading":
        return [paragraphOf(node, null, { heading: HEADINGS[headingLevel(node) - 1] })];
      case "bulletList":
        return listItems(node, level, "bullet");
      case "orderedList":
        return listItems(node, level, "ordered");
      case "taskList":
        return listItems(node, level, "task");
      case "table": {
        const built = table(node);
        return built ? [built, new Paragraph("")] : [];
      }
      case "blockquote":
        return childrenOf(node).flatMap((child) => blocks(child, level));
      default:
        return [paragraphOf(node, null)];
    }
  }

  return { blocks };
}

/** The notes as a Word document (.docx): the meeting's facts first, then the document. */
export async function notesToDocx(header: NotesExportHeader, json: unknown): Promise<Buffer> {
  const builder = createBuilder();
  const body = blocksOf(json).flatMap((node) => builder.blocks(node));
  const document = new Document({
    creator: "Samverkansportalen",
    title: header.title,
    description: "Minnesanteckningar",
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: MAX_LEVEL + 1 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: header.title, heading: HeadingLevel.TITLE }),
          new Paragraph({ children: [new TextRun(`${header.when} · Nätverk: ${header.networkName}`)] }),
          new Paragraph({ children: [new TextRun({ text: header.status, italics: true })] }),
          ...body,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
