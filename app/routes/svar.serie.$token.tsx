import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, FormSuccess } from "../components/ui/field";
import { badRequest } from "../domain/http-errors";
import { answerLabels } from "../domain/meetings/labels";
import { answerSchema } from "../domain/meetings/meetings.server";
import { verifySeriesAnswerToken } from "../domain/meetings/series-answer-links.server";
import { loadSeriesAnswerTarget, respondToSeriesByLink } from "../domain/meetings/series.server";
import { parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";
import { inviteeGreeting } from "../domain/meetings/invitee-names";

export const meta: MetaFunction = () => [{ title: "Svara på inbjudan till mötesserie – Samverkansportalen" }, { name: "robots", content: "noindex" }];

/**
 * The answer link from a series mail: one answer for every coming meeting of the series.
 * Opening it changes nothing (mail scanners follow links); only the button records the answer.
 */
async function verified(token: string | undefined) {
  const result = verifySeriesAnswerToken(token ?? "");
  if (!result.ok) {
    if (result.reason === "expired") throw Response.json({ error: "expired", message: "Svarslänken har gått ut. Kontakta den som kallade till mötet om du vill ändra ditt svar." }, { status: 410 });
    throw badRequest("Svarslänken är ogiltig. Kontrollera att du har öppnat hela länken från mejlet.");
  }
  return { claim: result, ...(await loadSeriesAnswerTarget(db(), result)) };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { claim, invitee, series, description, networkName, coming } = await verified(params.token);
  return {
    answer: claim.answer,
    greeting: inviteeGreeting(invitee),
    comingCount: coming.length,
    series: { title: series.title, description, place: series.place, videoUrl: series.videoUrl, networkName },
  };
}

const commentSchema = answerSchema.pick({ comment: true });

export async function action({ request, params }: ActionFunctionArgs) {
  const { claim } = await verified(params.token);
  const parsed = parseValues(await readFormValues(request), commentSchema);
  if (!parsed.ok) return data({ ok: false, message: parsed.fieldErrors.comment ?? "Kontrollera kommentaren.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  await respondToSeriesByLink(db(), claim, parsed.data.comment);
  return { ok: true, message: `Tack! Ditt svar ${answerLabels[claim.answer]} är sparat för alla kommande möten i serien.`, fieldErrors: {} as Record<string, string> };
}

export default function SeriesAnswerPage() {
  const { answer, greeting, comingCount, series } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="narrow stack">
      <h1>Svara på inbjudan till mötesserie</h1>
      <section className="card" aria-labelledby="serien">
        <h2 id="serien">{series.title}</h2>
        <p>
          {series.description}
          {series.place ? (
            <>
              <br />
              {series.place}
            </>
          ) : null}
          {series.videoUrl ? (
            <>
              <br />
              Via video
            </>
          ) : null}
          <br />
          <span className="muted">Nätverket {series.networkName}</span>
        </p>
      </section>
      {result?.ok ? (
        <FormSuccess>{result.message}</FormSuccess>
      ) : (
        <>
          <p>
            {greeting} Du svarar <strong>{answerLabels[answer]}</strong> på alla {comingCount} kommande möten i serien. Enstaka möten kan du svara på i portalen
            eller via länkarna i mejl om ett ändrat möte.
          </p>
          {result && !result.ok ? <FormError message={result.message} /> : null}
          <Form method="post">
            <div className="field">
              <label htmlFor="svar-kommentar">
                Kommentar (valfri)
                <span className="hint">Högst 500 tecken. Visas för mötets samordnare.</span>
              </label>
              <textarea id="svar-kommentar" name="comment" rows={3} maxLength={500} />
            </div>
            <button type="submit" className="button" aria-disabled={busy}>
              {busy ? "Sparar…" : `Svara ${answerLabels[answer]} på alla kommande möten`}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
