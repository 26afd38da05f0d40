import type { SuggestionKeyDownProps, SuggestionOptions, SuggestionProps } from "@tiptap/suggestion";

/** Someone or something that can be mentioned in the notes: an invited person or an organisation. */
export type MentionCandidate = { id: string; label: string; kind: "person" | "organisation"; detail: string };

const MAX_SHOWN = 8;
const kindLabel = { person: "Person", organisation: "Organisation" } as const;

export function filterCandidates(candidates: readonly MentionCandidate[], query: string) {
  const needle = query.trim().toLocaleLowerCase("sv");
  return candidates
    .filter((candidate) => !needle || candidate.label.toLocaleLowerCase("sv").split(/\s+/).some((word) => word.startsWith(needle)) || candidate.label.toLocaleLowerCase("sv").startsWith(needle))
    .slice(0, MAX_SHOWN);
}

/**
 * The suggestion list under "@": a listbox that follows the caret, used with the arrow keys,
 * Enter or Tab to choose and Escape to close. The editor keeps focus; it points at the active
 * option with aria-activedescendant so that screen readers follow along.
 */
export function mentionSuggestion(candidates: () => readonly MentionCandidate[], announce: (message: string) => void): Omit<SuggestionOptions<MentionCandidate>, "editor"> {
  return {
    char: "@",
    items: ({ query }) => filterCandidates(candidates(), query),
    command: ({ editor, range, props }) => {
      editor
        .chain()
        .focus()
        .insertContentAt(range, [
          { type: "mention", attrs: { id: props.id, label: props.label } },
          { type: "text", text: " " },
        ])
        .run();
    },
    render: () => {
      let list: HTMLUListElement | null = null;
      let current: SuggestionProps<MentionCandidate> | null = null;
      let active = 0;

      const place = () => {
        const rect = current?.clientRect?.();
        if (!list || !rect) return;
        const width = Math.min(320, window.innerWidth - 16);
        list.style.width = `${width}px`;
        list.style.left = `${Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + window.innerWidth - width - 8))}px`;
        list.style.top = `${rect.bottom + window.scrollY + 4}px`;
      };

      const draw = () => {
        if (!list || !current) return;
        const editorElement = current.editor.view.dom;
        list.replaceChildren();
        if (current.items.length === 0) {
          const empty = document.createElement("li");
          empty.className = "mention-list__empty";
          empty.textContent = "Ingen inbjuden person eller organisation matchar.";
          list.append(empty);
          editorElement.removeAttribute("aria-activedescendant");
          return;
        }
        current.items.forEach((item, index) => {
          const option = document.createElement("li");
          option.id = `mention-option-${index}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", String(index === active));
          option.className = "mention-list__option";
          const name = document.createElement("span");
          name.textContent = item.label;
          const detail = document.createElement("span");
          detail.className = "muted";
          detail.textContent = ` ${kindLabel[item.kind]}${item.detail ? `, ${item.detail}` : ""}`;
          option.append(name, detail);
          // mousedown, not click: the editor must not lose its selection first.
          option.addEventListener("mousedown", (event) => {
            event.preventDefault();
            current?.command(item);
          });
          list!.append(option);
        });
        editorElement.setAttribute("aria-activedescendant", `mention-option-${active}`);
      };

      return {
        onStart: (props) => {
          current = props;
          active = 0;
          list = document.createElement("ul");
          list.id = "mention-list";
          list.className = "mention-list";
          list.setAttribute("role", "listbox");
          list.setAttribute("aria-label", "Nämn en person eller organisation");
          document.body.append(list);
          props.editor.view.dom.setAttribute("aria-controls", "mention-list");
          props.editor.view.dom.setAttribute("aria-expanded", "true");
          draw();
          place();
          announce(props.items.length ? `${props.items.length} förslag. Välj med pil upp och ner, Enter för att infoga.` : "Inga förslag.");
        },
        onUpdate: (props) => {
          current = props;
          active = Math.min(active, Math.max(0, props.items.length - 1));
          draw();
          place();
        },
        onKeyDown: ({ event }: SuggestionKeyDownProps) => {
          if (!current) return false;
          const count = current.items.length;
          if (event.key === "Escape") {
            list?.remove();
            list = null;
            return true;
          }
          if (!count) return false;
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            active = (active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
            draw();
            announce(current.items[active].label);
            return true;
          }
          if (event.key === "Enter" || event.key === "Tab") {
            current.command(current.items[active]);
            return true;
          }
          return false;
        },
        onExit: (props) => {
          props.editor.view.dom.removeAttribute("aria-activedescendant");
          props.editor.view.dom.removeAttribute("aria-controls");
          props.editor.view.dom.removeAttribute("aria-expanded");
          list?.remove();
          list = null;
          current = null;
        },
      };
    },
  };
}
