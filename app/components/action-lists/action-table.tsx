import { Link } from "@remix-run/react";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import {
  FOCUS_AREA_LABELS,
  ITEM_FIELD_LABELS,
  JUDGEMENT_LABELS,
  STATUS_LABELS,
  isItemField,
  isOverdue,
  matchesFilter,
  type ActionItemView,
  type ItemField,
  type ItemFilter,
} from "../../domain/actions/fields";
import type { EditAnswer, FieldConflict, ItemEventPayload, Presence } from "../../domain/actions/rooms";
import { liveStatusText } from "../live";
import { TableRegion } from "../ui/table-region";
import { useActionListLive } from "./use-action-list-live";
import { formatValue, type Choices } from "./values";

type Column = { field: ItemField; kind: "text" | "date" | "select"; options?: Array<{ value: string; label: string }> };

/** Where the table becomes one card per åtgärd (app.css); the arrow keys then stay in their field. */
const NARROW_SCREEN = "(max-width: 40rem)";

type OpenConflict = FieldConflict & { itemId: string; number: number };

/** Rows drawn at first: a list of thousands stays quick to open; the rest come on request. */
const ROWS_SHOWN = 250;

const SORTS: Record<string, (a: ActionItemView, b: ActionItemView) => number> = {
  number: (a, b) => a.number - b.number,
  title: (a, b) => a.title.localeCompare(b.title, "sv"),
  deadline: (a, b) => (a.deadline ?? "9999").localeCompare(b.deadline ?? "9999") || a.number - b.number,
  status: (a, b) => a.status.localeCompare(b.status) || a.number - b.number,
};

/**
 * The list as a table that several people edit at once. Each cell remembers the field's version
 * when the person started editing it; a save on a stale version comes back as a conflict that
 * is shown with both values, and the person chooses.
 */
export function ActionTable(props: {
  listId: string;
  initialItems: ActionItemView[];
  filter: ItemFilter;
  today: string;
  choices: Choices;
  canEdit: boolean;
  /** The list's title, description or sharing changed: the page reads its data again. */
  onListChanged?: () => void;
}) {
  const { listId, filter, today, choices } = props;
  const [items, setItems] = useState(() => new Map(props.initialItems.map((item) => [item.id, item])));
  const [editors, setEditors] = useState<Presence[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const [conflicts, setConflicts] = useState<OpenConflict[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sort, setSort] = useState<{ key: keyof typeof SORTS; ascending: boolean }>({ key: "number", ascending: true });
  const [newTitle, setNewTitle] = useState("");
  const [showAll, setShowAll] = useState(false);
  const [createError, setCreateError] = useState("");
  const tableRef = useRef<HTMLTableElement>(null);

  const live = useActionListLive(listId, {
    onItem: (payload: ItemEventPayload) => {
      setItems((previous) => {
        const next = new Map(previous);
        if (payload.kind === "removed") next.delete(payload.item.id);
        else {
          const known = next.get(payload.item.id);
          // Events can overtake each other: keep whichever copy has seen more writes.
          if (!known || totalVersion(payload.item) >= totalVersion(known)) next.set(payload.item.id, payload.item);
        }
        return next;
      });
      const what = payload.kind === "created" ? "lade till" : payload.kind === "removed" ? "tog bort" : `ändrade ${payload.fields.map((f) => ITEM_FIELD_LABELS[f].toLowerCase()).join(", ")} i`;
      setAnnouncement(`${payload.by.name} ${what} åtgärd ${payload.item.number}: ${payload.item.title}`);
    },
    onPresence: setEditors,
    onListChanged: props.onListChanged,
  });
  // Someone who lost access to the list keeps what is on the screen, but can no longer change it.
  const canEdit = props.canEdit && live.status !== "revoked";

  const columns: Column[] = useMemo(
    () => [
      { field: "title", kind: "text" },
      { field: "responsibleOrganisationId", kind: "select", options: choices.organisations.map((org) => ({ value: org.id, label: org.name })) },
      { field: "contactUserId", kind: "select", options: choices.people.map((person) => ({ value: person.id, label: person.name })) },
      { field: "deadline", kind: "date" },
      { field: "status", kind: "select", options: Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label })) },
      { field: "judgement", kind: "select", options: Object.entries(JUDGEMENT_LABELS).map(([value, label]) => ({ value, label })) },
      { field: "focusArea", kind: "select", options: Object.entries(FOCUS_AREA_LABELS).map(([value, label]) => ({ value, label })) },
    ],
    [choices],
  );

  const rows = useMemo(() => {
    const visible = [...items.values()].filter((item) => matchesFilter(item, filter, today));
    visible.sort(SORTS[sort.key]);
    if (!sort.ascending) visible.reverse();
    return visible;
  }, [items, filter, today, sort]);

  function applyAnswer(itemId: string, field: ItemField, answer: EditAnswer) {
    const key = `${itemId}:${field}`;
    if (answer.ok) {
      setItems((previous) => {
        const known = previous.get(itemId);
        if (known && totalVersion(known) > totalVersion(answer.item)) return previous;
        return new Map(previous).set(itemId, answer.item);
      });
      setErrors(({ [key]: _gone, ...rest }) => rest);
      setConflicts((open) => open.filter((c) => !(c.itemId === itemId && c.field === field)));
      return;
    }
    if (answer.error === "conflict") {
      setItems((previous) => new Map(previous).set(itemId, answer.item));
      setConflicts((open) => [
        ...open.filter((c) => !(c.itemId === itemId && c.field === field)),
        ...answer.conflicts.map((conflict) => ({ ...conflict, itemId, number: answer.item.number })),
      ]);
      return;
    }
    setErrors((previous) => ({ ...previous, [key]: answer.message }));
  }

  async function save(item: ActionItemView, field: ItemField, value: unknown, version: number) {
    applyAnswer(item.id, field, await live.edit(item.id, field, value, version));
  }

  async function keepMine(conflict: OpenConflict) {
    applyAnswer(conflict.itemId, conflict.field, await live.edit(conflict.itemId, conflict.field, conflict.yourValue, conflict.currentVersion));
  }

  function moveVertically(event: KeyboardEvent<HTMLElement>, rowIndex: number, columnIndex: number) {
    const isSelect = event.currentTarget.tagName === "SELECT";
    // Arrow keys open and change a select; there Ctrl+arrow moves between rows instead.
    if ((event.key !== "ArrowDown" && event.key !== "ArrowUp") || (isSelect && !event.ctrlKey)) return;
    // On a narrow screen each row is a card of stacked fields, where "the next row" is no longer below.
    if (window.matchMedia(NARROW_SCREEN).matches) return;
    const target = rowIndex + (event.key === "ArrowDown" ? 1 : -1);
    const cell = tableRef.current?.querySelector<HTMLElement>(`[data-cell="${target}:${columnIndex}"]`);
    if (cell) {
      event.preventDefault();
      cell.focus();
    }
  }

  async function addItem() {
    const title = newTitle.trim();
    if (!title) return setCreateError("Skriv vad åtgärden går ut på.");
    const answer = await live.create(title);
    if (!answer.ok) return setCreateError(answer.message);
    setCreateError("");
    setNewTitle("");
    setItems((previous) => new Map(previous).set(answer.item.id, answer.item));
  }

  const editorsOf = (itemId: string) => editors.filter((editor) => editor.itemId === itemId);

  return (
    <div className="stack">
      <p className="muted" role="status">
        {liveStatusText[live.status]}
        {live.queued ? ` · ${live.queued} ändringar väntar på att skickas` : ""}
      </p>
      {live.status === "revoked" ? (
        <div className="alert alert--warn" role="alert">
          Du har inte längre tillgång till listan: den delas inte längre med din organisation, eller har tagits bort. Det du ser här uppdateras
          inte och kan inte ändras. <a href="/atgardslistor">Till dina åtgärdslistor</a>
        </div>
      ) : null}
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
      {conflicts.length ? (
        <section className="alert alert--warn" aria-labelledby="konflikter" role="alert">
          <h2 id="konflikter">Någon annan hann ändra samma fält</h2>
          <ul className="list-plain">
            {conflicts.map((conflict) => (
              <li key={`${conflict.itemId}:${conflict.field}`}>
                <strong>
                  Åtgärd {conflict.number}, {conflict.label.toLowerCase()}
                </strong>
                <br />
                Ditt värde: <q>{formatValue(conflict.field, conflict.yourValue, choices)}</q>
                <br />
                Nu sparat: <q>{formatValue(conflict.field, conflict.currentValue, choices)}</q>
                {conflict.changedBy ? ` (ändrat av ${conflict.changedBy})` : ""}
                <div className="actions">
                  <button type="button" className="button" onClick={() => void keepMine(conflict)}>
                    Behåll mitt värde
                  </button>
                  <button type="button" className="button button--secondary" onClick={() => setConflicts((open) => open.filter((c) => c !== conflict))}>
                    Behåll det sparade
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TableRegion label="Åtgärder i listan">
        <table ref={tableRef} className="action-table" aria-describedby="tabellhjalp">
          <caption className="visually-hidden">Åtgärder i listan</caption>
          <thead>
            <tr>
              <SortHeader label="Nr" sortKey="number" sort={sort} setSort={setSort} />
              {columns.map((column) =>
                column.field in SORTS ? (
                  <SortHeader key={column.field} label={ITEM_FIELD_LABELS[column.field]} sortKey={column.field} sort={sort} setSort={setSort} />
                ) : (
                  <th key={column.field} scope="col">
                    {ITEM_FIELD_LABELS[column.field]}
                  </th>
                ),
              )}
              <th scope="col">Redigeras av</th>
            </tr>
          </thead>
          <tbody>
            {(showAll ? rows : rows.slice(0, ROWS_SHOWN)).map((item, rowIndex) => {
              const overdue = isOverdue(item, today);
              const busy = editorsOf(item.id);
              return (
                <tr key={item.id} data-item={item.id} className={busy.length ? "is-being-edited" : undefined}>
                  <th scope="row">
                    <Link to={`/atgarder/${item.id}`} aria-label={`Åtgärd ${item.number}: detaljer och historik`}>
                      <span className="action-table__narrow-only">Åtgärd </span>
                      {item.number}
                    </Link>
                    {overdue ? (
                      <>
                        {" "}
                        <span className="badge badge--error">Försenad</span>
                      </>
                    ) : null}
                  </th>
                  {columns.map((column, columnIndex) => (
                    <td key={column.field} data-label={ITEM_FIELD_LABELS[column.field]}>
                      <Cell
                        item={item}
                        column={column}
                        disabled={!canEdit}
                        cellId={`${rowIndex}:${columnIndex}`}
                        error={errors[`${item.id}:${column.field}`]}
                        onSave={(value, version) => void save(item, column.field, value, version)}
                        onFocus={() => live.setFocus(item.id, column.field)}
                        onBlur={() => live.setFocus(null, null)}
                        onKeyDown={(event) => moveVertically(event, rowIndex, columnIndex)}
                      />
                    </td>
                  ))}
                  <td data-label={busy.length ? "Redigeras av" : undefined}>{busy.length ? busy.map((editor) => `${editor.name} (${isItemField(editor.field) ? ITEM_FIELD_LABELS[editor.field].toLowerCase() : "raden"})`).join(", ") : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      {!showAll && rows.length > ROWS_SHOWN ? (
        <p>
          Visar de första {ROWS_SHOWN} av {rows.length} åtgärder.{" "}
          <button type="button" className="button button--secondary" onClick={() => setShowAll(true)}>
            Visa alla {rows.length}
          </button>
        </p>
      ) : null}
      <p id="tabellhjalp" className="hint">
        Tabb flyttar mellan fälten
        <span className="action-table__wide-only">, pil upp och ner mellan raderna (Ctrl + pil i listrutor)</span>. En ändring sparas när du lämnar fältet.
      </p>
      {rows.length === 0 ? <p className="empty">{items.size ? "Inga åtgärder matchar filtret." : "Listan har inga åtgärder ännu."}</p> : null}
      {canEdit ? (
        <form
          method="post"
          className="actions"
          onSubmit={(event) => {
            event.preventDefault();
            void addItem();
          }}
        >
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor="ny-atgard">Ny åtgärd</label>
            <input
              id="ny-atgard"
              name="title"
              value={newTitle}
              maxLength={300}
              onChange={(event) => setNewTitle(event.target.value)}
              aria-invalid={createError ? true : undefined}
              aria-describedby={createError ? "ny-atgard-fel" : undefined}
            />
            {createError ? (
              <p className="field-error" id="ny-atgard-fel">
                {createError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button">
            Lägg till åtgärd
          </button>
        </form>
      ) : null}
    </div>
  );
}

function totalVersion(item: ActionItemView) {
  return Object.values(item.fieldVersions).reduce((sum, version) => sum + version, 0);
}

function SortHeader(props: { label: string; sortKey: string; sort: { key: string; ascending: boolean }; setSort: (sort: { key: string; ascending: boolean }) => void }) {
  const active = props.sort.key === props.sortKey;
  return (
    <th scope="col" aria-sort={active ? (props.sort.ascending ? "ascending" : "descending") : "none"}>
      <button type="button" className="link-button" onClick={() => props.setSort({ key: props.sortKey, ascending: active ? !props.sort.ascending : true })}>
        {props.label}
        {active ? (props.sort.ascending ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
}

/** One editable cell: shows the live value until the person starts editing, then their draft. */
function Cell(props: {
  item: ActionItemView;
  column: Column;
  disabled: boolean;
  cellId: string;
  error?: string;
  onSave: (value: unknown, version: number) => void;
  onFocus: () => void;
  onBlur: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}) {
  const { item, column } = props;
  const stored = (item[column.field] ?? "") as string;
  // The value and version when the person entered the cell: what they saw, and what a save is checked against.
  const [draft, setDraft] = useState<{ value: string; version: number; original: string } | null>(null);
  const [active, setActive] = useState(false);
  const label = `${ITEM_FIELD_LABELS[column.field]}, åtgärd ${item.number}`;
  const errorId = props.error ? `fel-${item.id}-${column.field}` : undefined;

  function begin() {
    props.onFocus();
    if (!draft) setDraft({ value: stored, version: item.fieldVersions[column.field] ?? 0, original: stored });
  }
  function finish(value: string) {
    props.onBlur();
    if (draft && value !== draft.original) props.onSave(value, draft.version);
    setDraft(null);
  }

  const common = {
    "aria-label": label,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": errorId,
    "data-cell": props.cellId,
    disabled: props.disabled,
    onFocus: begin,
    onKeyDown: props.onKeyDown,
  } as const;

  const control =
    column.kind === "select" ? (
      <select
        {...common}
        value={draft?.value ?? stored}
        onChange={(event) => {
          const value = event.target.value;
          // A choice is a whole edit: save it at once, on the version seen when the cell was entered.
          const version = draft?.version ?? item.fieldVersions[column.field] ?? 0;
          if (value !== (draft?.original ?? stored)) props.onSave(value, version);
          setDraft(null);
        }}
        onFocus={() => {
          begin();
          setActive(true);
        }}
        onBlur={() => {
          props.onBlur();
          setDraft(null);
          setActive(false);
        }}
      >
        {column.field === "status" ? null : <option value="">–</option>}
        {/* A long list has thousands of these selects: the choices are rendered once the cell is entered. */}
        {(active || column.options!.length <= 6 ? column.options! : column.options!.filter((option) => option.value === stored)).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    ) : (
      <input
        {...common}
        type={column.kind === "date" ? "date" : "text"}
        value={draft?.value ?? stored}
        maxLength={column.kind === "text" ? 300 : undefined}
        className={column.field === "title" ? "action-table__title" : undefined}
        onChange={(event) => setDraft({ value: event.target.value, version: draft?.version ?? item.fieldVersions[column.field] ?? 0, original: draft?.original ?? stored })}
        onBlur={(event) => finish(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            (event.target as HTMLInputElement).blur();
          } else if (event.key === "Escape") {
            if (draft) setDraft({ ...draft, value: draft.original });
          } else props.onKeyDown(event);
        }}
      />
    );
  return (
    <>
      {control}
      {props.error ? (
        <p className="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}
