import Link from "@tiptap/extension-link";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { plainTextToRichDoc, richDocSchema, SAFE_HREF, type RichDoc } from "../../domain/kunskapsdagar/rich-description";

type Props = {
  /** Plain text, shown in the textarea before (or without) JavaScript. */
  text: string;
  /** The stored or posted ProseMirror JSON, if any. */
  docJson?: string;
  error?: string;
};

const HINT = "Skriv inte personuppgifter om enskilda eller säkerhetsskyddsklassificerade uppgifter här.";

function startingDoc(docJson: string | undefined, text: string): RichDoc {
  if (docJson) {
    try {
      const parsed = richDocSchema.safeParse(JSON.parse(docJson));
      if (parsed.success) return parsed.data;
    } catch {
      // Fall through to the plain text.
    }
  }
  return plainTextToRichDoc(text);
}

/**
 * The description field: a plain textarea in the server's HTML (and without JavaScript, where
 * blank lines make paragraphs), replaced in the browser by a small tiptap editor that writes its
 * JSON into a hidden input. The server validates that JSON against the same allow-list.
 */
export function DescriptionEditor({ text, docJson, error }: Props) {
  const [mounted, setMounted] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [initial, setInitial] = useState<RichDoc | null>(null);
  useEffect(() => {
    // Whatever was typed into the textarea before the script ran is carried into the editor.
    const typed = textarea.current?.value ?? text;
    setInitial(typed !== text ? plainTextToRichDoc(typed) : startingDoc(docJson, text));
    setMounted(true);
    // Only on first mount: later renders keep the editor's own content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const errorId = error ? "field-description-error" : null;
  const describedBy = ["field-description-hint", errorId].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor="field-description" id="field-description-label">
        Beskrivning
        <span className="hint" id="field-description-hint">
          {mounted ? "Formatera med verktygsfältet (Alt+F10 flyttar dit) eller Ctrl+B och Ctrl+I. " : "Vanlig text; en tom rad börjar ett nytt stycke. "}
          {HINT}
        </span>
      </label>
      {mounted && initial ? (
        <RichEditor initial={initial} describedBy={describedBy} invalid={Boolean(error)} />
      ) : (
        <textarea ref={textarea} id="field-description" name="description" rows={6} defaultValue={text} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
      )}
      {error ? (
        <p className="field-error" id="field-description-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function RichEditor({ initial, describedBy, invalid }: { initial: RichDoc; describedBy: string; invalid: boolean }) {
  const [json, setJson] = useState(() => JSON.stringify(initial));
  const editor = useEditor({
    immediatelyRender: false,
    shouldRerenderOnTransaction: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        blockquote: false,
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        link: false,
      }),
      Link.configure({ openOnClick: false, autolink: true, linkOnPaste: true, protocols: ["http", "https", "mailto"], isAllowedUri: (url) => SAFE_HREF.test(url) }),
    ],
    content: initial,
    onUpdate: ({ editor: current }) => setJson(JSON.stringify(current.getJSON())),
    editorProps: {
      handleKeyDown: (_view, event) => {
        if (!(event.altKey && event.key === "F10")) return false;
        const button = document.querySelector<HTMLButtonElement>('#description-toolbar button[tabindex="0"]');
        if (!button) return false;
        button.focus();
        return true;
      },
      attributes: {
        id: "field-description",
        class: "notes-editor__content rich-description__content",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": "field-description-label",
        "aria-describedby": describedBy,
        ...(invalid ? { "aria-invalid": "true" } : {}),
      },
    },
  });
  return (
    <div className="rich-description">
      <input type="hidden" name="descriptionDoc" value={json} />
      {editor ? <DescriptionToolbar editor={editor} /> : null}
      <EditorContent editor={editor} className="notes-editor__frame" />
    </div>
  );
}

type Tool = { key: string; label: string; text: string; run: (editor: Editor) => void; active?: (editor: Editor) => boolean };

const chain = (editor: Editor) => editor.chain().focus();

const TOOLS: Tool[] = [
  { key: "bold", label: "Fetstil", text: "F", run: (e) => chain(e).toggleBold().run(), active: (e) => e.isActive("bold") },
  { key: "italic", label: "Kursiv", text: "K", run: (e) => chain(e).toggleItalic().run(), active: (e) => e.isActive("italic") },
  { key: "h2", label: "Rubrik", text: "Rubrik", run: (e) => chain(e).toggleHeading({ level: 2 }).run(), active: (e) => e.isActive("heading", { level: 2 }) },
  { key: "h3", label: "Underrubrik", text: "Underrubrik", run: (e) => chain(e).toggleHeading({ level: 3 }).run(), active: (e) => e.isActive("heading", { level: 3 }) },
  { key: "bullet", label: "Punktlista", text: "•", run: (e) => chain(e).toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
  { key: "ordered", label: "1. Numrerad lista", text: "1.", run: (e) => chain(e).toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
];

/** One tab stop; arrow keys, Home and End move between the buttons; Escape goes back to the text. */
function DescriptionToolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      active: Object.fromEntries(TOOLS.map((tool) => [tool.key, tool.active?.(current) ?? false])),
      onLink: current.isActive("link"),
      href: (current.getAttributes("link").href as string | undefined) ?? "",
    }),
  });
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const bar = useRef<HTMLDivElement>(null);
  const tools: Tool[] = [...TOOLS, { key: "link", label: state.onLink ? "Ändra länk" : "Länk", text: "Länk", run: () => setLinkOpen(true) }];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>("button[data-tool]") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    if (event.key === "Escape") {
      event.preventDefault();
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

  return (
    <div className="notes-toolbar-wrap">
      <div ref={bar} id="description-toolbar" className="notes-toolbar" role="toolbar" aria-label="Formatering av beskrivningen" aria-controls="field-description" onKeyDown={onKeyDown}>
        {tools.map((tool, index) => (
          <button
            key={tool.key}
            type="button"
            data-tool={tool.key}
            className="notes-toolbar__button"
            tabIndex={index === focusIndex ? 0 : -1}
            aria-label={tool.label}
            title={tool.label}
            aria-pressed={tool.key === "link" ? state.onLink : state.active[tool.key]}
            onFocus={() => setFocusIndex(index)}
            onClick={() => tool.run(editor)}
          >
            <span aria-hidden="true">{tool.text}</span>
          </button>
        ))}
      </div>
      {linkOpen ? <LinkFields editor={editor} initial={state.href} onClose={() => setLinkOpen(false)} /> : null}
    </div>
  );
}

/** Not a <form>: it sits inside the kunskapsdag form, so Enter is handled here. */
function LinkFields({ editor, initial, onClose }: { editor: Editor; initial: string; onClose: () => void }) {
  const [href, setHref] = useState(initial || "https://");
  const [error, setError] = useState("");
  const close = () => {
    onClose();
    editor.commands.focus();
  };
  const save = () => {
    const value = href.trim();
    if (!SAFE_HREF.test(value) || /^https?:\/\/$/i.test(value)) {
      setError("Ange en webbadress som börjar med https:// (eller en e-postadress med mailto:).");
      return;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) editor.chain().focus().insertContent({ type: "text", text: value, marks: [{ type: "link", attrs: { href: value } }] }).run();
    else editor.chain().focus().extendMarkRange("link").setLink({ href: value }).run();
    onClose();
  };
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
      <label htmlFor="description-link-href">Länkadress</label>
      <input
        id="description-link-href"
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
        aria-describedby={error ? "description-link-error" : undefined}
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
        <p className="field-error" id="description-link-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
