import { blocksOf, childrenOf, headingLevel, inlineRuns, orderedStart, type InlineRun, type NotesExportHeader, type NotesNode } from "./content";

/** Characters that would otherwise start Markdown syntax inside running text. */
function escapeText(text: string) {
  return text.replace(/([\\`*_[\]<>#|~])/g, "\\$1");
}

function inlineMarkdown(runs: InlineRun[]) {
  return runs
    .map((run) => {
      if (run.text === "\n") return "  \n";
      let text = run.code ? `\`${run.text.replace(/`/g, "'")}\`` : escapeText(run.text);
      if (run.bold) text = `**${text}**`;
      if (run.italic) text = `*${text}*`;
      if (run.strike) text = `~~${text}~~`;
      if (run.link) text = `[${text}](<${run.link.replace(/[<>]/g, encodeURIComponent)}>)`;
      return text;
    })
    .join("");
}

function indent(text: string, by: string) {
  return text
    .split("\n")
    .map((line, index) => (index === 0 || line === "" ? line : by + line))
    .join("\n");
}

function listItem(item: NotesNode, marker: string) {
  const body = childrenOf(item)
    .map((child) => block(child))
    .filter((text) => text !== "")
    .join("\n");
  return marker + indent(body, " ".repeat(marker.length));
}

function tableMarkdown(table: NotesNode) {
  const rows = childrenOf(table).map((row) =>
    childrenOf(row).map((cell) =>
      childrenOf(cell)
        .map((child) => inlineMarkdown(inlineRuns(child)).replace(/ {2}\n/g, " "))
        .join(" ")
        .replace(/\n/g, " ")
        .trim(),
    ),
  );
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map((row) => row.length), 1);
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, index) => cells[index] ?? "").join(" | ")} |`;
  return [line(rows[0]), line(Array.from({ length: width }, () => "---")), ...rows.slice(1).map(line)].join("\n");
}

function block(node: NotesNode): string {
  switch (node.type) {
    case "heading":
      return `${"#".repeat(headingLevel(node))} ${inlineMarkdown(inlineRuns(node))}`;
    case "paragraph":
      return inlineMarkdown(inlineRuns(node));
    case "bulletList":
      return childrenOf(node)
        .map((item) => listItem(item, "- "))
        .join("\n");
    case "orderedList": {
      const start = orderedStart(node);
      return childrenOf(node)
        .map((item, index) => listItem(item, `${start + index}. `))
        .join("\n");
    }
    case "taskList":
      return childrenOf(node)
        .map((item) => listItem(item, item.attrs?.checked === true ? "- [x] " : "- [ ] "))
        .join("\n");
    case "table":
      return tableMarkdown(node);
    case "blockquote":
      return childrenOf(node)
        .map(block)
        .join("\n\n")
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n");
    case "codeBlock":
      return `\`\`\`\n${inlineRuns(node)
        .map((run) => run.text)
        .join("")}\n\`\`\``;
    case "horizontalRule":
      return "---";
    default:
      return inlineMarkdown(inlineRuns(node));
  }
}

/** The notes as Markdown (CommonMark with GitHub tables and task lists), the header first. */
export function notesToMarkdown(header: NotesExportHeader, json: unknown): string {
  const parts = [
    `# ${escapeText(header.title)}`,
    [`${escapeText(header.when)}  `, `Nätverk: ${escapeText(header.networkName)}  `, escapeText(header.status)].join("\n"),
    ...blocksOf(json)
      .map(block)
      .filter((text) => text.trim() !== ""),
  ];
  return `${parts.join("\n\n")}\n`;
}
