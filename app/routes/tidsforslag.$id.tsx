import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useRevalidator, type FetcherWithComponents } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { liveStatusText, useLiveRoom } from "../components/live";
import { AnswerFields, bestText, tallyText, type SlotView } from "../components/polls/poll-parts";
import { ConfirmButton } from "../components/ui/confirm-button";
import { FormError, FormSuccess } from "../components/ui/field";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId } from "../domain/http-errors";
import { pollAnswerLabels, pollRoom, pollStatusLabels, unansweredText, type PollAnswerValue, type SlotTally } from "../domain/polls/labels";
import { answerPoll, closePoll, getPoll, lastAnswerDay, pickPollSlot, pollIsAnswerable, pollSlotWhen } from "../domain/polls/polls.server";
import { formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.poll.title ?? "Tidsförslag"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const found = await getPoll(db(), user, requireId(params.id));
  const { poll } = found;
  const chosen = found.slots.find((slot) => slot.id === poll.chosenSlotId);
  return {
    poll: {
      id: poll.id,
      networkId: poll.networkId,
      title: poll.title,
      description: poll.description,
      place: poll.place,
      videoUrl: poll.videoUrl,
      status: poll.status,
      open: pollIsAnswerable(poll),
      lastAnswerDay: lastAnswerDay(poll.closesAt),
      meetingId: poll.meetingId,
      chosenSlotId: chosen?.id ?? null,
      chosen: chosen ? pollSlotWhen(chosen.startsAt, chosen.endsAt) : null,
    },
    networkName: found.networkName,
    slots: found.slots.map((slot) => ({ id: slot.id, when: pollSlotWhen(slot.startsAt, slot.endsAt), startsAtIso: slot.startsAt.toISOString() })),
    tally: found.tally,
    participants: found.participants.map((participant) => ({
      id: participant.id,
      name: participant.name,
      isSelf: participant.isSelf,
      answered: participant.answeredAt !== null,
      answers: participant.answers,
    })),
    mine: found.mine ? { answers: found.mine.answers, answeredAt: found.mine.answeredAt ? formatDateTime(found.mine.answeredAt) : null } : null,
    can: found.can,
  };
}

const pickSchema = z.object({ slotId: z.uuid("Välj en av de föreslagna tiderna.") });

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const pollId = requireId(params.id);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    switch (values.intent) {
      case "answer": {
        const { changed, unanswered } = await answerPoll(db(), user, pollId, values);
        const message = [changed ? "Dina svar är sparade." : "Dina svar är oförändrade.", unansweredText(unanswered)].filter(Boolean).join(" ");
        return { ok: true, message, fieldErrors: {} as Record<string, string> };
      }
      case "pick": {
        const parsed = parseValues(values, pickSchema);
        if (!parsed.ok) throw badRequest(parsed.fieldErrors.slotId ?? "Välj en av de föreslagna tiderna.");
        // No redirect: the page shows the outcome and links to the meeting (it also changes live for everyone watching).
        await pickPollSlot(db(), user, pollId, parsed.data.slotId.toLowerCase());
        return { ok: true, message: "Mötet är planerat och inbjudningarna skickas.", fieldErrors: {} as Record<string, string> };
      }
      case "close":
        await closePoll(db(), user, pollId);
        return { ok: true, message: "Tidsförslaget är stängt.", fieldErrors: {} as Record<string, string> };
      default:
        throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    }
  });
}

type AnswerResult = { ok: boolean; message: string; fieldErrors: Record<string, string> };

export default function PollPage() {
  const { poll, networkName, slots, tally, participants, mine, can } = useLoaderData<typeof loader>();
  // Held here, not in the answer form: when the poll closes while someone answers, the form goes
  // away with the page's update, but the refusal must still be told.
  const answerFetcher = useFetcher<AnswerResult>();
  // Without JavaScript the answer form posts as a page (the confirm dialogs need JavaScript).
  const pageResult = useActionData<typeof action>() as AnswerResult | undefined;
  const answerResult = answerFetcher.data ?? pageResult;
  const decided = poll.status !== "oppen";
  const revalidator = useRevalidator();
  const live = useLiveRoom(pollRoom(poll.id), {
    "poll:answers": () => revalidator.revalidate(),
    "poll:changed": () => revalidator.revalidate(),
  });
  const answered = participants.filter((participant) => participant.answered).length;
  return (
    <div className="stack">
      <p>
        <Link to={`/natverk/${poll.networkId}`}>← {networkName}</Link>
      </p>
      <h1>{poll.title}</h1>
      <PollStatus poll={poll} />
      {!can.answer && answerResult && !answerResult.ok ? <FormError message={answerResult.message} /> : null}
      <dl className="details">
        <dt>Nätverk</dt>
        <dd>
          <Link to={`/natverk/${poll.networkId}`}>{networkName}</Link>
        </dd>
        <dt>Sista svarsdag</dt>
        <dd>{poll.lastAnswerDay}</dd>
        {poll.place ? (
          <>
            <dt>Plats</dt>
            <dd>{poll.place}</dd>
          </>
        ) : null}
        {poll.videoUrl ? (
          <>
            <dt>Videolänk</dt>
            <dd>
              <a href={poll.videoUrl} rel="noopener noreferrer">
                {poll.videoUrl}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {poll.description ? <p className="pre-line">{poll.description}</p> : null}

      {mine && can.answer ? <MyAnswers slots={slots} mine={mine} fetcher={answerFetcher} result={answerResult} /> : null}

      <section aria-labelledby="svar">
        <h2 id="svar">{`Svar (${answered} av ${participants.length})`}</h2>
        {decided ? null : (
          <>
            <p className="muted" role="status" aria-live="polite">
              {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
            </p>
            <p aria-live="polite" id="basta-tid">
              {bestText(slots, tally)}
            </p>
          </>
        )}
        <AnswerGrid slots={slots} tally={tally} participants={participants} chosenSlotId={poll.chosenSlotId} decided={decided} />
      </section>

      {can.pick || can.close ? <Decide slots={slots} tally={tally} canPick={can.pick} canClose={can.close} /> : null}
    </div>
  );
}

function PollStatus({ poll }: { poll: { status: keyof typeof pollStatusLabels; open: boolean; meetingId: string | null; chosen: string | null } }) {
  if (poll.status === "vald") {
    return (
      <div className="alert alert--ok" role="status">
        <p>
          <strong>{`En tid är vald: ${poll.chosen}.`}</strong>
        </p>
        <p>
          {"Tidsförslaget är stängt och tar inte emot fler svar. "}
          {poll.meetingId ? <Link to={`/moten/${poll.meetingId}`}>Till mötet</Link> : null}
        </p>
      </div>
    );
  }
  if (poll.status === "stangd") {
    return (
      <div className="alert alert--warn" role="status">
        Tidsförslaget är stängt utan att någon tid valdes.
      </div>
    );
  }
  if (!poll.open) {
    return (
      <div className="alert alert--warn" role="status">
        Sista svarsdagen har passerat. Samordnaren väljer en tid.
      </div>
    );
  }
  return <p className="badge badge--ok">{pollStatusLabels.oppen} för svar</p>;
}

type ParticipantRow = { id: string; name: string; isSelf: boolean; answered: boolean; answers: Record<string, PollAnswerValue> };

/** Everyone's answers; while the poll is open the best times are marked, once decided only the chosen one. */
function AnswerGrid({
  slots,
  tally,
  participants,
  chosenSlotId,
  decided,
}: {
  slots: SlotView[];
  tally: SlotTally[];
  participants: ParticipantRow[];
  chosenSlotId: string | null;
  decided: boolean;
}) {
  const tallyOf = (slotId: string) => tally.find((item) => item.slotId === slotId)!;
  const marked = (slotId: string) => (decided ? slotId === chosenSlotId : tallyOf(slotId).best);
  const mark = decided ? "Vald" : "Bäst";
  const markClass = decided ? "poll-chosen" : "poll-best";
  return (
    <TableRegion label="Svar per person och tid">
      <table className="poll-grid">
        <caption className="visually-hidden">Svar per person och föreslagen tid, med summor</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            {slots.map((slot, index) => (
              <th scope="col" key={slot.id} className={marked(slot.id) ? markClass : undefined}>
                Tid {index + 1}
                <br />
                <time dateTime={slot.startsAtIso}>{slot.when}</time>
                {marked(slot.id) ? (
                  <>
                    <br />
                    <span className="badge badge--ok">{mark}</span>
                  </>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {participants.map((participant) => (
            <tr key={participant.id}>
              <th scope="row">
                {participant.name}
                {participant.isSelf ? " (du)" : ""}
              </th>
              {slots.map((slot) => {
                const answer = participant.answers[slot.id];
                return (
                  <td key={slot.id} className={marked(slot.id) ? markClass : undefined}>
                    {answer ? <span className={`poll-answer--${answer}`}>{pollAnswerLabels[answer]}</span> : <span className="muted">Inte svarat</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Summa</th>
            {slots.map((slot) => (
              <td key={slot.id} className={marked(slot.id) ? markClass : undefined} data-slot-total={slot.id}>
                {tallyText(tallyOf(slot.id))}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </TableRegion>
  );
}

function MyAnswers({
  slots,
  mine,
  fetcher,
  result,
}: {
  slots: SlotView[];
  mine: { answers: Record<string, PollAnswerValue>; answeredAt: string | null };
  fetcher: FetcherWithComponents<AnswerResult>;
  result: AnswerResult | undefined;
}) {
  const busy = fetcher.state !== "idle";
  // "Nothing answered" is told beside the times it concerns; other refusals above the form.
  const answersError = result && !result.ok ? result.fieldErrors.answers : undefined;
  return (
    <section aria-labelledby="mina-svar" className="card narrow-wide">
      <h2 id="mina-svar">Dina svar</h2>
      <p>{mine.answeredAt ? `Du svarade senast ${mine.answeredAt}.` : "Du har inte svarat ännu."}</p>
      <p className="hint">Svara för de tider du kan ta ställning till. En tid som du lämnar tom räknas som inte svarat.</p>
      {/* The server checks the answers and tells what is wrong in Swedish; no browser bubbles. */}
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="answer" />
        {result && !result.ok && !answersError ? <FormError message={result.message} /> : null}
        {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
        <AnswerFields slots={slots} answers={mine.answers} error={answersError} />
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? "Sparar…" : "Spara svar"}
        </button>
      </fetcher.Form>
    </section>
  );
}

function Decide({ slots, tally, canPick, canClose }: { slots: SlotView[]; tally: SlotTally[]; canPick: boolean; canClose: boolean }) {
  return (
    <section aria-labelledby="valj-tid" className="card">
      <h2 id="valj-tid">Välj tid</h2>
      <p className="hint">När du väljer en tid planeras mötet i nätverket och alla tillfrågade får en inbjudan med kalenderfil. Tidsförslaget stängs.</p>
      {canPick ? (
        <ol className="list-plain">
          {slots.map((slot, index) => {
            const item = tally.find((entry) => entry.slotId === slot.id)!;
            return (
              <li key={slot.id} className={item.best ? "poll-best" : undefined}>
                <p>
                  Tid {index + 1}: {slot.when}
                  {item.best ? <span className="badge badge--ok"> Bäst</span> : null}
                  <span className="hint">{tallyText(item)}</span>
                </p>
                <ConfirmButton
                  label={`Välj ${slot.when}`}
                  title="Välja den här tiden?"
                  description={`Mötet planeras ${slot.when} och alla tillfrågade får en inbjudan med kalenderfil. Tidsförslaget stängs och tar inte emot fler svar.`}
                  confirmLabel="Ja, planera mötet"
                  fields={{ intent: "pick", slotId: slot.id }}
                  danger={false}
                />
              </li>
            );
          })}
        </ol>
      ) : null}
      {canClose ? (
        <div className="actions">
          <ConfirmButton
            label="Stäng utan att välja tid"
            title="Stänga tidsförslaget?"
            description="Inget möte planeras och ingen kan svara längre. Det går inte att ångra."
            confirmLabel="Ja, stäng tidsförslaget"
            fields={{ intent: "close" }}
          />
        </div>
      ) : null}
    </section>
  );
}
