import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { FormError } from "../components/ui/field";
import { TableRegion } from "../components/ui/table-region";
import { getPeriodOverview, goalJudgementSchema, judgeGoal } from "../domain/followup/followup.server";
import { GOAL_JUDGEMENTS, goalJudgementLabels, periodKindLabels, periodTitle } from "../domain/followup/labels";
import { badRequest, requireId } from "../domain/http-errors";
import type { OwnerRequest } from "../domain/followup/data.server";
import { formatDate, formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.period.title ?? "Uppföljning"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const overview = await getPeriodOverview(db(), user, requireId(params.id), requireId(params.periodId));
  const { agreement, period } = overview;
  return {
    agreement: { id: agreement.id, title: agreement.title },
    period: { id: period.id, title: periodTitle(period.kind, period.year), kindLabel: periodKindLabels[period.kind], deadline: formatDate(`${period.deadline}T12:00:00Z`) },
    owners: overview.owners.map(({ request, ...owner }) => ({ ...owner, request: requestText(request, overview.open) })),
    goals: overview.goals,
    canJudge: overview.canJudge,
    ownsItems: overview.ownsItems,
  };
}

/** Whether and when the owner was asked, as the period page says it. */
function requestText(request: OwnerRequest | null, open: boolean) {
  if (!request) return open ? "Inte tillfrågad än: begäran skickas inom några minuter." : "Inte tillfrågad: blev ansvarig efter sista dagen.";
  if (request.status === "sent") return `Skickad ${formatDateTime(request.askedAt)}`;
  if (request.status === "dead") return "Kunde inte skickas.";
  return "Skickas nu.";
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const agreementId = requireId(params.id);
  const periodId = requireId(params.periodId);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    if (values.intent !== "judge-goal") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, goalJudgementSchema);
    if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera bedömningen.", parsed.fieldErrors);
    await judgeGoal(db(), user, agreementId, periodId, parsed.data);
    return { ok: true as const, message: "Bedömningen är sparad.", goalId: parsed.data.goalId };
  }, { goalId: typeof values.goalId === "string" ? values.goalId : "", reasoning: typeof values.reasoning === "string" ? values.reasoning : "" });
}

export default function FollowupPeriodPage() {
  const { agreement, period, owners, goals, canJudge, ownsItems } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${agreement.id}/uppfoljning`}>← Uppföljning av {agreement.title}</Link>
      </p>
      <h1>
        {period.title}: {agreement.title}
      </h1>
      <p className="muted">
        {period.kindLabel}. Sista dag för de ansvarigas uppföljning: {period.deadline}.
      </p>
      <div className="actions">
        <Link className="button" to={`/overenskommelser/${agreement.id}/rapport/${period.id}`}>
          Visa rapporten
        </Link>
        {ownsItems ? (
          <Link className="button button--secondary" to={`/overenskommelser/${agreement.id}/uppfoljning/${period.id}/mina-atgarder`}>
            Följ upp mina åtgärder
          </Link>
        ) : null}
      </div>
      <div aria-live="polite">{result && "ok" in result && result.ok ? <p className="alert alert--success">{result.message}</p> : null}</div>
      {result && !("ok" in result && result.ok) && "message" in result ? <FormError message={result.message} /> : null}

      <section aria-labelledby="ansvariga">
        <h2 id="ansvariga">Ansvariga och deras begäran</h2>
        {owners.length === 0 ? (
          <p className="empty">Inga åtgärder med ansvariga är kopplade till överenskommelsen.</p>
        ) : (
          <TableRegion labelledBy="ansvariga">
            <table>
              <thead>
                <tr>
                  <th scope="col">Ansvarig</th>
                  <th scope="col">Åtgärder</th>
                  <th scope="col">Uppföljda</th>
                  <th scope="col">Begäran</th>
                </tr>
              </thead>
              <tbody>
                {owners.map((owner) => (
                  <tr key={owner.name}>
                    <th scope="row">{owner.name}</th>
                    <td>{owner.items}</td>
                    <td>{owner.updated}</td>
                    <td>{owner.request}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>

      <section aria-labelledby="malbedomning">
        <h2 id="malbedomning">Bedömning av målen</h2>
        {goals.length === 0 ? <p className="empty">Överenskommelsen har inga mål ännu.</p> : null}
        {goals.map((goal) => (
          <div key={goal.id} className="card">
            <h3>{goal.title}</h3>
            {canJudge ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="judge-goal" />
                <input type="hidden" name="goalId" value={goal.id} />
                <fieldset>
                  <legend>Bedömning för {period.title}</legend>
                  {GOAL_JUDGEMENTS.map((judgement) => (
                    <label key={judgement} className="radio">
                      <input type="radio" name="judgement" value={judgement} defaultChecked={goal.judgement === judgement} required /> {goalJudgementLabels[judgement]}
                    </label>
                  ))}
                </fieldset>
                <div className="field">
                  <label htmlFor={`motivering-${goal.id}`}>Motivering</label>
                  <textarea
                    id={`motivering-${goal.id}`}
                    name="reasoning"
                    rows={3}
                    maxLength={5000}
                    required
                    defaultValue={result && "goalId" in result && result.goalId === goal.id && "reasoning" in result ? String(result.reasoning) : (goal.reasoning ?? "")}
                  />
                </div>
                <button type="submit" className="button">
                  Spara bedömningen
                </button>
              </Form>
            ) : (
              <p>{goal.judgement ? `${goalJudgementLabels[goal.judgement]}: ${goal.reasoning}` : "Inte bedömt ännu."}</p>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}
