import { data } from "@remix-run/node";
import type { z } from "zod";
import { asFormResult, parseValues, sentFields } from "./forms.server";

/**
 * Parses a form post with one intent schema and runs its command; the answer is a message for
 * the form ({ ok, message, fieldErrors }), refusals in Swedish, nothing stored on a bad post.
 * The answer also carries what was sent (`sent`), so that a page rendered without JavaScript can
 * tell the outcome at the form that was sent, and on a refusal mark its fields and keep what was
 * typed in them.
 */
export async function runIntent<S extends z.ZodType>(values: Record<string, string | string[]>, schema: S, run: (input: z.infer<S>) => Promise<string>) {
  const sent = sentFields(values);
  const parsed = parseValues(values, schema);
  if (!parsed.ok) {
    const message = Object.values(parsed.fieldErrors)[0] ?? "Kontrollera uppgifterna.";
    return data({ ok: false as const, message, fieldErrors: parsed.fieldErrors, sent }, { status: 400 });
  }
  return asFormResult(async () => ({ ok: true as const, message: await run(parsed.data), fieldErrors: {} as Record<string, string>, sent }), { sent });
}
