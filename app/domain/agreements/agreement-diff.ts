import { diffWords } from "diff";
import type { AgreementSnapshot } from "../../../db/schema";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };
export type FieldDiff = { field: string; label: string; parts: DiffPart[] };

/** The fields of a version in reading order, each as plain text for a word diff. */
function fieldsOf(snapshot: AgreementSnapshot): Array<{ field: string; label: string; text: string }> {
  const problemTitle = new Map(snapshot.problems.map((problem) => [problem.id, problem.title]));
  return [
    { field: "title", label: "Titel", text: snapshot.title },
    { field: "period", label: "Period", text: `${snapshot.periodStartYear}–${snapshot.periodEndYear}` },
    { field: "localArea", label: "Område", text: snapshot.localArea },
    { field: "parties", label: "Parter", text: snapshot.parties.map((party) => party.name).join("\n") },
    { field: "situationSummary", label: "Lägesbild", text: snapshot.situationSummary },
    { field: "sourceLinks", label: "Källor till lägesbilden", text: snapshot.sourceLinks.map((link) => `${link.label} (${link.url})`).join("\n") },
    {
      field: "problems",
      label: "Prioriterade problem och troliga orsaker",
      text: snapshot.problems
        .map((problem, index) => `${index + 1}. ${problem.title}\n${problem.description}\nTroliga orsaker: ${problem.probableCauses}`)
        .join("\n\n"),
    },
    {
      field: "goals",
      label: "Mål",
      text: snapshot.goals
        .map((goal, index) => {
          const problem = goal.problemId ? problemTitle.get(goal.problemId) : undefined;
          return `${index + 1}. ${goal.title}${problem ? ` (problem: ${problem})` : ""}\n${goal.description}`;
        })
        .join("\n\n"),
    },
    { field: "documentationMethod", label: "Så dokumenteras arbetet", text: snapshot.documentationMethod },
    { field: "followUpMethod", label: "Så följs arbetet upp", text: snapshot.followUpMethod },
    {
      field: "signatories",
      label: "Undertecknare",
      text: snapshot.signatories.map((signatory) => `${signatory.name}, ${signatory.title}, ${signatory.organisationName}`).join("\n"),
    },
  ];
}

/** Word-level differences per field between two versions; unchanged fields are left out. */
export function diffAgreementVersions(before: AgreementSnapshot, after: AgreementSnapshot): FieldDiff[] {
  const beforeFields = fieldsOf(before);
  const afterFields = fieldsOf(after);
  const result: FieldDiff[] = [];
  afterFields.forEach((field, index) => {
    const old = beforeFields[index].text;
    if (old === field.text) return;
    const parts = diffWords(old, field.text).map(
      (change): DiffPart => ({ kind: change.added ? "added" : change.removed ? "removed" : "same", text: change.value }),
    );
    result.push({ field: field.field, label: field.label, parts });
  });
  return result;
}
