import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CheckinAnnouncement, type CheckinOutcome } from "../../app/components/kunskapsdagar/checkin-announcement";

const render = (outcome: CheckinOutcome | null) => renderToStaticMarkup(createElement(CheckinAnnouncement, { outcome }));

describe("the answer to a check-in on the check-in page", () => {
  it("a refused check-in is shown as an error that is announced, not in the green success box", () => {
    const html = render({ ok: false, message: "Anna Ek har avbokat sin plats." });
    expect(html).toMatch(/<div class="alert alert--error" role="alert">Anna Ek har avbokat sin plats\.<\/div>/);
    expect(html).not.toMatch(/alert--ok[^>]*>Anna Ek/);
  });

  it("a check-in that went through is shown in the green status box and no error is shown", () => {
    const html = render({ ok: true, message: "Anna Ek är incheckad. 1 av 10 på plats." });
    expect(html).toMatch(/<div class="alert alert--ok" role="status" aria-live="polite">Anna Ek är incheckad\. 1 av 10 på plats\.<\/div>/);
    expect(html).not.toContain('role="alert"');
  });

  it("before any check-in the status box is there but hidden, ready to announce", () => {
    const html = render(null);
    expect(html).toMatch(/<div class="alert alert--ok" role="status" aria-live="polite" hidden="">\s*<\/div>/);
    expect(html).not.toContain('role="alert"');
  });
});
