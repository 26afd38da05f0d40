import { useActionData } from "@remix-run/react";

/** What a form's action answers: its message, the refused fields, and what was posted (`sent`). */
export type PostedResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; sent?: Record<string, string> };

/**
 * The page's own answer to a form posted without JavaScript (a whole-page post renders the page
 * again with the action's data), when it was this form that was posted: the action echoes the
 * posted fields as `sent`, and `intent` plus the fields in `match` (a row's id, say) tell which
 * form of the page it was. With JavaScript the form's fetcher has the answer instead.
 */
export function usePostedResult<T extends PostedResult>(intent: string, match: Record<string, string> = {}): T | undefined {
  const posted = useActionData() as T | undefined;
  const sent = posted?.sent;
  if (!sent || sent.intent !== intent) return undefined;
  return Object.entries(match).every(([name, value]) => sent[name] === value) ? posted : undefined;
}
