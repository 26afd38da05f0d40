import { useEffect, useRef } from "react";
import { useFetcher } from "@remix-run/react";
import { Field } from "../ui/field";

type LogResult = { ok: boolean; message: string; fieldErrors?: Record<string, string> };

/**
 * Logs a medborgarlöfte's occurrence without leaving the page. A refused field (an impossible
 * date, a bad quantity) is told beside that field; after a success the form is emptied.
 */
export function OccurrenceForm({ unit }: { unit: string }) {
  const fetcher = useFetcher<LogResult>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <fetcher.Form method="post" ref={form} className="stack">
      <input type="hidden" name="intent" value="log" />
      <div className="form-row">
        <Field label="Datum" name="occurredOn" id="occurrence-date" type="date" required error={errors.occurredOn} />
        <Field label={`Antal ${unit}`} name="quantity" id="occurrence-quantity" inputMode="numeric" defaultValue="1" required error={errors.quantity} />
      </div>
      <Field label="Anteckning (visas inte publikt)" name="note" id="occurrence-note" hint="Skriv inte namn på enskilda personer." error={errors.note} />
      <div>
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? "Sparar…" : "Registrera"}
        </button>
      </div>
      {result && (result.ok || Object.keys(errors).length === 0) ? (
        <p className={result.ok ? "muted" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      {result && !result.ok && Object.keys(errors).length > 0 ? (
        <p className="visually-hidden" role="alert">
          {result.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
