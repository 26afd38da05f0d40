import axe from "axe-core";
import type { Page } from "playwright-core";

type Violation = {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; html: string }>;
};

const BLOCKING = new Set(["serious", "critical"]);

/** Runs axe-core on the page as it is now and lists every violation it reports. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) {
    try {
      await page.addScriptTag({ content: axe.source });
    } catch {
      // A Content-Security-Policy may refuse inline scripts; evaluating through the browser's own protocol is not subject to it.
      await page.evaluate(axe.source);
    }
  }
  return page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof import("axe-core") }).axe;
    const results = await runner.run(document, { resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({ target: node.target as unknown[], html: node.html })),
    }));
  });
}

/** Fails with a readable list when axe-core finds a serious or critical accessibility problem. */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const violations = (await axeViolations(page)).filter((violation) => BLOCKING.has(violation.impact ?? ""));
  if (violations.length === 0) return;
  const lines = violations.map((violation) => {
    const first = violation.nodes[0];
    const target = first ? JSON.stringify(first.target) : "(no node)";
    const more = violation.nodes.length > 1 ? ` (+${violation.nodes.length - 1} more)` : "";
    return `  - ${violation.id} [${violation.impact}]: ${violation.help}\n    at ${target}${more}\n    ${first?.html ?? ""}\n    ${violation.helpUrl}`;
  });
  throw new Error(`Accessibility problems on ${label} (${page.url()}):\n${lines.join("\n")}`);
}
