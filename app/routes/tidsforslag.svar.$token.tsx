import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AnswerFields, TallyList } from "../components/polls/poll-parts";
import { FormError, FormSuccess } from "../components/ui/field";
import { badRequest } from "../domain/http-errors";
import { unansweredText } from "../domain/polls/labels";
import { verifyPollToken } from "../domain/polls/poll-links.server";
import { answerPollByLink, lastAnswerDay, loadPollLinkTarget, pollIsAnswerable, pollSlotWhen } from "../domain/polls/polls.server";
import { asFormResult, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Svara på tidsförslag – Samverkansportalen" }, { name: "robots", content: "noindex" }];

/**
 * The personal link from a poll mail. Opening it changes nothing (mail scanners follow links);
 * only the form's post saves answers. The signed token is the authority: no sign-in.
 */
function verified(token: string | undefined) {
  const result = verifyPollToken(token ?? "");
  if (!result.ok) {
    if (result.reason === "expired") throw Response.json({ error: "expired", message: "Länken till tidsförslaget har gått ut. Kontakta den som skickade förslaget." }, { status: 410 });
    throw badRequest("Länken till tidsförslaget är ogiltig. Kontrollera att du har öppnat hela länken från mejlet.");
  }
  return result;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const claim = verified(params.token);
  const { participant, poll, networkName, slots, tally, mine, chosen } = await loadPollLinkTarget(db(), claim);
  return {
    name: participant.name,
    poll: {
      title: poll.title,
      description: poll.description,
      place: poll.place,
      videoUrl: poll.videoUrl,
      networkName,
      lastAnswerDay: lastAnswerDay(poll.closesAt),
      open: pollIsAnswerable(poll),
      status: poll.status,
      chosen,
    },
    slots: slots.map((slot) => ({ id: slot.id, when: pollSlotWhen(slot.startsAt, slot.endsAt), startsAtIso: slot.startsAt.toISOString() })),
    // Once decided, the chosen time is what counts: no time is marked as the best any more.
    tally: poll.status === "oppen" ? tally : tally.map((item) => ({ ...item, best: false })),
    mine,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const claim = verified(params.token);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    const { changed, unanswered } = await answerPollByLink(db(), claim, values);
    const message = [changed ? "Tack! Dina svar är sparade." : "Tack! Dina svar var redan sparade och är oförändrade.", unansweredText(unanswered)].filter(Boolean).join(" ");
    return { ok: true as const, message, fieldErrors: {} as Record<string, string> };
  });
}

export default function PollAnswerPage() {
  const { name, poll, slots, tally, mine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  // "Nothing answered" is told beside the times it concerns; other refusals above the form.
  const answersError = result && !result.ok ? result.fieldErrors.answers : undefined;
  const refusal = result && !result.ok && !answersError ? result.message : null;
  return (
    <div className="narrow-wide stack">
      <h1>Svara på tidsförslag</h1>
      <section className="card" aria-labelledby="forslaget">
        <h2 id="forslaget">{poll.title}</h2>
        <p>
          Nätverket {poll.networkName}
          {poll.place ? (
            <>
              <br />
              Plats: {poll.place}
            </>
          ) : null}
          {poll.videoUrl ? (
            <>
              <br />
              Via video
            </>
          ) : null}
          <br />
          <span className="muted">Sista svarsdag: {poll.lastAnswerDay}</span>
        </p>
        {poll.description ? <p className="pre-line">{poll.description}</p> : null}
      </section>
      {/* A late answer (the poll closed while the page was open) is refused and told here, where the form was. */}
      {!poll.open ? <FormError message={refusal} /> : null}
      {poll.status === "vald" ? (
        <div className="alert alert--ok" role="status">
          <p>
            <strong>{`En tid är vald: ${poll.chosen}.`}</strong>
          </p>
          <p>Tidsförslaget är stängt och tar inte emot fler svar. Du får en inbjudan med kalenderfil i ett separat mejl.</p>
        </div>
      ) : !poll.open ? (
        <div className="alert alert--warn" role="status">
          Tidsförslaget tar inte längre emot svar.
        </div>
      ) : (
        <section aria-labelledby="dina-svar">
          <h2 id="dina-svar">Dina svar</h2>
          <p>
            Hej {name}! Svara Ja, Om nödvändigt eller Nej för de tider du kan ta ställning till. En tid som du lämnar tom räknas som inte svarat. Du kan
            ändra dina svar med samma länk fram till sista svarsdagen.
          </p>
          {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
          {refusal ? <FormError message={refusal} /> : null}
          {/* The server checks the answers and tells what is wrong in Swedish; no browser bubbles. */}
          <Form method="post" noValidate>
            <AnswerFields slots={slots} answers={mine} error={answersError} />
            <button type="submit" className="button" aria-disabled={busy}>
              {busy ? "Sparar…" : "Spara svar"}
            </button>
          </Form>
        </section>
      )}
      <section aria-labelledby="lagesbild">
        <h2 id="lagesbild">{poll.open ? "Så här har alla svarat" : "Så här svarade alla"}</h2>
        <TallyList slots={slots} tally={tally} />
      </section>
    </div>
  );
}
