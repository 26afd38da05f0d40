import { z } from "zod";

/**
 * A kunskapsdag's description as ProseMirror JSON (what the tiptap editor produces), limited to
 * an allow-list: paragraphs, headings h2–h3, bold, italic, bulleted and numbered lists, line
 * breaks and http(s)/mailto links. Shared by the server (validation, plain text for mails and
 * .ics) and the browser (the editor's starting content, the page's own renderer).
 */

export type RichMark = { type: "bold" } | { type: "italic" } | { type: "link"; attrs: { href: string } };
export type RichInline = { type: "text"; text: string; marks?: RichMark[] } | { type: "hardBreak" };
export type RichBlock =
  | { type: "paragraph"; content?: RichInline[] }
  | { type: "heading"; attrs: { level: 2 | 3 }; content?: RichInline[] }
  | { type: "bulletList"; content: RichListItem[] }
  | { type: "orderedList"; attrs?: { start?: number }; content: RichListItem[] };
export type RichListItem = { type: "listItem"; content: RichBlock[] };
export type RichDoc = { type: "doc"; content: RichBlock[] };

/** The stored JSON may be at most this long (characters). */
export const RICH_DESCRIPTION_MAX_JSON = 60_000;
/** The description's text (without formatting) may be at most this long, as the plain field was. */
export const RICH_DESCRIPTION_MAX_TEXT = 10_000;

const ALLOWED = "Tillåtet är stycken, rubriker, fetstil, kursiv, punktlistor, numrerade listor och länkar.";
const LINK_MESSAGE = "Länkar i beskrivningen måste börja med https://, http:// eller mailto:.";

export const SAFE_HREF = /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i;

const unknownPart = (kind: string) => ({ error: (issue: { input?: unknown }) => `Beskrivningen innehåller ${kind} som inte är tillåten${describeType(issue.input)}. ${ALLOWED}` });

function describeType(input: unknown) {
  const type = input && typeof input === "object" && "type" in input ? (input as { type: unknown }).type : undefined;
  return typeof type === "string" ? ` (”${type.slice(0, 40)}”)` : "";
}

const markSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("bold") }),
    z.object({ type: z.literal("italic") }),
    z.object({
      type: z.literal("link"),
      attrs: z.object({ href: z.string({ error: LINK_MESSAGE }).trim().max(2_000, "En länk i beskrivningen får vara högst 2 000 tecken.").regex(SAFE_HREF, LINK_MESSAGE) }),
    }),
  ],
  unknownPart("en formatering"),
);

const inlineSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text"), text: z.string().min(1), marks: z.array(markSchema).max(5).optional() }),
    z.object({ type: z.literal("hardBreak") }),
  ],
  unknownPart("en del"),
);

const inlineContent = z.array(inlineSchema).max(2_000).optional();

const listItemSchema: z.ZodType<RichListItem> = z.object({
  type: z.literal("listItem", unknownPart("en del")),
  get content() {
    return z.array(blockSchema).min(1).max(200);
  },
});

const blockSchema: z.ZodType<RichBlock> = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("paragraph"), content: inlineContent }),
    z.object({
      type: z.literal("heading"),
      attrs: z.object({ level: z.union([z.literal(2), z.literal(3)], { error: "Rubriker i beskrivningen kan bara vara rubrik eller underrubrik." }) }),
      content: inlineContent,
    }),
    z.object({ type: z.literal("bulletList"), content: z.array(listItemSchema).min(1).max(200) }),
    z.object({
      type: z.literal("orderedList"),
      attrs: z.object({ start: z.number().int().min(0).max(10_000).optional() }).optional(),
      content: z.array(listItemSchema).min(1).max(200),
    }),
  ],
  unknownPart("en del"),
);

export const richDocSchema: z.ZodType<RichDoc> = z.object({
  type: z.literal("doc", "Beskrivningen har fel format."),
  content: z.array(blockSchema).max(2_000),
});

/**
 * Parses the editor's JSON text: refuses anything outside the allow-list, oversized JSON and
 * unsafe links, each with a Swedish message. Unknown attributes are dropped.
 */
export function parseRichDescription(jsonText: string): { ok: true; doc: RichDoc; text: string } | { ok: false; message: string } {
  if (jsonText.length > RICH_DESCRIPTION_MAX_JSON) {
    return { ok: false, message: `Beskrivningen är för stor. Korta ner den (högst ${RICH_DESCRIPTION_MAX_TEXT.toLocaleString("sv-SE")} tecken text).` };
  }
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch {
    return { ok: false, message: "Beskrivningen kunde inte läsas. Försök igen." };
  }
  const parsed = richDocSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Beskrivningen har fel format." };
  const doc = normalise(parsed.data);
  const text = richDescriptionText(doc);
  if (text.length > RICH_DESCRIPTION_MAX_TEXT) return { ok: false, message: `Beskrivningen får vara högst ${RICH_DESCRIPTION_MAX_TEXT.toLocaleString("sv-SE")} tecken.` };
  return { ok: true, doc, text };
}

/** Keeps only what the renderer uses (e.g. a link's target/rel/class set by the editor). */
function normalise(doc: RichDoc): RichDoc {
  const inline = (node: RichInline): RichInline =>
    node.type === "text"
      ? { type: "text", text: node.text, ...(node.marks?.length ? { marks: node.marks.map((mark) => (mark.type === "link" ? { type: "link", attrs: { href: mark.attrs.href } } : { type: mark.type })) } : {}) }
      : { type: "hardBreak" };
  const block = (node: RichBlock): RichBlock => {
    switch (node.type) {
      case "paragraph":
        return { type: "paragraph", ...(node.content?.length ? { content: node.content.map(inline) } : {}) };
      case "heading":
        return { type: "heading", attrs: { level: node.attrs.level }, ...(node.content?.length ? { content: node.content.map(inline) } : {}) };
      case "bulletList":
        return { type: "bulletList", content: node.content.map(item) };
      case "orderedList":
        return { type: "orderedList", attrs: { start: node.attrs?.start ?? 1 }, content: node.content.map(item) };
    }
  };
  const item = (node: RichListItem): RichListItem => ({ type: "listItem", content: node.content.map(block) });
  return { type: "doc", content: doc.content.map(block) };
}

/** Plain text (old descriptions, the form without JavaScript): blank lines separate paragraphs. */
export function plainTextToRichDoc(text: string): RichDoc {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  return {
    type: "doc",
    content: paragraphs.map((paragraph) => {
      const content: RichInline[] = [];
      paragraph.split("\n").forEach((line, index) => {
        if (index > 0) content.push({ type: "hardBreak" });
        if (line) content.push({ type: "text", text: line });
      });
      return { type: "paragraph", content };
    }),
  };
}

/** The description as plain text, for mails, the .ics DESCRIPTION and the form without JavaScript. */
export function richDescriptionText(doc: RichDoc): string {
  const inlineText = (content: RichInline[] | undefined) =>
    (content ?? [])
      .map((node) => {
        if (node.type === "hardBreak") return "\n";
        const link = node.marks?.find((mark): mark is Extract<RichMark, { type: "link" }> => mark.type === "link");
        const href = link?.attrs.href.replace(/^mailto:/i, "");
        return href && href !== node.text ? `${node.text} (${href})` : node.text;
      })
      .join("");
  const blocks = (nodes: RichBlock[], indent: string): string[] =>
    nodes.flatMap((node) => {
      switch (node.type) {
        case "paragraph":
        case "heading":
          return [indent + inlineText(node.content).split("\n").join(`\n${indent}`)];
        case "bulletList":
        case "orderedList": {
          const start = node.type === "orderedList" ? (node.attrs?.start ?? 1) : 0;
          return [
            node.content
              .map((item, index) => {
                const bullet = node.type === "orderedList" ? `${start + index}. ` : "• ";
                const inner = blocks(item.content, " ".repeat(bullet.length)).join("\n").trimStart();
                return indent + bullet + inner;
              })
              .join("\n"),
          ];
        }
      }
    });
  return blocks(doc.content, "")
    .filter((part) => part.trim())
    .join("\n\n")
    .trim();
}

/** The stored description as a document: the rich JSON when there is one, else the old plain text. */
export function descriptionDoc(day: { description: string; descriptionDoc?: unknown }): RichDoc {
  if (day.descriptionDoc) {
    const parsed = richDocSchema.safeParse(day.descriptionDoc);
    if (parsed.success) return normalise(parsed.data);
  }
  return plainTextToRichDoc(day.description);
}
