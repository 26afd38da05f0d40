import { describe, expect, it } from "vitest";
import type { AgreementSnapshot } from "../../db/schema";
import { diffAgreementVersions } from "../../app/domain/agreements/agreement-diff";
import { parseMeasurementsCsv } from "../../app/domain/agreements/indicators.server";
import { periodSortKey, promiseProgressText } from "../../app/domain/agreements/labels";

const snapshot = (overrides: Partial<AgreementSnapshot> = {}): AgreementSnapshot => ({
  title: "Järva",
  periodStartYear: 2024,
  periodEndYear: 2027,
  localArea: "Järva",
  situationSummary: "Otryggheten är hög.",
  sourceLinks: [],
  documentationMethod: "",
  followUpMethod: "Per tertial.",
  parties: [{ id: "a", name: "Järva stadsdelsnämnd" }],
  signatories: [],
  problems: [{ id: "p1", title: "Otrygghet", description: "", probableCauses: "Mörker." }],
  goals: [{ id: "g1", problemId: "p1", title: "Ökad trygghet", description: "" }],
  ...overrides,
});

describe("measurement periods", () => {
  it("sort months, quarters, tertials and years of the same year in time order", () => {
    const periods = ["2025", "2025-T2", "2024", "2025-03", "2025-Q1", "2025-T1", "2025-12"];
    expect([...periods].sort((a, b) => periodSortKey(a).localeCompare(periodSortKey(b)))).toEqual(["2024", "2025-03", "2025-Q1", "2025-T1", "2025-T2", "2025-12", "2025"]);
  });
});

describe("reading a measurements CSV", () => {
  it("accepts semicolons with Swedish decimals and commas with quoted decimals", () => {
    expect(parseMeasurementsCsv("period;värde\n2025-t1;1 234,5\n")).toEqual({ ok: true, rows: [{ period: "2025-T1", value: 1234.5, comment: "" }] });
    expect(parseMeasurementsCsv('\uFEFFPeriod,Värde,Kommentar\n2025,"3,5",ok')).toEqual({ ok: true, rows: [{ period: "2025", value: 3.5, comment: "ok" }] });
  });

  it("reports every bad row by its line number and returns no rows", () => {
    const result = parseMeasurementsCsv("period;värde\n2025;x\n2025-13;4\n2024;5\n2024;6");
    expect(result).toEqual({
      ok: false,
      errors: [
        { row: 2, message: "Värdet ”x” är inget tal." },
        { row: 3, message: "Perioden ”2025-13” känns inte igen. Skriv t.ex. 2025, 2025-T1, 2025-Q3 eller 2025-03." },
        { row: 5, message: "Perioden 2024 finns redan på rad 4." },
      ],
    });
  });

  it("refuses an empty file and a file without the header", () => {
    expect(parseMeasurementsCsv("  ")).toEqual({ ok: false, errors: [{ row: 0, message: "Filen är tom." }] });
    expect(parseMeasurementsCsv("2025;4").ok).toBe(false);
  });
});

describe("differences between versions", () => {
  it("leaves unchanged fields out and marks added and removed words", () => {
    const changes = diffAgreementVersions(snapshot(), snapshot({ situationSummary: "Otryggheten har minskat." }));
    expect(changes.map((change) => change.label)).toEqual(["Lägesbild"]);
    expect(changes[0].parts.filter((part) => part.kind === "removed").map((part) => part.text.trim())).toEqual(["är hög"]);
    expect(changes[0].parts.filter((part) => part.kind === "added").map((part) => part.text.trim())).toEqual(["har minskat"]);
  });

  it("shows a new goal under the goals and names its problem", () => {
    const changes = diffAgreementVersions(snapshot(), snapshot({ goals: [...snapshot().goals, { id: "g2", problemId: "p1", title: "Färre bränder", description: "" }] }));
    expect(changes.map((change) => change.field)).toEqual(["goals"]);
    expect(changes[0].parts.find((part) => part.kind === "added")?.text).toContain("Färre bränder (problem: Otrygghet)");
  });
});

describe("promise progress in words", () => {
  it("reads like the promise itself", () => {
    expect(promiseProgressText({ achieved: 23, targetCount: 40, targetUnit: "veckor", targetOf: 52 })).toBe("23 av minst 40 veckor (av 52)");
    expect(promiseProgressText({ achieved: 1, targetCount: 3, targetUnit: "trygghetsvandringar", targetOf: null })).toBe("1 av minst 3 trygghetsvandringar");
  });
});
