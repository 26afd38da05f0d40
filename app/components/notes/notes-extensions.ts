import type { AnyExtension } from "@tiptap/core";
import { Mention } from "@tiptap/extension-mention";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { TableKit } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

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
    TaskItem.configure({ nested: true }),
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
