import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { Select } from "../components/agreements/form-fields";
import { PromiseFields, PromiseProgress } from "../components/agreements/promise-fields";
import { FormError } from "../components/ui/field";
import { newPromiseSchema } from "../domain/agreements/agreements.schema";
import { createPromise, listPromises, promiseFormChoices } from "../domain/agreements/promises.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Medborgarlöften – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const [promises, choices] = await Promise.all([listPromises(db(), user), promiseFormChoices(db(), user)]);
  return { promises, choices };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const values = await readFormValues(request);
  const parsed = parseValues(values, newPromiseSchema);
  if (!parsed.ok) return data({ ok: false as const, message: Object.values(parsed.fieldErrors)[0] ?? "Kontrollera uppgifterna.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => redirect(`/medborgarloften/${(await createPromise(db(), user, parsed.data)).id}`), { values });
}

export default function PromisesPage() {
  const { promises, choices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const echo = (result?.values ?? {}) as Record<string, string>;
  return (
    <div className="stack">
      <p>
        <Link to="/overenskommelser">← Överenskommelser</Link>
      </p>
      <h1>Medborgarlöften</h1>
      <p>
        Årliga löften från polisen och stadsdelsnämnden till invånarna i ett område, med ett mål i siffror. Publicerade löften syns på den{" "}
        <Link to="/offentligt/medborgarloften">öppna sidan</Link> utan inloggning.
      </p>
      {promises.length === 0 ? (
        <p className="empty">Det finns inga medborgarlöften som du har tillgång till.</p>
      ) : (
        <ul className="list-plain">
          {promises.map((promise) => (
            <li key={promise.id}>
              <Link to={`/medborgarloften/${promise.id}`}>{promise.title}</Link>{" "}
              <span className="badge">{promise.publishedAt ? "Publicerat" : "Inte publicerat"}</span>
              <span className="hint">
                {promise.localArea} {promise.year} · {promise.ownerName}
              </span>
              <PromiseProgress text={promise.progress.text} percent={promise.progress.percent} />
            </li>
          ))}
        </ul>
      )}
      {choices.owners.length ? (
        <section className="card" aria-labelledby="nytt-lofte">
          <h2 id="nytt-lofte">Nytt medborgarlöfte</h2>
          <FormError message={result?.message} />
          <Form method="post" className="stack" noValidate>
            <PromiseFields
              idPrefix="new-promise"
              values={{ title: echo.title, description: echo.description, year: echo.year, localArea: echo.localArea, targetCount: echo.targetCount, targetUnit: echo.targetUnit, targetOf: echo.targetOf }}
            />
            <Select label="Ägs av" name="ownerOrganisationId" defaultValue={echo.ownerOrganisationId} options={choices.owners.map((org) => ({ value: org.id, label: org.name }))} />
            <Select
              label="Den andra parten"
              name="partyOrganisationIds"
              hint="Polisen och stadsdelsnämnden lovar tillsammans."
              defaultValue={echo.partyOrganisationIds}
              options={choices.organisations.map((org) => ({ value: org.id, label: org.name }))}
            >
              <option value="">Ingen</option>
            </Select>
            <Select label="Hör till överenskommelsen" name="agreementId" defaultValue={echo.agreementId} options={choices.agreements.map((agreement) => ({ value: agreement.id, label: agreement.title }))}>
              <option value="">Ingen</option>
            </Select>
            <div>
              <button type="submit" className="button" aria-disabled={busy}>
                {busy ? "Sparar…" : "Skapa löftet"}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
