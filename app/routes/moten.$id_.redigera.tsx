import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { MeetingForm } from "../components/meetings/meeting-form";
import { OccurrenceScopeFields } from "../components/meetings/recurrence-fields";
import { conflict, requireId } from "../domain/http-errors";
import { getMeeting, meetingFormValues, updateMeeting } from "../domain/meetings/meetings.server";
import { FORBIDDEN_MESSAGE } from "../domain/policy";
import { meetingFormAction } from "../domain/meetings/meeting-form-action.server";
import { partOfSeries, updateOccurrence } from "../domain/meetings/series.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Ändra ${data?.title ?? "möte"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { meeting, agenda, networkName, can } = await getMeeting(db(), user, requireId(params.id));
  if (meeting.status !== "planerat") throw conflict("Ett inställt möte kan inte ändras.");
  if (!can.edit) throw Response.json({ message: FORBIDDEN_MESSAGE }, { status: 403 });
  return {
    id: meeting.id,
    title: meeting.title,
    networkName,
    inSeries: meeting.seriesId !== null,
    values: {
      ...meetingFormValues(meeting),
      agenda: agenda.map((item) => ({ title: item.title, presenter: item.presenter, minutes: item.minutes ? String(item.minutes) : "" })),
      extraEmails: "",
      version: meeting.updatedAt.toISOString(),
    },
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  if (await partOfSeries(db(), meetingId)) {
    const scope = (await request.clone().formData().catch(() => null))?.get("scope") ?? undefined;
    return meetingFormAction(request, async (input) => (await updateOccurrence(db(), user, meetingId, input, scope)).meetingId);
  }
  return meetingFormAction(request, async (input) => {
    await updateMeeting(db(), user, meetingId, input);
    return meetingId;
  });
}

export default function EditMeetingPage() {
  const { id, title, networkName, inSeries, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/moten/${id}`}>← {title}</Link>
      </p>
      <h1>Ändra mötet</h1>
      <p className="muted">När du sparar en ändring får alla inbjudna ett mejl med den uppdaterade kalenderfilen.</p>
      <MeetingForm
        mode="edit"
        values={result?.values ?? values}
        errors={(result?.fieldErrors ?? {}) as Record<string, string>}
        message={result?.message}
        cancelTo={`/moten/${id}`}
        networkName={networkName}
      >
        {inSeries ? <OccurrenceScopeFields verb="ändra" error={(result?.fieldErrors as Record<string, string> | undefined)?.scope} /> : null}
      </MeetingForm>
    </div>
  );
}
