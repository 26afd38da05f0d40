import { describe, expect, it } from "vitest";
import { tallySlots, type PollAnswerValue } from "../../app/domain/polls/labels";

const answers = (slotId: string, ...values: PollAnswerValue[]) => values.map((answer) => ({ slotId, answer }));

describe("the tally of a time poll", () => {
  it("counts each answer per proposed time and ignores answers to times not in the poll", () => {
    const tally = tallySlots(["a", "b"], [...answers("a", "ja", "nej", "om_nodvandigt"), ...answers("b", "nej"), ...answers("x", "ja")]);
    expect(tally.map(({ slotId, ja, om_nodvandigt, nej }) => ({ slotId, ja, om_nodvandigt, nej }))).toEqual([
      { slotId: "a", ja: 1, om_nodvandigt: 1, nej: 1 },
      { slotId: "b", ja: 0, om_nodvandigt: 0, nej: 1 },
    ]);
  });

  it("marks the time most people can come to, even when another has more outright yes", () => {
    const tally = tallySlots(["a", "b"], [...answers("a", "ja", "ja", "nej", "nej"), ...answers("b", "ja", "om_nodvandigt", "om_nodvandigt", "nej")]);
    expect(tally.filter((item) => item.best).map((item) => item.slotId)).toEqual(["b"]);
  });

  it("between times that as many can come to, prefers the one with more yes", () => {
    const tally = tallySlots(["a", "b"], [...answers("a", "ja", "om_nodvandigt"), ...answers("b", "ja", "ja")]);
    expect(tally.filter((item) => item.best).map((item) => item.slotId)).toEqual(["b"]);
  });

  it("marks every time of an exact tie", () => {
    const tally = tallySlots(["a", "b", "c"], [...answers("a", "ja"), ...answers("b", "ja"), ...answers("c", "nej")]);
    expect(tally.filter((item) => item.best).map((item) => item.slotId)).toEqual(["a", "b"]);
  });

  it("marks nothing before anyone can come", () => {
    expect(tallySlots(["a", "b"], []).some((item) => item.best)).toBe(false);
    expect(tallySlots(["a", "b"], answers("a", "nej")).some((item) => item.best)).toBe(false);
  });
});
