import { z } from "zod";

/**
 * An e-mail address as people type it: trimmed, lower-cased, checked. A module of its own with
 * nothing but zod, so that every form and link parser can use it without pulling in the mail
 * queue (which itself loads every template's data loader).
 */
export const emailSchema = z
  .string({ error: "Ange en e-postadress." })
  .trim()
  .toLowerCase()
  .min(1, "Ange en e-postadress.")
  .max(254, "E-postadressen är för lång.")
  .pipe(z.email("Ange en giltig e-postadress, t.ex. namn@stockholm.se."));
