import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, FormSuccess } from "../components/ui/field";
import { evaluationFormSchema, loadEvaluationTarget, parseEvaluationToken, submitEvaluation } from "../domain/kunskapsdagar/evaluation.server";
import { EVALUATION_QUESTIONS } from "../domain/kunskapsdagar/labels";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Utvärdering – Samverkansportalen" }, { name: "robots", content: "noindex" }];

/**
 * The anonymous evaluation form behind the personal link in the evaluation mail. The signed link
 * is the authority (no sign-in); the answer is stored without the person.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const { day, answered } = await loadEvaluationTarget(db(), parseEvaluationToken(params.token));
  return { day: { title: day.title, when: meetingWhen(day.startsAt, day.endsAt) }, answered };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const registrationId = parseEvaluationToken(params.token);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    const parsed = parseValues(values, evaluationFormSchema);
    if (!parsed.ok) return data({ ok: false, message: "Kontrollera de markerade frågorna.", fieldErrors: parsed.fieldErrors }, { status: 400 });
    await submitEvaluation(db(), registrationId, parsed.data);
    return { ok: true, message: "Tack för ditt svar! Det är sparat utan ditt namn och din e-postadress.", fieldErrors: {} as Record<string, string> };
  });
}

const SCALE = [
  { value: 1, label: "1 – Mycket dåligt" },
  { value: 2, label: "2 – Dåligt" },
  { value: 3, label: "3 – Godkänt" },
  { value: 4, label: "4 – Bra" },
  { value: 5, label: "5 – Mycket bra" },
];

export default function EvaluationPage() {
  const { day, answered } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = (result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {}) as Record<string, string>;
  const done = answered || result?.ok;
  return (
    <div className="narrow stack">
      <h1>Utvärdering</h1>
      <p>
        <strong>{day.title}</strong>
        <br />
        {day.when}
      </p>
      {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
      {answered && !result?.ok ? (
        <div className="alert" role="status">
          Du har redan svarat på utvärderingen. Tack för ditt svar!
        </div>
      ) : null}
      <FormError message={result && !result.ok ? result.message : null} />
      {done ? null : (
        <Form method="post" noValidate>
          <p className="muted">Svaret är anonymt: det sparas utan ditt namn och din e-postadress, och länken kan bara användas en gång.</p>
          {EVALUATION_QUESTIONS.map((question) => (
            <fieldset key={question.key} aria-describedby={errors[question.key] ? `${question.key}-fel` : undefined}>
              <legend>
                {question.label}
                {question.key === "overall" ? " (obligatorisk)" : ""}
              </legend>
              {errors[question.key] ? (
                <p className="field-error" id={`${question.key}-fel`}>
                  {errors[question.key]}
                </p>
              ) : null}
              {SCALE.map((option) => (
                <label key={option.value} className="checkbox">
                  <input type="radio" name={question.key} value={option.value} required={question.key === "overall"} />
                  {option.label}
                </label>
              ))}
            </fieldset>
          ))}
          <div className="field">
            <label htmlFor="comment">Vill du säga något mer? (frivilligt)</label>
            <textarea id="comment" name="comment" rows={5} maxLength={2000} aria-describedby={errors.comment ? "comment-fel" : undefined} />
            {errors.comment ? (
              <p className="field-error" id="comment-fel">
                {errors.comment}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Skickar…" : "Skicka svaret"}
          </button>
        </Form>
      )}
    </div>
  );
}
