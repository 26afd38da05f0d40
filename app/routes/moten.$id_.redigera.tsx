import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { MeetingForm, type MeetingFormValues } from "../components/meetings/meeting-form";
import { OccurrenceScopeFields } from "../components/meetings/recurrence-fields";
import { conflict, requireId } from "../domain/http-errors";
import { getMeeting, MEETING_CHANGED_MEANWHILE, meetingFormValues, updateMeeting } from "../domain/meetings/meetings.server";
import { reminderLabel } from "../domain/meetings/reminder-choices";
import type { Actor } from "../domain/policy";
import { FORBIDDEN_MESSAGE } from "../domain/policy";
import { meetingChangedMessage, occurrenceChangedMessage } from "../domain/meetings/confirmations";
import { meetingFormAction } from "../domain/meetings/meeting-form-action.server";
import { partOfSeries, updateOccurrence } from "../domain/meetings/series.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Ändra ${data?.title ?? "möte"} – Samverkansportalen` }];

/** The edit form's values as the meeting is stored now, with its version. */
async function storedFormValues(user: Actor, meetingId: string) {
  const { meeting, agenda, networkName, can } = await getMeeting(db(), user, meetingId);
  return {
    meeting,
    networkName,
    can,
    values: {
      ...meetingFormValues(meeting),
      agenda: agenda.map((item) => ({ title: item.title, presenter: item.presenter, minutes: item.minutes ? String(item.minutes) : "" })),
      extraEmails: "",
      version: meeting.updatedAt.toISOString(),
    },
  };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { meeting, networkName, can, values } = await storedFormValues(user, requireId(params.id));
  if (meeting.status !== "planerat") throw conflict("Ett inställt möte kan inte ändras.");
  if (!can.edit) throw Response.json({ message: FORBIDDEN_MESSAGE }, { status: 403 });
  return { id: meeting.id, title: meeting.title, networkName, inSeries: meeting.seriesId !== null, values };
}

type StoredValues = Awaited<ReturnType<typeof storedFormValues>>["values"];

/** Where the stored meeting differs from what was typed: each field as it is stored now. */
function storedDifferences(typed: MeetingFormValues, stored: StoredValues) {
  const agenda = (rows: MeetingFormValues["agenda"]) =>
    (rows ?? []).filter((row) => row.title.trim()).map((row) => [row.title.trim(), row.presenter.trim(), row.minutes.trim() ? `${row.minutes.trim()} min` : ""].filter(Boolean).join(", "));
  const reminders = (offsets: string[]) => offsets.map((minutes) => reminderLabel(Number(minutes))).join(", ") || "Inga";
  const fields: Array<[string, string, string]> = [
    ["Rubrik", typed.title?.trim() ?? "", stored.title],
    ["Tid", `${typed.date} ${typed.startTime}–${typed.endTime}`, `${stored.date} ${stored.startTime}–${stored.endTime}`],
    ["Plats", typed.place?.trim() ?? "", stored.place],
    ["Videolänk", typed.videoUrl?.trim() ?? "", stored.videoUrl],
    ["Beskrivning", typed.description?.trim() ?? "", stored.description],
    ["Dagordning", agenda(typed.agenda).join("\n"), agenda(stored.agenda).join("\n")],
    ["Påminnelser", typed.reminders === undefined ? reminders(stored.reminders) : reminders(typed.reminders), reminders(stored.reminders)],
  ];
  return fields.filter(([, mine, now]) => mine !== now).map(([label, , now]) => ({ label, now: now || "–" }));
}

const SAVE_AGAIN_TO_REPLACE =
  "Mötet har ändrats av någon annan sedan du öppnade sidan. Här nedan ser du vad som gäller nu där det skiljer sig från det du har skrivit. Spara igen för att ersätta det med dina uppgifter, eller ladda om sidan för att börja om från det som gäller nu.";

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const result = (await partOfSeries(db(), meetingId))
    ? await (async () => {
        const scope = (await request.clone().formData().catch(() => null))?.get("scope") ?? undefined;
        return meetingFormAction(request, async (input) => {
          const outcome = await updateOccurrence(db(), user, meetingId, input, scope);
          return { meetingId: outcome.meetingId, message: occurrenceChangedMessage(outcome) };
        });
      })()
    : await meetingFormAction(request, async (input) => ({ meetingId, message: meetingChangedMessage(await updateMeeting(db(), user, meetingId, input)) }));
  // Someone else saved meanwhile: the form keeps what was typed, shows what is stored now, and
  // carries the stored version, so that saving again replaces it knowingly.
  if ("data" in result && result.init?.status === 409 && result.data.message === MEETING_CHANGED_MEANWHILE) {
    const stored = await storedFormValues(user, meetingId);
    const typed = result.data.values;
    return data(
      { ...result.data, message: SAVE_AGAIN_TO_REPLACE, values: { ...typed, version: stored.values.version }, storedNow: storedDifferences(typed, stored.values) },
      { status: 409 },
    );
  }
  return result;
}

export default function EditMeetingPage() {
  const { id, title, networkName, inSeries, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const storedNow = result && "storedNow" in result ? (result.storedNow as ReturnType<typeof storedDifferences>) : [];
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/moten/${id}`}>← {title}</Link>
      </p>
      <h1>Ändra mötet</h1>
      <p className="muted">När du sparar en ändring får alla inbjudna ett mejl med den uppdaterade kalenderfilen.</p>
      {storedNow.length > 0 ? (
        <section className="alert alert--warn" aria-labelledby="sparat-nu">
          <h2 id="sparat-nu">Det här gäller nu</h2>
          <dl className="details">
            {storedNow.map(({ label, now }) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd className="pre-line">{now}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
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
