import type { AnyExtension } from "@tiptap/core";
import { Mention } from "@tiptap/extension-mention";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { TableKit } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

/**
 * A task item that may point at the åtgärd it was turned into (`actionItemId`). The attribute
 * lives in the Yjs document, so it reaches everyone and is stored with the notes.
 */
export const LinkedTaskItem = TaskItem.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      actionItemId: {
        default: null,
        keepOnSplit: false,
        parseHTML: (element: HTMLElement) => element.getAttribute("data-action-item-id"),
        renderHTML: (attributes: Record<string, unknown>) => (attributes.actionItemId ? { "data-action-item-id": String(attributes.actionItemId) } : {}),
      },
    };
  },
});

/** The Yjs XML fragment the notes live in; the server's starting content writes the same field. */
export const NOTES_FIELD = "default";

/**
 * The content model of meeting notes: headings, lists, task items, tables, links and mentions of
 * people (`person:<id>`) and organisations (`organisation:<id>`). Shared by the editor and by
 * anything that turns the Yjs document into ProseMirror JSON, text or an export, so that every
 * reader knows the same node types.
 */
export function notesExtensions(options: { mention?: Partial<Parameters<typeof Mention.configure>[0]> } = {}): AnyExtension[] {
  return [
    StarterKit.configure({
      // Yjs keeps its own per-person undo history; the default one would undo the others' typing.
      undoRedo: false,
      heading: { levels: [2, 3, 4] },
      link: { openOnClick: false, autolink: true, protocols: ["https", "http", "mailto"], defaultProtocol: "https" },
    }),
    TaskList,
    LinkedTaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
    Mention.configure({
      HTMLAttributes: { class: "mention" },
      renderText: ({ node }) => `@${node.attrs.label ?? node.attrs.id}`,
      renderHTML: ({ node, options: mentionOptions }) => [
        "span",
        { ...mentionOptions.HTMLAttributes, "data-type": "mention", "data-id": node.attrs.id },
        `@${node.attrs.label ?? node.attrs.id}`,
      ],
      ...options.mention,
    }),
  ];
}
