/**
 * The ProseMirror JSON of a notes document, as the exports read it. Stored JSON is not trusted:
 * anything that is not a node is skipped, unknown node types fall back to their text.
 */
export type NotesNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NotesNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
};

/** A piece of inline text with the marks the exports keep. */
export type InlineRun = { text: string; bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean; link?: string };

export function isNode(value: unknown): value is NotesNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function childrenOf(node: NotesNode): NotesNode[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

/** The document's top-level blocks; anything that is not a `doc` node is an empty document. */
export function blocksOf(json: unknown): NotesNode[] {
  return isNode(json) && json.type === "doc" ? childrenOf(json) : [];
}

/** Only http(s) and mailto links survive into an export. */
export function safeHref(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return /^(https?:|mailto:)/i.test(value.trim()) ? value.trim() : undefined;
}

/** A mention (of a person or an organisation) as it reads in running text. */
export function mentionText(node: NotesNode) {
  const label = node.attrs?.label ?? node.attrs?.id ?? "";
  const char = typeof node.attrs?.mentionSuggestionChar === "string" ? node.attrs.mentionSuggestionChar : "@";
  return `${char}${String(label)}`;
}

/** The inline content of a block as runs of text; hard breaks become "\n". */
export function inlineRuns(node: NotesNode): InlineRun[] {
  const runs: InlineRun[] = [];
  for (const child of childrenOf(node)) {
    if (child.type === "text" && typeof child.text === "string") {
      const run: InlineRun = { text: child.text };
      for (const mark of Array.isArray(child.marks) ? child.marks : []) {
        if (mark?.type === "bold") run.bold = true;
        else if (mark?.type === "italic") run.italic = true;
        else if (mark?.type === "strike") run.strike = true;
        else if (mark?.type === "code") run.code = true;
        else if (mark?.type === "link") run.link = safeHref(mark.attrs?.href);
      }
      runs.push(run);
    } else if (child.type === "mention") runs.push({ text: mentionText(child) });
    else if (child.type === "hardBreak") runs.push({ text: "\n" });
    else runs.push(...inlineRuns(child));
  }
  return runs;
}

export function plainTextOf(node: NotesNode): string {
  return inlineRuns(node)
    .map((run) => run.text)
    .join("");
}

export function headingLevel(node: NotesNode) {
  const level = Number(node.attrs?.level);
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1;
}

export function orderedStart(node: NotesNode) {
  const start = Number(node.attrs?.start);
  return Number.isInteger(start) && start >= 0 && start < 100_000 ? start : 1;
}

/** The document facts printed above the notes in every export. */
export type NotesExportHeader = {
  /** The meeting's title. */
  title: string;
  /** "24 nov. 2026 14:00–15:30", Stockholm time. */
  when: string;
  networkName: string;
  /** "Justerat 25 nov. 2026 10:12 av Amina Hassan, Erik Sandberg", or the version's name. */
  status: string;
};
