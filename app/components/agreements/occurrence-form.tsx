import { CommandForm } from "../networks/command-form";
import { Field } from "../ui/field";

/**
 * Logs a medborgarlöfte's occurrence without leaving the page. A refused field (an impossible
 * date, a bad quantity) is told beside that field, with or without JavaScript, and keeps what was
 * typed; after a success the form is emptied.
 */
export function OccurrenceForm({ unit }: { unit: string }) {
  return (
    <CommandForm intent="log" submitLabel="Registrera">
      {(form) => (
        <>
          <div className="form-row">
            <Field label="Datum" {...form.field("occurredOn")} id="occurrence-date" type="date" required />
            <Field
              label={`Antal ${unit}`}
              id="occurrence-quantity"
              inputMode="numeric"
              required
              {...form.field("quantity", "1")}
            />
          </div>
          <Field
            label="Anteckning (visas inte publikt)"
            {...form.field("note")}
            id="occurrence-note"
            hint="Skriv inte namn på enskilda personer."
          />
        </>
      )}
    </CommandForm>
  );
}
