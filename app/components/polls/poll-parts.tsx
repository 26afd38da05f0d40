import { POLL_ANSWERS, pollAnswerLabels, type PollAnswerValue, type SlotTally } from "../../domain/polls/labels";

export type SlotView = { id: string; when: string; startsAtIso: string };

/** "2 ja, 1 om nödvändigt, 0 nej". */
export function tallyText(tally: SlotTally) {
  return `${tally.ja} ja, ${tally.om_nodvandigt} om nödvändigt, ${tally.nej} nej`;
}

/** The best times in words, for the live announcement and the page's summary. */
export function bestText(slots: SlotView[], tally: SlotTally[]) {
  const best = tally.filter((item) => item.best);
  if (best.length === 0) return "Ingen har svarat att någon tid passar ännu.";
  const names = best.map((item) => slots.find((slot) => slot.id === item.slotId)?.when ?? "").join(" och ");
  return `${best.length > 1 ? "Bäst just nu (lika)" : "Bäst just nu"}: ${names} – ${tallyText(best[0])}.`;
}

/** One group of three choices per proposed time; `slot-<id>` is the field name the server reads. */
export function AnswerFields({ slots, answers, error }: { slots: SlotView[]; answers: Record<string, PollAnswerValue>; error?: string }) {
  return (
    <>
      {error ? (
        <p className="field-error" id="svar-fel" role="alert">
          {error}
        </p>
      ) : null}
      <ol className="list-plain poll-answer-list">
        {slots.map((slot, index) => (
          <li key={slot.id}>
            <fieldset className="poll-choice" aria-describedby={error ? "svar-fel" : undefined}>
              <legend>
                Tid {index + 1}: <time dateTime={slot.startsAtIso}>{slot.when}</time>
              </legend>
              {POLL_ANSWERS.map((answer) => (
                <label key={answer} className="checkbox">
                  <input type="radio" name={`slot-${slot.id}`} value={answer} defaultChecked={answers[slot.id] === answer} />
                  {pollAnswerLabels[answer]}
                </label>
              ))}
              {/* A time may be left without an answer, and an earlier answer taken back. */}
              <label className="checkbox">
                <input type="radio" name={`slot-${slot.id}`} value="" defaultChecked={!answers[slot.id]} />
                Inget svar
              </label>
            </fieldset>
          </li>
        ))}
      </ol>
    </>
  );
}

/** Totals per proposed time, the best marked in words as well as in colour. */
export function TallyList({ slots, tally }: { slots: SlotView[]; tally: SlotTally[] }) {
  return (
    <ol className="list-plain">
      {slots.map((slot, index) => {
        const item = tally.find((entry) => entry.slotId === slot.id)!;
        return (
          <li key={slot.id} className={item.best ? "poll-best" : undefined}>
            Tid {index + 1}: <time dateTime={slot.startsAtIso}>{slot.when}</time>
            {item.best ? <span className="badge badge--ok"> Bäst</span> : null}
            <span className="hint">{tallyText(item)}</span>
          </li>
        );
      })}
    </ol>
  );
}
