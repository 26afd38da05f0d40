import { useEffect, useRef, useState } from "react";
import { Field } from "../ui/field";
import { useHydrated } from "../ui/hydrated";

export type RecurrenceValues = { repeat?: string; repeatEnd?: string; repeatCount?: string; repeatUntil?: string };

export function recurrenceValuesFromPost(raw: Record<string, string | string[]>): RecurrenceValues {
  const one = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
  return { repeat: one("repeat") || "none", repeatEnd: one("repeatEnd"), repeatCount: one("repeatCount"), repeatUntil: one("repeatUntil") };
}

const REPEAT_OPTIONS = [
  ["none", "Upprepas inte"],
  ["weekly", "Varje vecka (samma veckodag)"],
  ["biweekly", "Varannan vecka (samma veckodag)"],
  ["monthly-weekday", "Varje månad på samma veckodag, t.ex. första torsdagen"],
  ["monthly-date", "Varje månad på samma datum (1–28)"],
] as const;

/**
 * "Upprepa": a recurring series, with its end as a date or a number of meetings (at most 52). The
 * end only applies to a series: with JavaScript it is shown once a repetition is chosen; without,
 * it is always there, its legend saying so.
 */
export function RecurrenceFields({ values, errors }: { values: RecurrenceValues; errors: Record<string, string> }) {
  const hydrated = useHydrated();
  const select = useRef<HTMLSelectElement>(null);
  const [repeat, setRepeat] = useState(values.repeat ?? "none");
  // The browser may have restored another choice than the server drew (back, reload).
  useEffect(() => setRepeat(select.current?.value ?? "none"), []);
  const error = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`field-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <fieldset aria-describedby={["field-repeat-hint", errors.repeat ? "field-repeat-error" : null].filter(Boolean).join(" ")}>
      <legend>Upprepa</legend>
      <p className="hint" id="field-repeat-hint">
        Veckodagen eller datumet tas från mötets datum. Alla möten i serien får samma tid i svensk tid, även när sommartiden börjar eller slutar. Högst 52 möten.
      </p>
      <div className="field">
        <label htmlFor="field-repeat">Upprepning</label>
        <select
          ref={select}
          id="field-repeat"
          name="repeat"
          defaultValue={values.repeat ?? "none"}
          aria-invalid={errors.repeat ? true : undefined}
          aria-describedby={errors.repeat ? "field-repeat-error" : undefined}
          onChange={(event) => setRepeat(event.currentTarget.value)}
        >
          {REPEAT_OPTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {error("repeat")}
      </div>
      <fieldset id="field-repeatEnd" hidden={hydrated && repeat === "none"} aria-describedby={errors.repeatEnd ? "field-repeatEnd-error" : undefined}>
        <legend>Serien slutar (om mötet upprepas)</legend>
        {error("repeatEnd")}
        <label className="checkbox">
          <input type="radio" name="repeatEnd" value="count" defaultChecked={values.repeatEnd === "count"} />
          Efter ett antal möten
        </label>
        <Field label="Antal möten" name="repeatCount" type="number" min={2} max={52} inputMode="numeric" defaultValue={values.repeatCount} error={errors.repeatCount} />
        <label className="checkbox">
          <input type="radio" name="repeatEnd" value="until" defaultChecked={values.repeatEnd === "until"} />
          Till och med en viss dag
        </label>
        <Field label="Sista dag" name="repeatUntil" type="date" defaultValue={values.repeatUntil} error={errors.repeatUntil} />
      </fieldset>
    </fieldset>
  );
}

/** For an occurrence of a series: which meetings a change or cancellation applies to. */
export function OccurrenceScopeFields({ error, verb }: { error?: string; verb: string }) {
  return (
    <fieldset id="field-scope" aria-describedby={error ? "field-scope-error" : undefined}>
      <legend>Mötet ingår i en serie. Vilka möten vill du {verb}?</legend>
      {error ? (
        <p className="field-error" id="field-scope-error">
          {error}
        </p>
      ) : null}
      <label className="checkbox">
        <input type="radio" name="scope" value="this" required />
        Bara detta möte
      </label>
      <label className="checkbox">
        <input type="radio" name="scope" value="following" required />
        Detta och följande (serien delas: de följande mötena blir en ny serie och de inbjudna får en ny inbjudan att svara på)
      </label>
    </fieldset>
  );
}
