import { data } from "@remix-run/node";
import type { z } from "zod";
import { valuesFromPost } from "../../components/meetings/meeting-form";
import { redirectWithFlash } from "../../server/flash.server";
import { asFormResult, parseValues, readFormValues } from "../../server/forms.server";
import { meetingFormSchema } from "./meetings.server";

/**
 * The action behind the meeting form, for a new meeting and for a change: checks the fields,
 * saves through `save` (which returns the meeting's id and what to tell on its page) and goes to
 * the meeting. On any refusal the form comes back with what was typed and the reasons beside the
 * fields.
 */
export async function meetingFormAction(request: Request, save: (input: z.infer<typeof meetingFormSchema>) => Promise<{ meetingId: string; message: string }>) {
  const raw = await readFormValues(request);
  const values = valuesFromPost(raw);
  const parsed = parseValues(raw, meetingFormSchema);
  if (!parsed.ok) {
    return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  }
  return asFormResult(
    async () => {
      const { meetingId, message } = await save(parsed.data);
      return redirectWithFlash(`/moten/${meetingId}`, message);
    },
    { values },
  );
}
