import * as Y from "yjs";

/** A ProseMirror JSON node as the editor stores it. */
export type PmNode = { type: string; attrs?: Record<string, unknown>; content?: PmNode[]; text?: string; marks?: Array<{ type: string; attrs?: Record<string, unknown> }> };

export const text = (value: string, ...marks: Array<{ type: string; attrs?: Record<string, unknown> }>): PmNode => ({ type: "text", text: value, ...(marks.length ? { marks } : {}) });
export const paragraph = (...content: PmNode[]): PmNode => ({ type: "paragraph", content });
export const heading = (level: number, value: string): PmNode => ({ type: "heading", attrs: { level }, content: [text(value)] });
export const doc = (...content: PmNode[]): PmNode => ({ type: "doc", content });

/** Notes with every construct the exports handle, Swedish characters included. */
export const sampleNotes = doc(
  heading(1, "Trygghetsvandring i Rinkeby"),
  paragraph(text("Närvarande: "), { type: "mention", attrs: { id: "u1", label: "Åsa Öberg" } }, text(" och "), { type: "mention", attrs: { id: "o1", label: "Polisregion Stockholm" } }),
  paragraph(text("Beslut", { type: "bold" }), text(" om "), text("belysning", { type: "link", attrs: { href: "https://start.stockholm/belysning" } }), text(" vid torget.")),
  heading(2, "Åtgärder"),
  { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("Klipp buskar vid gångvägen"))] }, { type: "listItem", content: [paragraph(text("Ny lampa i tunneln"))] }] },
  { type: "orderedList", attrs: { start: 1 }, content: [{ type: "listItem", content: [paragraph(text("Första punkten"))] }, { type: "listItem", content: [paragraph(text("Andra punkten"))] }] },
  {
    type: "taskList",
    content: [
      { type: "taskItem", attrs: { checked: true }, content: [paragraph(text("Boka lokal"))] },
      { type: "taskItem", attrs: { checked: false }, content: [paragraph(text("Skicka inbjudan"))] },
    ],
  },
  {
    type: "table",
    content: [
      { type: "tableRow", content: [{ type: "tableHeader", content: [paragraph(text("Plats"))] }, { type: "tableHeader", content: [paragraph(text("Ansvarig"))] }] },
      { type: "tableRow", content: [{ type: "tableCell", content: [paragraph(text("Järvafältet"))] }, { type: "tableCell", content: [paragraph(text("Stadsdelsförvaltningen"))] }] },
    ],
  },
);

/** Builds top-down, so every element is part of the document before its text is written. */
function fill(parent: Y.XmlFragment | Y.XmlElement, nodes: PmNode[]) {
  let pending: Y.XmlText | null = null;
  for (const node of nodes) {
    if (node.type === "text") {
      if (!pending) {
        pending = new Y.XmlText();
        parent.insert(parent.length, [pending]);
      }
      const attributes: Record<string, unknown> = {};
      for (const mark of node.marks ?? []) attributes[mark.type] = mark.attrs ?? {};
      pending.insert(pending.length, node.text ?? "", attributes);
      continue;
    }
    pending = null;
    const element = new Y.XmlElement(node.type);
    parent.insert(parent.length, [element]);
    for (const [key, value] of Object.entries(node.attrs ?? {})) element.setAttribute(key, value as string);
    fill(element, node.content ?? []);
  }
}

/** The Yjs update that fills an empty notes document (field "default") with this content. */
export function notesUpdateFrom(json: PmNode): Uint8Array {
  const ydoc = new Y.Doc();
  fill(ydoc.getXmlFragment("default"), json.content ?? []);
  return Y.encodeStateAsUpdate(ydoc);
}
