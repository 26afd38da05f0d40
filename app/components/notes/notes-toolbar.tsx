import type { Editor } from "@tiptap/react";
import { chain, EditorToolbar, FORMAT_TOOLS, type Tool } from "../editor-toolbar";

export type { Tool };

const TOOLS: Tool[] = [
  ...FORMAT_TOOLS,
  { key: "task", label: "Att göra-lista", text: "☐", run: (e) => chain(e).toggleTaskList().run(), active: (e) => e.isActive("taskList") },
  {
    key: "table",
    label: "Infoga tabell",
    text: "▦",
    run: (e) => chain(e).insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    enabled: (e) => !e.isActive("table"),
  },
  { key: "mention", label: "Nämn en person eller organisation", text: "@", run: (e) => chain(e).insertContent("@").run() },
  { key: "undo", label: "Ångra", text: "↶", run: (e) => chain(e).undo().run(), enabled: (e) => e.can().undo() },
  { key: "redo", label: "Gör om", text: "↷", run: (e) => chain(e).redo().run(), enabled: (e) => e.can().redo() },
];

const TABLE_TOOLS: Tool[] = [
  { key: "row", label: "Lägg till rad", text: "+ Rad", run: (e) => chain(e).addRowAfter().run() },
  { key: "column", label: "Lägg till kolumn", text: "+ Kolumn", run: (e) => chain(e).addColumnAfter().run() },
  { key: "deleteRow", label: "Ta bort rad", text: "− Rad", run: (e) => chain(e).deleteRow().run() },
  { key: "deleteColumn", label: "Ta bort kolumn", text: "− Kolumn", run: (e) => chain(e).deleteColumn().run() },
  { key: "deleteTable", label: "Ta bort tabellen (går att ångra)", text: "Ta bort tabell", run: (e) => chain(e).deleteTable().run() },
];

/** The notes' formatting toolbar; `extraTools` come last (turning a task into an åtgärd). */
export function NotesToolbar({ editor, extraTools = [] }: { editor: Editor; extraTools?: Tool[] }) {
  return <EditorToolbar editor={editor} tools={[...TOOLS, ...extraTools]} tableTools={TABLE_TOOLS} label="Formatering" controls="notes-content" idPrefix="notes" />;
}
