import { data } from "@remix-run/node";
import { recurrenceValuesFromPost } from "../../components/meetings/recurrence-fields";
import { valuesFromPost } from "../../components/meetings/meeting-form";
import { redirectWithFlash } from "../../server/flash.server";
import { asFormResult, parseValues, readFormValues } from "../../server/forms.server";
import { db } from "../../server/portal.server";
import type { Actor } from "../policy";
import { meetingCreatedMessage, seriesCreatedMessage } from "./confirmations";
import { createMeeting, meetingFormSchema } from "./meetings.server";
import { planSeries, recurrenceFormSchema } from "./recurrence.server";
import { createMeetingSeries } from "./series.server";

/**
 * The new-meeting form: one meeting, or with "Upprepa" a series whose occurrences are all
 * stored at once. Any refusal brings the form back with what was typed and the reasons.
 */
export async function newMeetingFormAction(request: Request, actor: Actor, networkId: string) {
  const raw = await readFormValues(request);
  const values = { ...valuesFromPost(raw), ...recurrenceValuesFromPost(raw) };
  const meeting = parseValues(raw, meetingFormSchema);
  const recurrence = parseValues(raw, recurrenceFormSchema);
  const refuse = (fieldErrors: Record<string, string>) => data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors, values }, { status: 400 });
  if (!meeting.ok || !recurrence.ok) return refuse({ ...(meeting.ok ? {} : meeting.fieldErrors), ...(recurrence.ok ? {} : recurrence.fieldErrors) });
  if (!recurrence.data) {
    return asFormResult(async () => {
      const created = await createMeeting(db(), actor, networkId, meeting.data);
      return redirectWithFlash(`/moten/${created.id}`, meetingCreatedMessage(created.invited));
    }, { values });
  }
  const plan = planSeries(recurrence.data, String(raw.date).trim(), String(raw.startTime).trim(), String(raw.endTime).trim());
  if (!plan.ok) return refuse({ [plan.field]: plan.message });
  return asFormResult(async () => {
    const created = await createMeetingSeries(db(), actor, networkId, meeting.data, plan);
    return redirectWithFlash(`/moten/${created.firstMeetingId}`, seriesCreatedMessage(created.meetings, created.invited));
  }, { values });
}
