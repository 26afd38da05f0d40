import { useEffect, useRef, useState } from "react";
import { Field } from "../ui/field";
import { useHydrated } from "../ui/hydrated";

export type AgendaRow = { title: string; presenter: string; minutes: string };

/** As many rows as the meeting form's schema takes (agendaTitle and the others, max 30). */
export const MAX_AGENDA_ROWS = 30;
/** Empty rows after the filled ones: without JavaScript, the only way to add points. */
const BLANK_AGENDA_ROWS = 3;

/**
 * The agenda's rows. Without JavaScript the filled rows come with a few empty ones, and more come
 * by saving and opening the form again; with it, "Lägg till punkt" adds a row in place and each
 * row can be removed, the keyboard focus following to the new row or the next one.
 */
export function AgendaRows({ agenda, error }: { agenda: AgendaRow[]; error?: string }) {
  const hydrated = useHydrated();
  const [rows, setRows] = useState(() => {
    const filled = agenda.filter((item) => item.title || item.presenter || item.minutes).slice(0, MAX_AGENDA_ROWS);
    const blanks = Math.min(BLANK_AGENDA_ROWS, MAX_AGENDA_ROWS - filled.length);
    return [...filled, ...Array.from({ length: blanks }, () => ({ title: "", presenter: "", minutes: "" }))].map((row, key) => ({ key, ...row }));
  });
  // Keys keep each row's typed (uncontrolled) values when a row above it is removed.
  const nextKey = useRef(rows.length);
  const addButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useRef<number | "add" | null>(null);

  useEffect(() => {
    const target = focusAfterRender.current;
    if (target === null) return;
    focusAfterRender.current = null;
    (target === "add" ? addButton.current : document.getElementById(`agenda-title-${target}`))?.focus();
  }, [rows]);

  const add = () => {
    const key = nextKey.current++;
    focusAfterRender.current = key;
    setRows((current) => [...current, { key, title: "", presenter: "", minutes: "" }]);
  };
  const remove = (key: number) => {
    const index = rows.findIndex((row) => row.key === key);
    const rest = rows.filter((row) => row.key !== key);
    focusAfterRender.current = (rest[index] ?? rest[index - 1])?.key ?? "add";
    setRows(rest);
  };

  return (
    <fieldset id="field-agenda" aria-describedby={["field-agenda-hint", error ? "field-agenda-error" : null].filter(Boolean).join(" ")}>
      <legend>Dagordning</legend>
      <p className="hint" id="field-agenda-hint">
        {hydrated ? `Tomma rader hoppas över. Högst ${MAX_AGENDA_ROWS} punkter.` : "Tomma rader hoppas över. Spara och öppna formuläret igen för fler rader."}
      </p>
      {error ? (
        <p className="field-error" id="field-agenda-error">
          {error}
        </p>
      ) : null}
      <ol className="agenda-rows">
        {rows.map((row, index) => (
          <li key={row.key}>
            <div className="form-row">
              <Field label={`Punkt ${index + 1}: rubrik`} name="agendaTitle" id={`agenda-title-${row.key}`} defaultValue={row.title} />
              <Field label="Föredragande" name="agendaPresenter" id={`agenda-presenter-${row.key}`} defaultValue={row.presenter} />
              <Field label="Minuter" name="agendaMinutes" id={`agenda-minutes-${row.key}`} type="number" min={1} max={600} inputMode="numeric" defaultValue={row.minutes} />
            </div>
            {hydrated ? (
              <p className="agenda-row-actions">
                <button type="button" className="link-button" onClick={() => remove(row.key)}>
                  Ta bort punkt {index + 1}
                </button>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      {hydrated && rows.length < MAX_AGENDA_ROWS ? (
        <p>
          <button type="button" ref={addButton} className="button button--secondary" onClick={add}>
            Lägg till punkt
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}
