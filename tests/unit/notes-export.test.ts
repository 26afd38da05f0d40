import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { notesToDocx } from "../../app/domain/notes/export/docx.server";
import { notesToMarkdown } from "../../app/domain/notes/export/markdown.server";
import { notesToPdf } from "../../app/domain/notes/export/pdf.server";
import { notesContentOf } from "../../app/domain/notes/state.server";
import { doc, notesUpdateFrom, paragraph, sampleNotes, text } from "../support/notes-content";

const header = { title: "Samverkansmöte Järva", when: "24 nov. 2026 14:00–15:30", networkName: "Trygghet i Järva", status: "Justerat 25 nov. 2026 10:12" };

async function pdfText(buffer: Buffer) {
  const parser = new PDFParse({ data: new Uint8Array(buffer) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

async function docxXml(buffer: Buffer) {
  const zip = await JSZip.loadAsync(buffer);
  return zip.file("word/document.xml")!.async("string");
}

describe("the Markdown export of meeting notes", () => {
  it("writes headings, marks, links, mentions, lists, task items and tables", () => {
    const markdown = notesToMarkdown(header, sampleNotes);
    expect(markdown).toContain("# Samverkansmöte Järva");
    expect(markdown).toContain("Nätverk: Trygghet i Järva");
    expect(markdown).toContain("\n# Trygghetsvandring i Rinkeby\n");
    expect(markdown).toContain("Närvarande: @Åsa Öberg och @Polisregion Stockholm");
    expect(markdown).toContain("**Beslut** om [belysning](<https://start.stockholm/belysning>) vid torget.");
    expect(markdown).toContain("## Åtgärder");
    expect(markdown).toContain("- Klipp buskar vid gångvägen\n- Ny lampa i tunneln");
    expect(markdown).toContain("1. Första punkten\n2. Andra punkten");
    expect(markdown).toContain("- [x] Boka lokal\n- [ ] Skicka inbjudan");
    expect(markdown).toContain("| Plats | Ansvarig |\n| --- | --- |\n| Järvafältet | Stadsdelsförvaltningen |");
  });

  it("escapes Markdown characters typed as text and drops links that are not web or mail addresses", () => {
    const markdown = notesToMarkdown(header, doc(paragraph(text("*inte fet* # ej rubrik"), text("klick", { type: "link", attrs: { href: "javascript:alert(1)" } }))));
    expect(markdown).toContain("\\*inte fet\\* \\# ej rubrik");
    expect(markdown).not.toContain("javascript");
  });

  it("reads anything that is not a document as an empty document", () => {
    expect(notesToMarkdown(header, { type: "nonsense" })).toBe(notesToMarkdown(header, null));
    expect(notesToMarkdown(header, null).trim().split("\n").at(-1)).toBe("Justerat 25 nov. 2026 10:12");
  });
});

describe("the PDF export of meeting notes", () => {
  it("is a PDF whose text holds the notes, Swedish letters included", async () => {
    const pdf = await notesToPdf(header, sampleNotes);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const content = await pdfText(pdf);
    for (const expected of ["Samverkansmöte Järva", "Trygghetsvandring i Rinkeby", "@Åsa Öberg", "Klipp buskar vid gångvägen", "Första punkten", "Boka lokal", "Skicka inbjudan", "Järvafältet", "Stadsdelsförvaltningen", "Sida 1 av 1"]) {
      expect(content).toContain(expected);
    }
  });
});

describe("the Word export of meeting notes", () => {
  it("holds the notes as text, with ☑/☐ before task items and a real table", async () => {
    const xml = await docxXml(await notesToDocx(header, sampleNotes));
    for (const expected of ["Samverkansmöte Järva", "Trygghetsvandring i Rinkeby", "@Åsa Öberg", "belysning", "Klipp buskar vid gångvägen", "Första punkten", "Järvafältet"]) {
      expect(xml).toContain(expected);
    }
    expect(xml).toMatch(/☑ <\/w:t>.*Boka lokal/);
    expect(xml).toMatch(/☐ <\/w:t>.*Skicka inbjudan/);
    expect(xml).toContain("<w:tbl>");
  });
});

describe("the plain and JSON copies of a notes document", () => {
  it("read back the content written into the Yjs document", () => {
    const { json, text: plain } = notesContentOf(notesUpdateFrom(sampleNotes));
    expect(notesToMarkdown(header, json)).toBe(notesToMarkdown(header, sampleNotes));
    expect(plain).toContain("Trygghetsvandring i Rinkeby");
  });
});
