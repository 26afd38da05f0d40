import { useEditorState, type Editor } from "@tiptap/react";
import { useRef, useState, type KeyboardEvent } from "react";

export type Tool = {
  key: string;
  label: string;
  text: string;
  run: (editor: Editor) => void;
  active?: (editor: Editor) => boolean;
  enabled?: (editor: Editor) => boolean;
};

const chain = (editor: Editor) => editor.chain().focus();

const TOOLS: Tool[] = [
  { key: "bold", label: "Fetstil", text: "F", run: (e) => chain(e).toggleBold().run(), active: (e) => e.isActive("bold") },
  { key: "italic", label: "Kursiv", text: "K", run: (e) => chain(e).toggleItalic().run(), active: (e) => e.isActive("italic") },
  { key: "h2", label: "Rubrik", text: "Rubrik", run: (e) => chain(e).toggleHeading({ level: 2 }).run(), active: (e) => e.isActive("heading", { level: 2 }) },
  { key: "h3", label: "Underrubrik", text: "Underrubrik", run: (e) => chain(e).toggleHeading({ level: 3 }).run(), active: (e) => e.isActive("heading", { level: 3 }) },
  { key: "bullet", label: "Punktlista", text: "•", run: (e) => chain(e).toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
  { key: "ordered", label: "1. Numrerad lista", text: "1.", run: (e) => chain(e).toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
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

/**
 * The formatting toolbar: one tab stop, arrow keys move between its buttons (WAI-ARIA toolbar
 * pattern), every button has a Swedish name and toggles say whether they are on.
 */
export function NotesToolbar({ editor, extraTools = [] }: { editor: Editor; extraTools?: Tool[] }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      active: Object.fromEntries([...TOOLS, ...extraTools].map((tool) => [tool.key, tool.active?.(current) ?? false])),
      enabled: Object.fromEntries([...TOOLS, ...extraTools].map((tool) => [tool.key, tool.enabled?.(current) ?? true])),
      inTable: current.isActive("table"),
      onLink: current.isActive("link"),
      href: (current.getAttributes("link").href as string | undefined) ?? "",
    }),
  });
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const tools = [...(state.inTable ? [...TOOLS, ...TABLE_TOOLS] : TOOLS), ...extraTools];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>("button[data-tool]") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    if (event.key === "Escape") {
      event.preventDefault();
      // The view's own focus is immediate and keeps the selection where it was.
      editor.view.focus();
      return;
    }
    const next = event.key === "ArrowRight" ? index + 1 : event.key === "ArrowLeft" ? index - 1 : event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = (next + buttons.length) % buttons.length;
    setFocusIndex(target);
    buttons[target].focus();
  };

  const allTools = [...tools, { key: "link", label: state.onLink ? "Ändra länk" : "Länk", text: "🔗", run: () => setLinkOpen(true), active: () => state.onLink } as Tool];
  return (
    <div className="notes-toolbar-wrap">
      <div ref={bar} className="notes-toolbar" role="toolbar" aria-label="Formatering" aria-controls="notes-content" onKeyDown={onKeyDown}>
        {allTools.map((tool, index) => {
          const pressed = tool.key in state.active ? state.active[tool.key] : tool.key === "link" ? state.onLink : undefined;
          const enabled = state.enabled[tool.key] ?? true;
          return (
            <button
              key={tool.key}
              type="button"
              data-tool={tool.key}
              className="notes-toolbar__button"
              tabIndex={index === Math.min(focusIndex, allTools.length - 1) ? 0 : -1}
              aria-label={tool.label}
              title={tool.label}
              aria-pressed={tool.active ? pressed : undefined}
              aria-disabled={!enabled}
              onFocus={() => setFocusIndex(index)}
              onClick={() => enabled && tool.run(editor)}
            >
              <span aria-hidden="true">{tool.text}</span>
            </button>
          );
        })}
      </div>
      {linkOpen ? <LinkForm editor={editor} initial={state.href} onClose={() => setLinkOpen(false)} /> : null}
    </div>
  );
}

function LinkForm({ editor, initial, onClose }: { editor: Editor; initial: string; onClose: () => void }) {
  const [href, setHref] = useState(initial || "https://");
  const [error, setError] = useState("");
  const close = () => {
    onClose();
    editor.commands.focus();
  };
  return (
    <form
      className="notes-link-form"
      onSubmit={(event) => {
        event.preventDefault();
        const value = href.trim();
        if (!/^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i.test(value)) {
          setError("Ange en webbadress som börjar med https:// (eller en e-postadress med mailto:).");
          return;
        }
        editor.chain().focus().extendMarkRange("link").setLink({ href: value }).run();
        onClose();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") close();
      }}
    >
      <label htmlFor="notes-link-href">Länkadress</label>
      <input
        id="notes-link-href"
        type="url"
        value={href}
        autoFocus
        onChange={(event) => setHref(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "notes-link-error" : undefined}
      />
      <button type="submit" className="button button--small">
        Spara länk
      </button>
      {initial ? (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            editor.chain().focus().extendMarkRange("link").unsetLink().run();
            onClose();
          }}
        >
          Ta bort länk
        </button>
      ) : null}
      <button type="button" className="button button--secondary button--small" onClick={close}>
        Avbryt
      </button>
      {error ? (
        <p className="field-error" id="notes-link-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
