import type { ReactNode } from "react";
import { SAFE_HREF, type RichBlock, type RichDoc, type RichInline, type RichListItem } from "../../domain/kunskapsdagar/rich-description";

/**
 * Renders an allow-listed description with React elements only: no user HTML is ever injected,
 * and a link is rendered only when its address is http(s) or mailto.
 */
export function RichDescriptionView({ doc, className }: { doc: RichDoc; className?: string }) {
  if (!doc.content.some((node) => node.type !== "paragraph" || node.content?.length)) return null;
  return <div className={["rich-description-view", className].filter(Boolean).join(" ")}>{doc.content.map((node, index) => block(node, String(index)))}</div>;
}

function inline(content: RichInline[] | undefined, key: string): ReactNode[] {
  return (content ?? []).map((node, index) => {
    const childKey = `${key}.${index}`;
    if (node.type === "hardBreak") return <br key={childKey} />;
    let out: ReactNode = node.text;
    for (const mark of node.marks ?? []) {
      if (mark.type === "bold") out = <strong>{out}</strong>;
      else if (mark.type === "italic") out = <em>{out}</em>;
      else if (mark.type === "link" && SAFE_HREF.test(mark.attrs.href)) out = <a href={mark.attrs.href} rel="noopener noreferrer">{out}</a>;
    }
    return <span key={childKey}>{out}</span>;
  });
}

function items(content: RichListItem[], key: string) {
  return content.map((item, index) => <li key={index}>{item.content.map((child, inner) => block(child, `${key}.${index}.${inner}`))}</li>);
}

function block(node: RichBlock, key: string): ReactNode {
  switch (node.type) {
    case "paragraph":
      return <p key={key}>{inline(node.content, key)}</p>;
    case "heading":
      return node.attrs.level === 2 ? <h2 key={key}>{inline(node.content, key)}</h2> : <h3 key={key}>{inline(node.content, key)}</h3>;
    case "bulletList":
      return <ul key={key}>{items(node.content, key)}</ul>;
    case "orderedList":
      return (
        <ol key={key} start={node.attrs?.start ?? 1}>
          {items(node.content, key)}
        </ol>
      );
  }
}
