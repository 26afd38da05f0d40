import type { ReactNode } from "react";
import { blocksOf, childrenOf, headingLevel, mentionText, orderedStart, safeHref, type NotesNode } from "../../domain/notes/export/content";
import { TableRegion } from "../ui/table-region";

function inline(node: NotesNode, key: string): ReactNode[] {
  return childrenOf(node).map((child, index) => {
    const childKey = `${key}.${index}`;
    if (child.type === "text" && typeof child.text === "string") {
      let out: ReactNode = child.text;
      for (const mark of Array.isArray(child.marks) ? child.marks : []) {
        if (mark?.type === "bold") out = <strong>{out}</strong>;
        else if (mark?.type === "italic") out = <em>{out}</em>;
        else if (mark?.type === "strike") out = <s>{out}</s>;
        else if (mark?.type === "code") out = <code>{out}</code>;
        else if (mark?.type === "link") {
          const href = safeHref(mark.attrs?.href);
          if (href) out = <a href={href} rel="noopener noreferrer">{out}</a>;
        }
      }
      return <span key={childKey}>{out}</span>;
    }
    if (child.type === "mention") return <span key={childKey} className="mention">{mentionText(child)}</span>;
    if (child.type === "hardBreak") return <br key={childKey} />;
    return <span key={childKey}>{inline(child, childKey)}</span>;
  });
}

function block(node: NotesNode, key: string): ReactNode {
  const children = () => childrenOf(node).map((child, index) => block(child, `${key}.${index}`));
  switch (node.type) {
    case "heading": {
      // The page's own h1/h2 come first, so the notes' headings start at h3.
      const Tag = `h${Math.min(headingLevel(node) + 2, 6)}` as "h3";
      return <Tag key={key}>{inline(node, key)}</Tag>;
    }
    case "paragraph":
      return <p key={key}>{inline(node, key)}</p>;
    case "bulletList":
      return <ul key={key}>{childrenOf(node).map((item, index) => <li key={index}>{childrenOf(item).map((child, inner) => block(child, `${key}.${index}.${inner}`))}</li>)}</ul>;
    case "orderedList":
      return (
        <ol key={key} start={orderedStart(node)}>
          {childrenOf(node).map((item, index) => <li key={index}>{childrenOf(item).map((child, inner) => block(child, `${key}.${index}.${inner}`))}</li>)}
        </ol>
      );
    case "taskList":
      return (
        <ul key={key} className="task-list">
          {childrenOf(node).map((item, index) => {
            const checked = item.attrs?.checked === true;
            return (
              <li key={index}>
                <span aria-hidden="true">{checked ? "☑ " : "☐ "}</span>
                <span className="visually-hidden">{checked ? "Klar: " : "Inte klar: "}</span>
                {childrenOf(item).map((child, inner) => block(child, `${key}.${index}.${inner}`))}
              </li>
            );
          })}
        </ul>
      );
    case "table":
      return (
        <TableRegion key={key} label="Tabell i anteckningarna">
          <table>
            <tbody>
              {childrenOf(node).map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {childrenOf(row).map((cell, cellIndex) => {
                    const content = childrenOf(cell).map((child, inner) => block(child, `${key}.${rowIndex}.${cellIndex}.${inner}`));
                    return cell.type === "tableHeader" ? <th key={cellIndex} scope="col">{content}</th> : <td key={cellIndex}>{content}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      );
    case "blockquote":
      return <blockquote key={key}>{children()}</blockquote>;
    case "horizontalRule":
      return <hr key={key} />;
    default:
      return <p key={key}>{inline(node, key)}</p>;
  }
}

/** Notes rendered read-only from their stored ProseMirror JSON (an older version, or what the justerare approve). */
export function NotesView({ json, label }: { json: unknown; label: string }) {
  const blocks = blocksOf(json);
  return (
    <article className="card notes-view" aria-label={label}>
      {blocks.length ? blocks.map((node, index) => block(node, String(index))) : <p className="empty">Anteckningarna är tomma.</p>}
    </article>
  );
}

/** Links to the three downloads of the notes, or of one version. */
export function NotesExportLinks({ meetingId, versionId }: { meetingId: string; versionId?: string }) {
  const query = versionId ? `?version=${versionId}` : "";
  return (
    <div className="actions">
      <a className="button button--secondary" href={`/moten/${meetingId}/anteckningar.pdf${query}`} download>
        Ladda ner som PDF
      </a>
      <a className="button button--secondary" href={`/moten/${meetingId}/anteckningar.docx${query}`} download>
        Ladda ner som Word
      </a>
      <a className="button button--secondary" href={`/moten/${meetingId}/anteckningar.md${query}`} download>
        Ladda ner som Markdown
      </a>
    </div>
  );
}
