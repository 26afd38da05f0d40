import { useEffect, useRef, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";

export type CommandResult = { ok: boolean; message: string; fieldErrors?: Record<string, string> };

/**
 * A small form for one command on the network page: posts without leaving the page, then tells
 * the outcome in Swedish (announced by screen readers) and clears itself after a success.
 */
export function CommandForm({
  intent,
  children,
  submitLabel,
  busyLabel = "Sparar…",
  hidden = {},
  className = "stack",
  secondary = false,
}: {
  intent: string;
  children?: ReactNode;
  submitLabel: string;
  busyLabel?: string;
  hidden?: Record<string, string>;
  className?: string;
  secondary?: boolean;
}) {
  const fetcher = useFetcher<CommandResult>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <fetcher.Form method="post" ref={form} className={className}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <div>
        <button type="submit" className={`button${secondary ? " button--secondary" : ""}`} aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
      {result ? (
        <p className={result.ok ? "muted" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
