/** Swedish labels and the tally of a time poll, shared by pages, mails and server code. */
export const POLL_ANSWERS = ["ja", "om_nodvandigt", "nej"] as const;
export type PollAnswerValue = (typeof POLL_ANSWERS)[number];

export const pollAnswerLabels: Record<PollAnswerValue, string> = { ja: "Ja", om_nodvandigt: "Om nödvändigt", nej: "Nej" };
export const pollStatusLabels = { oppen: "Öppet", vald: "Tid vald", stangd: "Stängt" } as const;

/** The live room of one poll's page (answers coming in, a time picked). */
export const pollRoom = (pollId: string) => `poll:${pollId}`;

export type SlotTally = { slotId: string; ja: number; om_nodvandigt: number; nej: number; best: boolean };

/**
 * Counts per proposed time. The best times are those where the most people can come (ja or om
 * nödvändigt), and among those the most said ja; equal times are all marked. Nothing is marked
 * before anyone can come.
 */
export function tallySlots(slotIds: readonly string[], answers: ReadonlyArray<{ slotId: string; answer: PollAnswerValue }>): SlotTally[] {
  const tallies = slotIds.map((slotId) => ({ slotId, ja: 0, om_nodvandigt: 0, nej: 0, best: false }));
  const bySlot = new Map(tallies.map((tally) => [tally.slotId, tally]));
  for (const { slotId, answer } of answers) {
    const tally = bySlot.get(slotId);
    if (tally) tally[answer] += 1;
  }
  const score = (tally: SlotTally) => [tally.ja + tally.om_nodvandigt, tally.ja] as const;
  let top: readonly [number, number] = [0, 0];
  for (const tally of tallies) {
    const [can, yes] = score(tally);
    if (can > top[0] || (can === top[0] && yes > top[1])) top = [can, yes];
  }
  if (top[0] > 0) for (const tally of tallies) tally.best = score(tally)[0] === top[0] && score(tally)[1] === top[1];
  return tallies;
}

/** "Du har inte svarat för tiderna 2 och 3.": the times left blank, which count as not answered. */
export function unansweredText(positions: readonly number[]) {
  if (positions.length === 0) return "";
  const list = positions.length === 1 ? String(positions[0]) : `${positions.slice(0, -1).join(", ")} och ${positions.at(-1)}`;
  return `Du har inte svarat för ${positions.length === 1 ? "tid" : "tiderna"} ${list}.`;
}
