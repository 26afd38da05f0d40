import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { Select, TextArea, WritingNotice } from "../components/agreements/form-fields";
import { VersionDiff } from "../components/agreements/version-diff";
import { CommandForm } from "../components/networks/command-form";
import { ConfirmButton } from "../components/ui/confirm-button";
import { Field } from "../components/ui/field";
import { agreementContentSchema, goalSchema, problemSchema, signatorySchema } from "../domain/agreements/agreements.schema";
import {
  addGoal,
  addProblem,
  addSignatory,
  getAgreement,
  listProblemsAndGoals,
  listSignatories,
  removeGoal,
  removeProblem,
  removeSignatory,
  updateAgreementContent,
  updateGoal,
  updateProblem,
} from "../domain/agreements/agreements.server";
import { FORBIDDEN_MESSAGE } from "../domain/policy";
import { requireId, uuidPattern } from "../domain/http-errors";
import { formatDateTime } from "../format";
import { runIntent } from "../server/intents.server";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Utkast: ${data?.working.title ?? "Överenskommelse"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const view = await getAgreement(db(), user, id);
  if (!view.can.edit) {
    throw Response.json(
      { message: view.agreement.status === "upphord" ? "Överenskommelsen har upphört och kan inte ändras." : FORBIDDEN_MESSAGE },
      { status: view.agreement.status === "upphord" ? 409 : 403 },
    );
  }
  const [{ problems, goals }, signatories] = await Promise.all([listProblemsAndGoals(db(), id), listSignatories(db(), id)]);
  return {
    id,
    status: view.agreement.status,
    working: view.working,
    decided: view.decided ? { number: view.decided.number, decidedAt: formatDateTime(view.decided.decidedAt) } : null,
    draft: view.draft,
    changes: view.changes,
    problems,
    goals,
    signatories,
  };
}

const idField = z.string().regex(uuidPattern, "Ladda om sidan och försök igen.").transform((value) => value.toLowerCase());

const intents = z.discriminatedUnion(
  "intent",
  [
    agreementContentSchema.safeExtend({ intent: z.literal("content") }),
    problemSchema.extend({ intent: z.literal("addProblem") }),
    problemSchema.extend({ intent: z.literal("updateProblem"), problemId: idField }),
    z.object({ intent: z.literal("removeProblem"), problemId: idField }),
    goalSchema.extend({ intent: z.literal("addGoal") }),
    goalSchema.extend({ intent: z.literal("updateGoal"), goalId: idField }),
    z.object({ intent: z.literal("removeGoal"), goalId: idField }),
    signatorySchema.extend({ intent: z.literal("addSignatory") }),
    z.object({ intent: z.literal("removeSignatory"), signatoryId: idField }),
  ],
  { error: "Okänd åtgärd. Ladda om sidan och försök igen." },
);

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  return runIntent(await readFormValues(request), intents, async (input) => {
    switch (input.intent) {
      case "content": {
        const { intent: _intent, ...content } = input;
        const { changed } = await updateAgreementContent(db(), user, id, content);
        return changed.length ? "Utkastet är sparat." : "Inget var ändrat.";
      }
      case "addProblem": {
        const { intent: _intent, ...problem } = input;
        await addProblem(db(), user, id, problem);
        return "Problemet är tillagt.";
      }
      case "updateProblem": {
        const { intent: _intent, problemId, ...problem } = input;
        await updateProblem(db(), user, id, problemId, problem);
        return "Problemet är sparat.";
      }
      case "removeProblem":
        await removeProblem(db(), user, id, input.problemId);
        return "Problemet är borttaget ur utkastet.";
      case "addGoal": {
        const { intent: _intent, ...goal } = input;
        await addGoal(db(), user, id, goal);
        return "Målet är tillagt.";
      }
      case "updateGoal": {
        const { intent: _intent, goalId, ...goal } = input;
        await updateGoal(db(), user, id, goalId, goal);
        return "Målet är sparat.";
      }
      case "removeGoal":
        await removeGoal(db(), user, id, input.goalId);
        return "Målet är borttaget ur utkastet.";
      case "addSignatory": {
        const { intent: _intent, ...signatory } = input;
        await addSignatory(db(), user, id, signatory);
        return "Undertecknaren är tillagd.";
      }
      case "removeSignatory":
        await removeSignatory(db(), user, id, input.signatoryId);
        return "Undertecknaren är borttagen.";
    }
  });
}

export default function EditAgreementPage() {
  const { id, working, decided, draft, changes, problems, goals, signatories } = useLoaderData<typeof loader>();
  const problemOptions = problems.map((problem) => ({ value: problem.id, label: problem.title }));
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${id}`}>← {working.title}</Link>
      </p>
      <h1>{draft ? `Utkast till version ${draft.number}` : "Ändra överenskommelsen"}</h1>
      {decided ? (
        <p className="muted">
          Version {decided.number} (fastställd {decided.decidedAt}) gäller och ändras inte. Det du sparar här blir ett utkast till nästa version, som gäller först när
          det fastställs.
        </p>
      ) : (
        <p className="muted">Överenskommelsen är inte fastställd ännu. När den fastställs låses versionen.</p>
      )}
      <WritingNotice />

      {decided ? (
        <section className="card" aria-labelledby="skillnader">
          <h2 id="skillnader">Skillnader mot version {decided.number}</h2>
          <p className="hint">Tillagd text är understruken och markerad med plus, borttagen text är överstruken och markerad med minus.</p>
          <div aria-live="polite">
            <VersionDiff changes={changes} emptyText="Utkastet är ännu likadant som den gällande versionen." />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="innehall-rubrik">
        <h2 id="innehall-rubrik">Lägesbild, dokumentation och uppföljning</h2>
        <CommandForm intent="content" submitLabel="Spara utkastet">
          {(form) => (
            <>
              <Field label="Titel" required {...form.field("title", working.title)} />
              <div className="form-row">
                <Field
                  label="Första året"
                  inputMode="numeric"
                  required
                  {...form.field("periodStartYear", String(working.periodStartYear))}
                />
                <Field
                  label="Sista året"
                  inputMode="numeric"
                  required
                  {...form.field("periodEndYear", String(working.periodEndYear))}
                />
              </div>
              <Field label="Område" {...form.field("localArea", working.localArea)} />
              <TextArea
                label="Lägesbild (sammanfattning)"
                rows={8}
                {...form.field("situationSummary", working.situationSummary)}
                hint="Vad visar trygghetsundersökningen, anmälda brott, händelser och Trygghet på karta?"
              />
              <TextArea
                label="Källor till lägesbilden"
                rows={3}
                {...form.field("sourceLinks", working.sourceLinks.map((link) => `${link.label} | ${link.url}`).join("\n"))}
                hint="En källa per rad: namn | webbadress, t.ex. Trygghet på karta | https://…"
              />
              <TextArea
                label="Så dokumenteras arbetet"
                {...form.field("documentationMethod", working.documentationMethod)}
              />
              <TextArea
                label="Så följs arbetet upp"
                {...form.field("followUpMethod", working.followUpMethod)}
                hint="T.ex. tertialvis uppföljning (T1, T2, verksamhetsberättelse) och EST-rytmen."
              />
            </>
          )}
        </CommandForm>
      </section>

      <section aria-labelledby="problem-rubrik" className="stack">
        <h2 id="problem-rubrik">Prioriterade problem</h2>
        {problems.length === 0 ? <p className="empty">Inga problem ännu.</p> : null}
        {problems.map((problem, index) => (
          <details key={problem.id} className="card">
            <summary>
              {index + 1}. {problem.title}
            </summary>
            <CommandForm intent="updateProblem" hidden={{ problemId: problem.id }} submitLabel="Spara problemet">
              {(form) => (
                <>
                  <Field
                    label="Problem"
                    id={`problem-${problem.id}-title`}
                    required
                    {...form.field("title", problem.title)}
                  />
                  <TextArea
                    label="Beskrivning"
                    id={`problem-${problem.id}-description`}
                    {...form.field("description", problem.description)}
                  />
                  <TextArea
                    label="Troliga orsaker"
                    id={`problem-${problem.id}-causes`}
                    {...form.field("probableCauses", problem.probableCauses)}
                  />
                </>
              )}
            </CommandForm>
            <ConfirmButton
              label="Ta bort problemet"
              title="Ta bort problemet ur utkastet?"
              description={`”${problem.title}” tas bort ur utkastet. Fastställda versioner behåller det.`}
              confirmLabel="Ja, ta bort"
              fields={{ intent: "removeProblem", problemId: problem.id }}
            />
          </details>
        ))}
        <div className="card">
          <h3>Lägg till ett problem</h3>
          <CommandForm intent="addProblem" submitLabel="Lägg till problemet">
            {(form) => (
              <>
                <Field label="Problem" {...form.field("title")} id="new-problem-title" required />
                <TextArea
                  label="Beskrivning"
                  id="new-problem-description"
                  {...form.field("description")}
                />
                <TextArea
                  label="Troliga orsaker"
                  id="new-problem-causes"
                  {...form.field("probableCauses")}
                />
              </>
            )}
          </CommandForm>
        </div>
      </section>

      <section aria-labelledby="mal-rubrik" className="stack">
        <h2 id="mal-rubrik">Mål</h2>
        <p className="hint">Avgränsade och mätbara mål. Indikatorer och mätvärden för målen läggs till under Mål och indikatorer.</p>
        {goals.length === 0 ? <p className="empty">Inga mål ännu.</p> : null}
        {goals.map((goal, index) => (
          <details key={goal.id} className="card">
            <summary>
              {index + 1}. {goal.title}
            </summary>
            <CommandForm intent="updateGoal" hidden={{ goalId: goal.id }} submitLabel="Spara målet">
              {(form) => (
                <>
                  <Field
                    label="Mål"
                    id={`goal-${goal.id}-title`}
                    required
                    {...form.field("title", goal.title)}
                  />
                  <TextArea
                    label="Beskrivning"
                    id={`goal-${goal.id}-description`}
                    {...form.field("description", goal.description)}
                  />
                  <Select
                    label="Problem som målet gäller"
                    id={`goal-${goal.id}-problem`}
                    {...form.field("problemId", goal.problemId ?? "")}
                    options={problemOptions}
                  >
                    <option value="">Inget särskilt</option>
                  </Select>
                </>
              )}
            </CommandForm>
            <ConfirmButton
              label="Ta bort målet"
              title="Ta bort målet ur utkastet?"
              description={`”${goal.title}” tas bort ur utkastet. Fastställda versioner behåller det.`}
              confirmLabel="Ja, ta bort"
              fields={{ intent: "removeGoal", goalId: goal.id }}
            />
          </details>
        ))}
        <div className="card">
          <h3>Lägg till ett mål</h3>
          <CommandForm intent="addGoal" submitLabel="Lägg till målet">
            {(form) => (
              <>
                <Field label="Mål" {...form.field("title")} id="new-goal-title" required />
                <TextArea
                  label="Beskrivning"
                  id="new-goal-description"
                  {...form.field("description")}
                />
                <Select
                  label="Problem som målet gäller"
                  id="new-goal-problem"
                  {...form.field("problemId")}
                  options={problemOptions}
                >
                  <option value="">Inget särskilt</option>
                </Select>
              </>
            )}
          </CommandForm>
        </div>
      </section>

      <section aria-labelledby="undertecknare-rubrik" className="stack">
        <h2 id="undertecknare-rubrik">Undertecknare</h2>
        {signatories.length === 0 ? (
          <p className="empty">Inga undertecknare ännu.</p>
        ) : (
          <ul className="list-plain">
            {signatories.map((signatory) => (
              <li key={signatory.id}>
                {signatory.name}
                <span className="hint">
                  {signatory.title ? `${signatory.title}, ` : ""}
                  {signatory.organisationName}
                </span>
                <ConfirmButton
                  label="Ta bort"
                  title="Ta bort undertecknaren?"
                  description={`${signatory.name} tas bort ur utkastet.`}
                  confirmLabel="Ja, ta bort"
                  fields={{ intent: "removeSignatory", signatoryId: signatory.id }}
                />
              </li>
            ))}
          </ul>
        )}
        <div className="card">
          <h3>Lägg till en undertecknare</h3>
          <CommandForm intent="addSignatory" submitLabel="Lägg till">
            {(form) => (
              <>
                <Select
                  label="Företräder"
                  id="new-signatory-org"
                  {...form.field("organisationId")}
                  options={working.parties.map((party) => ({ value: party.id, label: party.name }))}
                />
                <Field label="Namn" {...form.field("name")} id="new-signatory-name" required />
                <Field label="Titel" {...form.field("title")} id="new-signatory-title" />
              </>
            )}
          </CommandForm>
        </div>
      </section>
    </div>
  );
}
