import { useEffect, useRef, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import { usePostedResult } from "../ui/posted-result";

export type CommandResult = { ok: boolean; message: string; fieldErrors?: Record<string, string>; sent?: Record<string, string> };

/** What a form's fields need from a refused answer: the error beside each field and what was sent. */
export type CommandFields = {
  /** The refusal of one field, to show beside it; undefined when the field is fine. */
  error(name: string): string | undefined;
  /** What was sent in the field when the post was refused, so nothing typed is lost; undefined otherwise. */
  sent(name: string): string | undefined;
  /**
   * A field's name with its refusal and what was sent in it, else `stored` (what the form edits),
   * to spread on a `Field`, `TextArea` or `Select`.
   */
  field(name: string, stored?: string): { name: string; defaultValue: string | undefined; error: string | undefined };
};

/**
 * A small form for one command: posts without leaving the page, then tells the outcome in
 * Swedish (announced by screen readers) and clears itself after a success.
 *
 * Children given as a function get the refused post and mark each refused field beside it
 * (every field but the hidden ones); the form's own line then points to them. Without
 * JavaScript the page comes back with the action's answer, which belongs to this form when its
 * intent and hidden fields are the ones that were sent.
 */
export function CommandForm({
  intent,
  children,
  submitLabel,
  busyLabel = "Sparar…",
  hidden = {},
  className = "stack",
  secondary = false,
  tone,
}: {
  intent: string;
  children?: ReactNode | ((fields: CommandFields) => ReactNode);
  submitLabel: string;
  busyLabel?: string;
  hidden?: Record<string, string>;
  className?: string;
  secondary?: boolean;
  /** "danger" when the command removes or takes away something: the button takes the quiet danger look. */
  tone?: "danger";
}) {
  const fetcher = useFetcher<CommandResult>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const posted = usePostedResult<CommandResult>(intent, hidden);
  const result = fetcher.state === "idle" ? (fetcher.data ?? posted) : undefined;
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);

  const refused = result && !result.ok ? result : undefined;
  const error = (name: string) => refused?.fieldErrors?.[name];
  const sent = (name: string) => refused?.sent?.[name];
  const fields: CommandFields = { error, sent, field: (name, stored) => ({ name, defaultValue: sent(name) ?? stored, error: error(name) }) };
  const message = typeof children === "function" ? formMessage(result, ["intent", ...Object.keys(hidden)]) : result?.message;
  const look = tone === "danger" ? " button--danger-quiet" : secondary ? " button--secondary" : "";
  return (
    <fetcher.Form method="post" ref={form} className={className}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {typeof children === "function" ? children(fields) : children}
      <div>
        <button type="submit" className={`button${look}`} aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
      {result ? (
        <p className={result.ok ? "muted" : "field-error"} role={result.ok ? "status" : "alert"}>
          {message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

/**
 * The line under a form whose fields show their own errors: a refusal that only repeats one of
 * them points to the marked fields instead, unless a hidden field was refused (the page is old).
 */
function formMessage(result: CommandResult | undefined, hiddenNames: string[]) {
  const errors = result?.fieldErrors ?? {};
  const marked = Object.keys(errors).filter((name) => !hiddenNames.includes(name));
  if (!result || result.ok || !marked.some((name) => errors[name] === result.message)) return result?.message;
  const hiddenRefusal = Object.keys(errors).find((name) => hiddenNames.includes(name));
  if (hiddenRefusal) return errors[hiddenRefusal];
  return marked.length === 1 ? "Kontrollera det markerade fältet." : "Kontrollera de markerade fälten.";
}
