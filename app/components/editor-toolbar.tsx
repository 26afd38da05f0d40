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

export const chain = (editor: Editor) => editor.chain().focus();

/** Text formatting every rich-text field offers. */
export const FORMAT_TOOLS: Tool[] = [
  { key: "bold", label: "Fetstil", text: "F", run: (e) => chain(e).toggleBold().run(), active: (e) => e.isActive("bold") },
  { key: "italic", label: "Kursiv", text: "K", run: (e) => chain(e).toggleItalic().run(), active: (e) => e.isActive("italic") },
  { key: "h2", label: "Rubrik", text: "Rubrik", run: (e) => chain(e).toggleHeading({ level: 2 }).run(), active: (e) => e.isActive("heading", { level: 2 }) },
  { key: "h3", label: "Underrubrik", text: "Underrubrik", run: (e) => chain(e).toggleHeading({ level: 3 }).run(), active: (e) => e.isActive("heading", { level: 3 }) },
  { key: "bullet", label: "Punktlista", text: "•", run: (e) => chain(e).toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
  { key: "ordered", label: "1. Numrerad lista", text: "1.", run: (e) => chain(e).toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
];

const LINK_PATTERN = /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i;

type Props = {
  editor: Editor;
  tools: Tool[];
  /** Shown after `tools` while the caret is in a table. */
  tableTools?: Tool[];
  /** The toolbar's accessible name and the id of the text it formats. */
  label: string;
  controls: string;
  id?: string;
  /** Prefix of the link fields' ids, unique on the page. */
  idPrefix: string;
};

/**
 * A formatting toolbar after the WAI-ARIA toolbar pattern: one tab stop, arrow keys, Home and End
 * move between the buttons, Escape goes back to the text; every button has a Swedish name and
 * toggles say whether they are on. The last button adds or changes a link.
 */
export function EditorToolbar({ editor, tools, tableTools = [], label, controls, id, idPrefix }: Props) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      active: Object.fromEntries([...tools, ...tableTools].map((tool) => [tool.key, tool.active?.(current) ?? false])),
      enabled: Object.fromEntries([...tools, ...tableTools].map((tool) => [tool.key, tool.enabled?.(current) ?? true])),
      inTable: tableTools.length > 0 && current.isActive("table"),
      onLink: current.isActive("link"),
      href: (current.getAttributes("link").href as string | undefined) ?? "",
    }),
  });
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const bar = useRef<HTMLDivElement>(null);

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

  const link: Tool = { key: "link", label: state.onLink ? "Ändra länk" : "Länk", text: "Länk", run: () => setLinkOpen(true) };
  const shown = [...tools, ...(state.inTable ? tableTools : []), link];
  return (
    <div className="notes-toolbar-wrap">
      <div ref={bar} id={id} className="notes-toolbar" role="toolbar" aria-label={label} aria-controls={controls} onKeyDown={onKeyDown}>
        {shown.map((tool, index) => {
          const enabled = state.enabled[tool.key] ?? true;
          const pressed = tool.key === "link" ? state.onLink : tool.active ? state.active[tool.key] : undefined;
          return (
            <button
              key={tool.key}
              type="button"
              data-tool={tool.key}
              className="notes-toolbar__button"
              tabIndex={index === Math.min(focusIndex, shown.length - 1) ? 0 : -1}
              aria-label={tool.label}
              title={tool.label}
              aria-pressed={pressed}
              aria-disabled={!enabled}
              onFocus={() => setFocusIndex(index)}
              onClick={() => enabled && tool.run(editor)}
            >
              <span aria-hidden="true">{tool.text}</span>
            </button>
          );
        })}
      </div>
      {linkOpen ? <LinkFields editor={editor} initial={state.href} idPrefix={idPrefix} onClose={() => setLinkOpen(false)} /> : null}
    </div>
  );
}

/**
 * The link's address. Not a <form>, so that it also works inside one: Enter is handled here.
 * With nothing selected the address itself is inserted as the link's text.
 */
function LinkFields({ editor, initial, idPrefix, onClose }: { editor: Editor; initial: string; idPrefix: string; onClose: () => void }) {
  const [href, setHref] = useState(initial || "https://");
  const [error, setError] = useState("");
  const close = () => {
    onClose();
    editor.commands.focus();
  };
  const save = () => {
    const value = href.trim();
    if (!LINK_PATTERN.test(value) || /^https?:\/\/$/i.test(value)) {
      setError("Ange en webbadress som börjar med https:// (eller en e-postadress med mailto:).");
      return;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) editor.chain().focus().insertContent({ type: "text", text: value, marks: [{ type: "link", attrs: { href: value } }] }).run();
    else editor.chain().focus().extendMarkRange("link").setLink({ href: value }).run();
    onClose();
  };
  const errorId = `${idPrefix}-link-error`;
  return (
    <div
      className="notes-link-form"
      role="group"
      aria-label="Länk"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          close();
        }
      }}
    >
      <label htmlFor={`${idPrefix}-link-href`}>Länkadress</label>
      <input
        id={`${idPrefix}-link-href`}
        type="url"
        value={href}
        autoFocus
        onChange={(event) => setHref(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            save();
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <button type="button" className="button button--small" onClick={save}>
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
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
