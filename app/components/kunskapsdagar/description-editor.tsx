import Link from "@tiptap/extension-link";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useRef, useState } from "react";
import { plainTextToRichDoc, richDocSchema, SAFE_HREF, type RichDoc } from "../../domain/kunskapsdagar/rich-description";
import { EditorToolbar, FORMAT_TOOLS } from "../editor-toolbar";

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
      {editor ? (
        <EditorToolbar
          editor={editor}
          tools={FORMAT_TOOLS}
          id="description-toolbar"
          label="Formatering av beskrivningen"
          controls="field-description"
          idPrefix="description"
        />
      ) : null}
      <EditorContent editor={editor} className="notes-editor__frame" />
    </div>
  );
}
