import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useEffect, useState, type ReactNode } from "react";
import { Link, useFetcher, useFetchers, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { RadioChoice, Select, TextArea } from "../components/agreements/form-fields";
import { IndicatorChart } from "../components/agreements/indicator-chart";
import { CommandForm } from "../components/networks/command-form";
import { ConfirmButton } from "../components/ui/confirm-button";
import { Field } from "../components/ui/field";
import { usePostedResult, type PostedResult } from "../components/ui/posted-result";
import { readAgreementOverview } from "../domain/agreements/agreement-overview.server";
import { indicatorSchema, measurementSchema, periodSchema } from "../domain/agreements/agreements.schema";
import { addIndicator, importMeasurementsCsv, recordMeasurement, removeIndicator, removeMeasurement, type CsvRowError } from "../domain/agreements/indicators.server";
import { indicatorDirectionLabels, PERIOD_HINT } from "../domain/agreements/labels";
import { badRequest, requireId, uuidPattern } from "../domain/http-errors";
import { runIntent } from "../server/intents.server";
import { asFormResult } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Mål och indikatorer: ${data?.title ?? "Överenskommelse"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const overview = await readAgreementOverview(db(), user, requireId(params.id));
  return {
    id: overview.agreement.id,
    title: overview.agreement.title,
    goals: overview.goals.map((goal) => ({
      id: goal.id,
      title: goal.title,
      indicators: goal.indicators.map((indicator) => ({
        id: indicator.id,
        name: indicator.name,
        unit: indicator.unit,
        baselineValue: indicator.baselineValue,
        baselinePeriod: indicator.baselinePeriod,
        targetValue: indicator.targetValue,
        direction: indicator.direction,
        source: indicator.source,
        summary: indicator.status.summary,
        measurements: indicator.measurements.map((measurement) => ({ period: measurement.period, value: measurement.value, comment: measurement.comment })),
      })),
    })),
    can: overview.can,
  };
}

const idField = z.string().regex(uuidPattern, "Ladda om sidan och försök igen.").transform((value) => value.toLowerCase());

const intents = z.discriminatedUnion(
  "intent",
  [
    indicatorSchema.extend({ intent: z.literal("addIndicator") }),
    z.object({ intent: z.literal("removeIndicator"), indicatorId: idField }),
    measurementSchema.extend({ intent: z.literal("measurement"), indicatorId: idField }),
    z.object({ intent: z.literal("removeMeasurement"), indicatorId: idField, period: periodSchema }),
  ],
  { error: "Okänd åtgärd. Ladda om sidan och försök igen." },
);

const MAX_CSV_BYTES = 512 * 1024;

/** A form post whose fields are strings, except the CSV file of an import. */
async function readPost(request: Request) {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("Formuläret kunde inte läsas. Ladda om sidan och försök igen.");
  }
  const values: Record<string, string> = {};
  let file: string | null = null;
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") values[key] = value;
    else if (key === "fil" && value.size > 0) {
      if (value.size > MAX_CSV_BYTES) throw badRequest("Filen är för stor. Den får vara högst 512 kB.");
      file = await value.text();
    } else if (value.size > 0) throw badRequest("Filer kan inte skickas här.");
  }
  return { values, file };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const { values, file } = await readPost(request);
  if (values.intent === "import") {
    const indicatorId = values.indicatorId ?? "";
    if (!uuidPattern.test(indicatorId)) return data({ ok: false as const, message: "Ladda om sidan och försök igen.", errors: [] as CsvRowError[] }, { status: 400 });
    const text = file ?? values.csv ?? "";
    // `sent` tells a page drawn without JavaScript which indicator's import this was (usePostedResult).
    const sent = { intent: "import", indicatorId, csv: values.csv ?? "" };
    return asFormResult(async () => {
      const result = await importMeasurementsCsv(db(), user, id, indicatorId.toLowerCase(), text);
      if (!result.ok) {
        return data(
          { ok: false as const, message: `Inget importerades: ${result.errors.length === 1 ? "en rad har fel" : `${result.errors.length} rader har fel`}. Rätta filen och försök igen.`, errors: result.errors, sent },
          { status: 400 },
        );
      }
      return { ok: true as const, message: `Importen är klar: ${result.created} nya och ${result.updated} ändrade mätvärden.`, errors: [] as CsvRowError[], sent };
    }, { sent, errors: [] as CsvRowError[] });
  }
  return runIntent(values, intents, async (input) => {
    switch (input.intent) {
      case "addIndicator": {
        const { intent: _intent, ...indicator } = input;
        await addIndicator(db(), user, id, indicator);
        return "Indikatorn är tillagd.";
      }
      case "removeIndicator":
        await removeIndicator(db(), user, id, input.indicatorId);
        return "Indikatorn är borttagen.";
      case "measurement": {
        const { intent: _intent, indicatorId, ...measurement } = input;
        await recordMeasurement(db(), user, id, indicatorId, measurement);
        return `Värdet för ${measurement.period} är sparat.`;
      }
      case "removeMeasurement":
        await removeMeasurement(db(), user, id, input.indicatorId, input.period);
        return `Värdet för ${input.period} är borttaget.`;
    }
  });
}

type ImportResult = PostedResult & { errors?: CsvRowError[] };

/**
 * A disclosure around one indicator's form, drawn open when the page comes back from a post of
 * that form without JavaScript, so that its outcome is in view.
 */
function FormDisclosure({ summary, intent, indicatorId, children }: { summary: string; intent: string; indicatorId: string; children: ReactNode }) {
  const posted = usePostedResult(intent, { indicatorId });
  return (
    <details open={posted ? true : undefined}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

function ImportForm({ indicatorId, name }: { indicatorId: string; name: string }) {
  const key = `import-${indicatorId}`;
  const fetcher = useFetcher<ImportResult>({ key });
  const posted = usePostedResult<ImportResult>("import", { indicatorId });
  // The outcome of this import stays until another form on the page is sent: then it is old news.
  const [superseded, setSuperseded] = useState<unknown>(undefined);
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const anotherFormSent = navigation.state === "submitting" || fetchers.some((other) => other.key !== key && other.state === "submitting");
  useEffect(() => {
    if (anotherFormSent && fetcher.data) setSuperseded(fetcher.data);
  }, [anotherFormSent, fetcher.data]);
  // With JavaScript the fetcher holds the outcome; without, the page drawn after the post does.
  const latest = fetcher.data ?? posted;
  const result = fetcher.state === "idle" && latest !== superseded ? latest : undefined;
  // Pasted rows that were refused stay, to be corrected.
  const kept = result && !result.ok ? result.sent?.csv : undefined;
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" encType="multipart/form-data" className="stack">
      <input type="hidden" name="intent" value="import" />
      <input type="hidden" name="indicatorId" value={indicatorId} />
      <div className="field">
        <label htmlFor={`fil-${indicatorId}`}>
          CSV-fil för {name}
          <span className="hint" id={`fil-${indicatorId}-hint`}>
            Första raden: period;värde;kommentar. Semikolon eller komma. Allt eller inget sparas.
          </span>
        </label>
        <input id={`fil-${indicatorId}`} type="file" name="fil" accept=".csv,text/csv" aria-describedby={`fil-${indicatorId}-hint`} />
      </div>
      <TextArea label="… eller klistra in raderna" name="csv" id={`csv-${indicatorId}`} rows={3} placeholder={"period;värde\n2025-T1;12"} defaultValue={kept} />
      <div>
        <button type="submit" className="button button--secondary" aria-disabled={busy}>
          {busy ? "Importerar…" : "Importera"}
        </button>
      </div>
      <div role={result && !result.ok ? "alert" : "status"}>
        {result ? <p className={result.ok ? "muted" : "field-error"}>{result.message}</p> : null}
        {result?.errors?.length ? (
          <ul>
            {result.errors.map((error) => (
              <li key={`${error.row}-${error.message}`}>{error.row > 0 ? `Rad ${error.row}: ${error.message}` : error.message}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </fetcher.Form>
  );
}

const directionOptions = Object.entries(indicatorDirectionLabels).map(([value, label]) => ({ value, label }));

export default function GoalsAndIndicatorsPage() {
  const { id, title, goals, can } = useLoaderData<typeof loader>();
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${id}`}>← {title}</Link>
      </p>
      <h1>Mål och indikatorer</h1>
      {goals.length === 0 ? <p className="empty">Överenskommelsen har inga mål ännu. Lägg till mål i utkastet först.</p> : null}
      {goals.map((goal) => (
        <section key={goal.id} aria-labelledby={`mal-${goal.id}`} className="stack">
          <h2 id={`mal-${goal.id}`}>{goal.title}</h2>
          {goal.indicators.length === 0 ? <p className="empty">Målet har inga indikatorer ännu.</p> : null}
          {goal.indicators.map((indicator) => (
            <div key={indicator.id} className="card stack">
              <IndicatorChart indicator={indicator} />
              <p className="hint">
                {indicatorDirectionLabels[indicator.direction]}
                {indicator.source ? ` · Källa: ${indicator.source}` : ""}
              </p>
              {can.recordProgress ? (
                <FormDisclosure summary="Lägg in eller rätta ett mätvärde" intent="measurement" indicatorId={indicator.id}>
                  <CommandForm intent="measurement" hidden={{ indicatorId: indicator.id }} submitLabel="Spara värdet">
                    {(form) => (
                      <>
                        <div className="form-row">
                          <Field label="Period" {...form.field("period")} id={`period-${indicator.id}`} hint={PERIOD_HINT} required />
                          <Field
                            label={`Värde (${indicator.unit})`}
                            {...form.field("value")}
                            id={`value-${indicator.id}`}
                            inputMode="decimal"
                            required
                          />
                        </div>
                        <Field label="Kommentar" {...form.field("comment")} id={`comment-${indicator.id}`} />
                      </>
                    )}
                  </CommandForm>
                </FormDisclosure>
              ) : null}
              {can.recordProgress ? (
                <FormDisclosure summary="Importera mätvärden från CSV" intent="import" indicatorId={indicator.id}>
                  <ImportForm indicatorId={indicator.id} name={indicator.name} />
                </FormDisclosure>
              ) : null}
              {can.recordProgress && indicator.measurements.length ? (
                <details>
                  <summary>Ta bort ett mätvärde</summary>
                  <ul className="list-plain">
                    {indicator.measurements.map((measurement) => (
                      <li key={measurement.period}>
                        {measurement.period}{" "}
                        <ConfirmButton
                          label={`Ta bort ${measurement.period}`}
                          title="Ta bort mätvärdet?"
                          description={`Värdet för ${measurement.period} tas bort från ${indicator.name}.`}
                          confirmLabel="Ja, ta bort"
                          fields={{ intent: "removeMeasurement", indicatorId: indicator.id, period: measurement.period }}
                        />
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {can.edit ? (
                <ConfirmButton
                  label="Ta bort indikatorn"
                  title="Ta bort indikatorn?"
                  description={`${indicator.name} tas bort med alla ${indicator.measurements.length} mätvärden. Värdena finns kvar i loggen.`}
                  confirmLabel="Ja, ta bort indikatorn"
                  fields={{ intent: "removeIndicator", indicatorId: indicator.id }}
                />
              ) : null}
            </div>
          ))}
        </section>
      ))}
      {can.edit && goals.length ? (
        <section className="card" aria-labelledby="ny-indikator">
          <h2 id="ny-indikator">Lägg till en indikator</h2>
          <CommandForm intent="addIndicator" submitLabel="Lägg till indikatorn">
            {(form) => (
              <>
                <Select
                  label="Mål"
                  name="goalId"
                  id="new-indicator-goal"
                  defaultValue={form.sent("goalId")}
                  error={form.error("goalId")}
                  options={goals.map((goal) => ({ value: goal.id, label: goal.title }))}
                />
                <Field
                  label="Indikator"
                  {...form.field("name")}
                  id="new-indicator-name"
                  required
                  hint="T.ex. Andel som känner sig trygga i området på kvällen."
                />
                <Field label="Enhet" {...form.field("unit")} id="new-indicator-unit" required hint="T.ex. procent, antal, anmälningar." />
                <div className="form-row">
                  <Field
                    label="Utgångsvärde"
                    {...form.field("baselineValue")}
                    id="new-indicator-baseline"
                    inputMode="decimal"
                    required
                  />
                  <Field
                    label="Utgångsläge, period"
                    {...form.field("baselinePeriod")}
                    id="new-indicator-baseline-period"
                    required
                    hint="T.ex. 2023."
                  />
                  <Field
                    label="Målvärde"
                    {...form.field("targetValue")}
                    id="new-indicator-target"
                    inputMode="decimal"
                    required
                  />
                </div>
                <fieldset>
                  <legend>Riktning</legend>
                  <RadioChoice
                    id="new-indicator-direction"
                    options={directionOptions}
                    {...form.field("direction", "hogre_ar_battre")}
                  />
                </fieldset>
                <Field
                  label="Källa"
                  {...form.field("source")}
                  id="new-indicator-source"
                  hint="T.ex. Stockholms stads trygghetsundersökning."
                />
              </>
            )}
          </CommandForm>
        </section>
      ) : null}
    </div>
  );
}
