import { data } from "@remix-run/node";
import type { z } from "zod";
import { z as zod } from "zod";

// Swedish messages for every schema that does not give its own.
zod.config(zod.locales.sv());
import { badRequest } from "../domain/http-errors";

export type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: Record<string, string> };

/** Reads a form post and checks it with one schema; field errors come back in Swedish. */
export async function parseForm<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.infer<S>>> {
  return parseValues(await readFormValues(request), schema);
}

/** A form post's fields as strings (or lists of strings for repeated names); files are refused. */
export async function readFormValues(request: Request): Promise<Record<string, string | string[]>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("Formuläret kunde inte läsas. Ladda om sidan och försök igen.");
  }
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") throw badRequest("Filer kan inte skickas här.");
    if (key in values) values[key] = ([] as string[]).concat(values[key], value);
    else values[key] = value;
  }
  return values;
}

/** The posted fields that are plain strings, to send back as `sent` (see `usePostedResult`). */
export function sentFields(values: Record<string, string | string[]>) {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function parseValues<S extends z.ZodType>(values: unknown, schema: S): Parsed<z.infer<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}

/**
 * Runs a form's command; a refusal the person can act on (400, 404, 409, 429) comes back as a
 * message beside the form instead of an error page, so nothing typed is lost (`echo` is sent back
 * with it, e.g. the submitted values).
 */
export async function asFormResult<T, E extends Record<string, unknown> = Record<never, never>>(run: () => Promise<T>, echo?: E) {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response && [400, 404, 409, 429].includes(error.status)) {
      const body = (await error.json().catch(() => ({}))) as { message?: string; fieldErrors?: Record<string, string> };
      return data(
        { ok: false as const, message: body.message ?? "Det gick inte att spara.", fieldErrors: body.fieldErrors ?? {}, ...(echo as E) },
        { status: error.status },
      );
    }
    throw error;
  }
}
