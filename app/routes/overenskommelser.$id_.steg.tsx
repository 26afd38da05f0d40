import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { RadioChoice, Select } from "../components/agreements/form-fields";
import { CommandForm } from "../components/networks/command-form";
import { Field } from "../components/ui/field";
import { criterionSchema, criterionUpdateSchema } from "../domain/agreements/agreements.schema";
import { addCriterion, getSteps, updateCriterion } from "../domain/agreements/steps.server";
import { requireId, uuidPattern } from "../domain/http-errors";
import { formatDate } from "../format";
import { runIntent } from "../server/intents.server";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Brås fem steg: ${data?.title ?? "Överenskommelse"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { agreement, progress, owners, can } = await getSteps(db(), user, requireId(params.id));
  return {
    id: agreement.id,
    title: agreement.title,
    progress: {
      ...progress,
      steps: progress.steps.map((step) => ({
        ...step,
        criteria: step.criteria.map((criterion) => ({ ...criterion, completedOn: criterion.completedAt ? formatDate(criterion.completedAt) : null, completedAt: undefined })),
      })),
    },
    owners,
    can,
  };
}

const intents = z.discriminatedUnion(
  "intent",
  [
    criterionUpdateSchema.extend({ intent: z.literal("criterion"), criterionId: z.string().regex(uuidPattern, "Ladda om sidan och försök igen.") }),
    criterionSchema.extend({ intent: z.literal("addCriterion") }),
  ],
  { error: "Okänd åtgärd. Ladda om sidan och försök igen." },
);

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  return runIntent(await readFormValues(request), intents, async (input) => {
    if (input.intent === "addCriterion") {
      await addCriterion(db(), user, id, input);
      return "Kriteriet är tillagt.";
    }
    const { intent: _intent, criterionId, ...update } = input;
    await updateCriterion(db(), user, id, criterionId.toLowerCase(), update);
    return "Kriteriet är sparat.";
  });
}

const doneOptions = [
  { value: "ja", label: "Klart" },
  { value: "nej", label: "Inte klart" },
];

export default function AgreementStepsPage() {
  const { id, title, progress, owners, can } = useLoaderData<typeof loader>();
  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${id}`}>← {title}</Link>
      </p>
      <h1>Brås fem steg</h1>
      <p>
        {progress.done} av {progress.total} kriterier är klara ({percent} %). {progress.current ? `Arbetet står i steg ${progress.current}.` : "Alla steg är klara."}
      </p>
      <span className="meter" aria-hidden="true">
        <span className="meter__fill" style={{ width: `${percent}%` }} />
      </span>
      <ol className="steps">
        {progress.steps.map((step) => (
          <li key={step.step} className={step.complete ? "steps__done" : step.step === progress.current ? "steps__current" : undefined}>
            <section aria-labelledby={`steg-${step.step}`}>
              <h2 id={`steg-${step.step}`}>
                Steg {step.step}: {step.name}
              </h2>
              <p className="muted">
                Klart när: {step.done} av {step.total} kriterier är uppfyllda{step.complete ? ". Steget är klart." : step.step === progress.current ? ". Arbetet pågår här." : "."}
              </p>
              <ul className="list-plain">
                {step.criteria.map((criterion) => (
                  <li key={criterion.id}>
                    {can.recordProgress ? (
                      <CommandForm intent="criterion" hidden={{ criterionId: criterion.id }} submitLabel="Spara" className="stack" secondary>
                        {(form) => (
                          <fieldset>
                            <legend>{criterion.text}</legend>
                            <RadioChoice
                              id={`criterion-${criterion.id}-done`}
                              options={doneOptions}
                              {...form.field("done", criterion.completedOn !== null ? "ja" : "nej")}
                            />
                            <div className="form-row">
                              <Select
                                label="Ansvarig"
                                id={`criterion-${criterion.id}-owner`}
                                {...form.field("ownerUserId", criterion.ownerUserId ?? "")}
                                options={owners.map((owner) => ({ value: owner.id, label: owner.name }))}
                              >
                                <option value="">Ingen utsedd</option>
                              </Select>
                              <Field
                                label="Klart senast"
                                id={`criterion-${criterion.id}-due`}
                                type="date"
                                {...form.field("dueDate", criterion.dueDate ?? "")}
                              />
                            </div>
                          </fieldset>
                        )}
                      </CommandForm>
                    ) : (
                      <p>
                        {criterion.completedOn ? "✓ Klart: " : "Inte klart: "}
                        {criterion.text}
                      </p>
                    )}
                    <p className="hint">
                      {criterion.completedOn ? `Klart ${criterion.completedOn}. ` : ""}
                      {criterion.ownerName ? `Ansvarig: ${criterion.ownerName}. ` : "Ingen ansvarig. "}
                      {criterion.dueDate ? `Klart senast ${criterion.dueDate}.` : ""}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          </li>
        ))}
      </ol>
      {can.edit ? (
        <section className="card" aria-labelledby="nytt-kriterium">
          <h2 id="nytt-kriterium">Lägg till ett kriterium</h2>
          <CommandForm intent="addCriterion" submitLabel="Lägg till">
            {(form) => (
              <>
                <Select
                  label="Steg"
                  name="step"
                  defaultValue={form.sent("step")}
                  error={form.error("step")}
                  options={progress.steps.map((step) => ({ value: String(step.step), label: `${step.step}. ${step.name}` }))}
                />
                <Field label="Klart när" {...form.field("text")} required />
              </>
            )}
          </CommandForm>
        </section>
      ) : null}
    </div>
  );
}
