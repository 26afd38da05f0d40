import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { FormError } from "../components/ui/field";
import { itemUpdateSchema, myItems, updateItem } from "../domain/followup/followup.server";
import { ACTION_JUDGEMENTS, ACTION_STATUSES, actionJudgementLabels, actionStatusLabels, periodTitle } from "../domain/followup/labels";
import { badRequest, requireId } from "../domain/http-errors";
import { formatDate, formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Mina åtgärder ${data?.period.title ?? ""} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { agreement, period, items } = await myItems(db(), user, requireId(params.id), requireId(params.periodId));
  return {
    agreement,
    period: { id: period.id, title: periodTitle(period.kind, period.year), deadline: formatDate(`${period.deadline}T12:00:00Z`) },
    items: items.map((item) => ({ ...item, update: item.update ? { ...item.update, updatedAt: formatDateTime(item.update.updatedAt) } : null })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const agreementId = requireId(params.id);
  const periodId = requireId(params.periodId);
  const values = await readFormValues(request);
  const echo = { itemId: String(values.itemId ?? ""), status: String(values.status ?? ""), judgement: String(values.judgement ?? ""), judgementReason: String(values.judgementReason ?? "") };
  return asFormResult(async () => {
    if (values.intent !== "update-item") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    const parsed = parseValues(values, itemUpdateSchema);
    if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Kontrollera uppföljningen.", parsed.fieldErrors);
    await updateItem(db(), user, agreementId, periodId, parsed.data);
    return { ok: true as const, message: "Uppföljningen är sparad.", ...echo };
  }, echo);
}

export default function MyItemsPage() {
  const { agreement, period, items } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${agreement.id}/uppfoljning/${period.id}`}>← {period.title}</Link>
      </p>
      <h1>Mina åtgärder: {agreement.title}</h1>
      <p>
        Ange status och bedömning för {period.title} senast {period.deadline}. Grön: går enligt plan. Gul: avvikelse som hanteras. Röd: åtgärden
        genomförs inte som planerat. Skriv en motivering för gul och röd. Skriv inte uppgifter om enskilda personer eller
        säkerhetsskyddsklassificerade uppgifter.
      </p>
      <div aria-live="polite">{result && "ok" in result && result.ok ? <p className="alert alert--success">{result.message}</p> : null}</div>
      {items.length === 0 ? <p className="empty">Du är inte ansvarig för någon åtgärd i den här överenskommelsen.</p> : null}
      {items.map((item) => {
        const failed = result && !("ok" in result && result.ok) && result.itemId === item.id ? result : null;
        const values = failed ?? item.update ?? { status: item.status, judgement: item.judgement ?? "", judgementReason: item.judgementReason };
        const errors = failed && "fieldErrors" in failed ? (failed.fieldErrors as Record<string, string>) : {};
        return (
          <section key={item.id} className="card" aria-labelledby={`atgard-${item.id}`}>
            <h2 id={`atgard-${item.id}`}>
              {item.number}. {item.title}
            </h2>
            <p className="muted">
              {item.listTitle}. {item.update ? `Uppföljd ${item.update.updatedAt}.` : "Inte uppföljd för perioden ännu."}
            </p>
            {failed && "message" in failed ? <FormError message={String(failed.message)} /> : null}
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="update-item" />
              <input type="hidden" name="itemId" value={item.id} />
              <div className="field">
                <label htmlFor={`status-${item.id}`}>Status</label>
                <select id={`status-${item.id}`} name="status" defaultValue={values.status}>
                  {ACTION_STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {actionStatusLabels[status]}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset aria-describedby={errors.judgement ? `bedomning-${item.id}-error` : undefined}>
                <legend>Bedömning</legend>
                {ACTION_JUDGEMENTS.map((judgement) => (
                  <label key={judgement} className="radio">
                    <input type="radio" name="judgement" value={judgement} defaultChecked={values.judgement === judgement} /> {actionJudgementLabels[judgement]}
                  </label>
                ))}
                {errors.judgement ? (
                  <p className="field-error" id={`bedomning-${item.id}-error`}>
                    {errors.judgement}
                  </p>
                ) : null}
              </fieldset>
              <div className="field">
                <label htmlFor={`motivering-${item.id}`}>Motivering</label>
                <textarea
                  id={`motivering-${item.id}`}
                  name="judgementReason"
                  rows={3}
                  maxLength={5000}
                  defaultValue={values.judgementReason}
                  aria-invalid={errors.judgementReason ? true : undefined}
                  aria-describedby={errors.judgementReason ? `motivering-${item.id}-error` : undefined}
                />
                {errors.judgementReason ? (
                  <p className="field-error" id={`motivering-${item.id}-error`}>
                    {errors.judgementReason}
                  </p>
                ) : null}
              </div>
              <button type="submit" className="button">
                Spara uppföljningen
              </button>
            </Form>
          </section>
        );
      })}
    </div>
  );
}
