import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

function describedBy(id: string, hint?: string, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Label({ id, label, hint }: { id: string; label: string; hint?: string }) {
  return (
    <label htmlFor={id}>
      {label}
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </label>
  );
}

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** A labelled text area whose hint and error are announced with it. */
export function TextArea({ label, name, hint, error, id, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; hint?: string; error?: string }) {
  const fieldId = id ?? `field-${name}`;
  return (
    <div className="field">
      <Label id={fieldId} label={label} hint={hint} />
      <textarea id={fieldId} name={name} rows={4} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, hint, error)} {...rest} />
      <ErrorText id={fieldId} error={error} />
    </div>
  );
}

/** A labelled select. */
export function Select({
  label,
  name,
  hint,
  error,
  id,
  options,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; hint?: string; error?: string; options: Array<{ value: string; label: string }>; children?: ReactNode }) {
  const fieldId = id ?? `field-${name}`;
  return (
    <div className="field">
      <Label id={fieldId} label={label} hint={hint} />
      <select id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, hint, error)} {...rest}>
        {children}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorText id={fieldId} error={error} />
    </div>
  );
}

/** The reminder every place where people write in an agreement carries. */
export function WritingNotice() {
  return (
    <p className="hint">
      Skriv om åtgärder, platser och mål, inte om enskilda personer: uppgifter om enskilda hör inte hemma här. Portalen är inte avsedd för
      säkerhetsskyddsklassificerade uppgifter.
    </p>
  );
}

/**
 * Radio buttons for one choice, to put in a fieldset that names it; a refusal is told under them
 * and announced with each button.
 */
export function RadioChoice({ name, id, options, defaultValue, error }: { name: string; id: string; options: Array<{ value: string; label: string }>; defaultValue?: string; error?: string }) {
  return (
    <>
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input
            type="radio"
            name={name}
            value={option.value}
            defaultChecked={option.value === defaultValue}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />{" "}
          {option.label}
        </label>
      ))}
      <ErrorText id={id} error={error} />
    </>
  );
}
