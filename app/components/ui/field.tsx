import { useEffect, useRef, type InputHTMLAttributes, type MouseEvent, type ReactNode } from "react";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  hint?: string;
  error?: string;
};

/** A labelled input whose hint and error are announced with it. */
export function Field({ label, name, hint, error, id, ...input }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const describedBy = [hint ? `${inputId}-hint` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>
        {label}
        {hint ? (
          <span className="hint" id={`${inputId}-hint`}>
            {hint}
          </span>
        ) : null}
      </label>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <p className="field-error" id={`${inputId}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type FormErrorProps = {
  message?: string | null;
  /**
   * The refused post's errors by field name. With any, the message becomes an error summary: each
   * error a link to its field (`#field-<name>`, as `Field` names its input; a group of fields gives
   * its fieldset that id), and the summary takes the focus, so that it is read out first.
   */
  fieldErrors?: Record<string, string> | null;
  /** The fields' order on the page, which the summary follows; fields not named come last. */
  fieldOrder?: readonly string[];
};

/** A form's refusal: a message, or with field errors an error summary (GOV.UK, Designsystemet). */
export function FormError({ message, fieldErrors, fieldOrder = [] }: FormErrorProps) {
  const errors = Object.entries(fieldErrors ?? {}).filter(([, text]) => text);
  if (errors.length > 0) {
    const place = (name: string) => (fieldOrder.includes(name) ? fieldOrder.indexOf(name) : fieldOrder.length);
    errors.sort(([a], [b]) => place(a) - place(b));
    return <ErrorSummary title={message || "Kontrollera de markerade fälten."} errors={errors} refused={fieldErrors} />;
  }
  if (!message) return null;
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}

/**
 * A form's success: the message in a polite status box, read out without taking the focus.
 * FormError's counterpart; the caller decides when it shows.
 */
export function FormSuccess({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert--ok" role="status">
      {children}
    </div>
  );
}

/** What a form's action answered, told at the form: its success, or its refusal (nothing before a post). */
export function FormOutcome({ result }: { result: { ok: boolean; message?: string } | undefined }) {
  if (!result) return null;
  return result.ok ? <FormSuccess>{result.message}</FormSuccess> : <FormError message={result.message} />;
}

/** Not a field of the form: the whole post was refused (see parseValues). */
const WHOLE_FORM = "form";

function ErrorSummary({ title, errors, refused }: { title: string; errors: Array<[string, string]>; refused: unknown }) {
  const summary = useRef<HTMLDivElement>(null);
  // Each refused post (a new errors object) moves the focus here, so the summary is read out and
  // its first link is one Tab away; without JavaScript it is the top of the form anyway.
  useEffect(() => summary.current?.focus(), [refused]);
  return (
    <div ref={summary} className="alert alert--error error-summary" tabIndex={-1}>
      <div role="alert">
        <h2>{title}</h2>
        <ul>
          {errors.map(([name, text]) => (
            <li key={name}>
              {name === WHOLE_FORM ? (
                text
              ) : (
                <a href={`#field-${name}`} onClick={(event) => focusField(event, `field-${name}`)}>
                  {text}
                </a>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/**
 * Follows a summary link: the field (or a group's first invalid or first field) gets the focus,
 * and its label or legend is scrolled into view with it, which a plain jump to the id would hide.
 */
function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  const field = target.matches("input, select, textarea")
    ? target
    : target.querySelector<HTMLElement>('[aria-invalid="true"], input:not([type="hidden"]), select, textarea');
  if (!field) return;
  event.preventDefault();
  const caption = target.matches("fieldset") ? target.querySelector("legend") : document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  (caption ?? field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
}
