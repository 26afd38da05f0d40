import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { Field, FormError } from "../components/ui/field";
import { estNetworkChoices, planEstRhythm } from "../domain/followup/calendar.server";
import { createPeriod, listPeriods, periodSchema } from "../domain/followup/followup.server";
import { EST_RHYTHMS, PERIOD_KINDS, periodKindLabels, periodTitle, suggestedDeadline } from "../domain/followup/labels";
import { badRequest, requireId } from "../domain/http-errors";
import { formatDate } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Uppföljning ${data?.agreement.title ?? ""} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { agreement, periods, canManage } = await listPeriods(db(), user, requireId(params.id));
  const year = new Date().getFullYear();
  return {
    agreement: { id: agreement.id, title: agreement.title },
    canManage,
    networks: canManage ? await estNetworkChoices(db(), user) : [],
    year,
    suggested: Object.fromEntries(PERIOD_KINDS.map((kind) => [kind, suggestedDeadline(kind, year)])),
    periods: periods.map((period) => ({
      id: period.id,
      title: periodTitle(period.kind, period.year),
      kindLabel: periodKindLabels[period.kind],
      deadline: formatDate(`${period.deadline}T12:00:00Z`),
      requests: requestsText(period.askedOwners, period.owners, period.open),
      remindersSent: Boolean(period.remindersQueuedAt),
    })),
  };
}

/** How many of the åtgärder's owners have been asked for the period. */
function requestsText(asked: number, owners: number, open: boolean) {
  if (owners === 0) return "Inga ansvariga att fråga ännu.";
  if (asked >= owners) return `Begäran skickad till ${owners === 1 ? "den ansvariga" : `alla ${owners} ansvariga`}.`;
  if (!open) return `Begäran skickad till ${asked} av ${owners} ansvariga; de övriga blev ansvariga efter sista dagen.`;
  if (asked === 0) return "Begäran skickas strax.";
  return `Begäran skickad till ${asked} av ${owners} ansvariga; de övriga får den inom några minuter.`;
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const agreementId = requireId(params.id);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    if (values.intent === "plan-est") {
      const count = await planEstRhythm(db(), user, agreementId, values);
      return { ok: true as const, message: `${count} ${count === 1 ? "möte är planerat" : "möten är planerade"} i nätverket. Inbjudningarna skickas.` };
    }
    if (values.intent !== "create-period") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, periodSchema);
    if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera uppgifterna.", parsed.fieldErrors);
    const period = await createPeriod(db(), user, agreementId, parsed.data);
    return redirect(`/overenskommelser/${agreementId}/uppfoljning/${period.id}`);
  }, { values });
}

export default function FollowupPeriodsPage() {
  const { agreement, canManage, periods, year, suggested, networks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  const echoed = result && "values" in result ? (result.values as Record<string, string>) : {};
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${agreement.id}`}>← {agreement.title}</Link>
      </p>
      <h1>Uppföljning: {agreement.title}</h1>
      <p>
        Staden följer upp per tertial (T1 januari–april, T2 maj–augusti med delårsbokslut 31 augusti) och i verksamhetsberättelsen för helåret.
        När en period öppnas får de ansvariga för varje åtgärd ett mejl med en begäran om att ange status och bedömning före sista dagen, och
        en påminnelse tre dagar före om de inte har gjort det.
      </p>
      <section aria-labelledby="perioder">
        <h2 id="perioder">Perioder</h2>
        {periods.length === 0 ? (
          <p className="empty">Ingen uppföljningsperiod är öppnad ännu.</p>
        ) : (
          <ul className="list-plain">
            {periods.map((period) => (
              <li key={period.id} className="card">
                <h3>
                  <Link to={`/overenskommelser/${agreement.id}/uppfoljning/${period.id}`}>{period.title}</Link>
                </h3>
                <p className="muted">
                  {period.kindLabel}. Sista dag {period.deadline}. {period.requests}{" "}
                  {period.remindersSent ? "Påminnelse skickad." : ""}
                </p>
                <p>
                  <Link to={`/overenskommelser/${agreement.id}/rapport/${period.id}`}>Rapport {period.title}</Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div aria-live="polite">{result && "ok" in result && result.ok ? <p className="alert alert--success">{result.message}</p> : null}</div>
      {canManage ? (
        <section aria-labelledby="ny-period">
          <h2 id="ny-period">Öppna en period</h2>
          {result && !("ok" in result && result.ok) && "message" in result && echoed.intent === "create-period" ? <FormError message={result.message} /> : null}
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="create-period" />
            <div className="field">
              <label htmlFor="period-kind">Period</label>
              <select id="period-kind" name="kind" defaultValue={echoed.kind ?? "t1"} aria-invalid={errors.kind ? true : undefined} aria-describedby={errors.kind ? "period-kind-error" : undefined}>
                {PERIOD_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {periodKindLabels[kind]}
                  </option>
                ))}
              </select>
              {errors.kind ? (
                <p className="field-error" id="period-kind-error">
                  {errors.kind}
                </p>
              ) : null}
            </div>
            <Field label="År" name="year" type="number" inputMode="numeric" required defaultValue={echoed.year ?? String(year)} error={errors.year} />
            <Field
              label="Sista dag för uppföljning"
              name="deadline"
              type="date"
              required
              hint={`Förslag: T1 ${suggested.t1}, T2 ${suggested.t2}, verksamhetsberättelse ${suggested.verksamhetsberattelse}.`}
              defaultValue={echoed.deadline ?? ""}
              error={errors.deadline}
            />
            <button type="submit" className="button" aria-disabled={navigation.state !== "idle"}>
              {navigation.state !== "idle" ? "Öppnar…" : "Öppna perioden och skicka begäran"}
            </button>
          </Form>
        </section>
      ) : null}
      {canManage ? (
        <section aria-labelledby="est">
          <h2 id="est">Mötesrytm (EST)</h2>
          <p>
            Planera EST-rytmen som möten i ett nätverk: en veckovis lägesbild, en kvartalsvis analys av var insatserna ska göras eller en
            årlig uppföljning. Nätverkets medlemmar bjuds in.
          </p>
          {result && !("ok" in result && result.ok) && "message" in result && echoed.intent === "plan-est" ? <FormError message={result.message} /> : null}
          {networks.length === 0 ? (
            <p className="empty">Du samordnar inget nätverk där mötena kan planeras.</p>
          ) : (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="plan-est" />
              <div className="field">
                <label htmlFor="est-network">Nätverk</label>
                <select id="est-network" name="networkId" defaultValue={echoed.networkId ?? networks[0].id}>
                  {networks.map((network) => (
                    <option key={network.id} value={network.id}>
                      {network.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="est-rhythm">Rytm</label>
                <select id="est-rhythm" name="rhythm" defaultValue={echoed.rhythm ?? "vecka"}>
                  {Object.entries(EST_RHYTHMS).map(([key, rhythm]) => (
                    <option key={key} value={key}>
                      {rhythm.label}
                    </option>
                  ))}
                </select>
              </div>
              <Field label="Antal veckor (veckovis rytm)" name="weeks" type="number" inputMode="numeric" min={2} max={52} defaultValue={echoed.weeks ?? "12"} error={errors.weeks} />
              <Field label="Första mötet" name="date" type="date" required defaultValue={echoed.date ?? ""} error={errors.date} />
              <Field label="Börjar" name="startTime" type="time" required defaultValue={echoed.startTime ?? "09:00"} error={errors.startTime} />
              <Field label="Slutar" name="endTime" type="time" required defaultValue={echoed.endTime ?? "10:00"} error={errors.endTime} />
              <Field label="Plats" name="place" required defaultValue={echoed.place ?? ""} error={errors.place} />
              <button type="submit" className="button button--secondary">
                Planera mötena
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </div>
  );
}
