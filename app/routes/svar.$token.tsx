import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, FormSuccess } from "../components/ui/field";
import { badRequest, conflict } from "../domain/http-errors";
import { verifyAnswerToken } from "../domain/meetings/answer-links.server";
import { inviteeGreeting } from "../domain/meetings/invitee-names";
import { answerLabels, closedForAnswers } from "../domain/meetings/labels";
import { answerSchema, loadAnswerTarget, meetingWhen, respondByLink } from "../domain/meetings/meetings.server";
import { parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Svara på inbjudan – Samverkansportalen" }, { name: "robots", content: "noindex" }];

/**
 * The answer link from a meeting mail. Opening it changes nothing (mail scanners follow links);
 * only the button on the page records the answer. The signed token is the authority: no sign-in.
 */
async function verified(token: string | undefined) {
  const result = verifyAnswerToken(token ?? "");
  if (!result.ok) {
    if (result.reason === "expired") throw Response.json({ error: "expired", message: "Svarslänken har gått ut. Kontakta den som kallade till mötet om du vill ändra ditt svar." }, { status: 410 });
    throw badRequest("Svarslänken är ogiltig. Kontrollera att du har öppnat hela länken från mejlet.");
  }
  const target = await loadAnswerTarget(db(), result);
  if (target.meeting.status !== "planerat") throw conflict(closedForAnswers(target.meeting.status));
  return { claim: result, ...target };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { claim, invitee, meeting, networkName } = await verified(params.token);
  return {
    answer: claim.answer,
    greeting: inviteeGreeting(invitee),
    current: invitee.response,
    comment: invitee.comment,
    meeting: { title: meeting.title, when: meetingWhen(meeting.startsAt, meeting.endsAt), place: meeting.place, videoUrl: meeting.videoUrl, networkName },
  };
}

const commentSchema = answerSchema.pick({ comment: true });

export async function action({ request, params }: ActionFunctionArgs) {
  const { claim } = await verified(params.token);
  const parsed = parseValues(await readFormValues(request), commentSchema);
  if (!parsed.ok) return data({ ok: false, message: parsed.fieldErrors.comment ?? "Kontrollera kommentaren.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  await respondByLink(db(), claim, parsed.data.comment);
  return { ok: true, message: `Tack! Ditt svar ${answerLabels[claim.answer]} är sparat.`, fieldErrors: {} as Record<string, string> };
}

export default function AnswerPage() {
  const { answer, greeting, current, comment, meeting } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="narrow stack">
      <h1>Svara på inbjudan</h1>
      <section className="card" aria-labelledby="motet">
        <h2 id="motet">{meeting.title}</h2>
        <p>
          {meeting.when}
          {meeting.place ? (
            <>
              <br />
              {meeting.place}
            </>
          ) : null}
          {meeting.videoUrl ? (
            <>
              <br />
              Via video
            </>
          ) : null}
          <br />
          <span className="muted">Nätverket {meeting.networkName}</span>
        </p>
      </section>
      {result?.ok ? (
        <FormSuccess>{result.message}</FormSuccess>
      ) : (
        <>
          <p>
            {greeting} Du svarar <strong>{answerLabels[answer]}</strong> på inbjudan.
            {current ? ` Ditt nuvarande svar är ${answerLabels[current]}.` : ""}
          </p>
          {result && !result.ok ? <FormError message={result.message} /> : null}
          <Form method="post">
            <div className="field">
              <label htmlFor="svar-kommentar">
                Kommentar (valfri)
                <span className="hint">Högst 500 tecken. Visas för mötets samordnare.</span>
              </label>
              <textarea id="svar-kommentar" name="comment" rows={3} maxLength={500} defaultValue={comment} />
            </div>
            <button type="submit" className="button" aria-disabled={busy}>
              {busy ? "Sparar…" : `Svara ${answerLabels[answer]}`}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
