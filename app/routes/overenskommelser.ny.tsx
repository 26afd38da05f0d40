import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { Select } from "../components/agreements/form-fields";
import { Field, FormError } from "../components/ui/field";
import { newAgreementSchema } from "../domain/agreements/agreements.schema";
import { agreementFormChoices, createAgreement } from "../domain/agreements/agreements.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Ny överenskommelse – Samverkansportalen" }];

const ONLY_LEADS = "Bara samordnare och administratörer i en organisation kan starta en överenskommelse.";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const choices = await agreementFormChoices(db(), user);
  if (choices.owners.length === 0) throw Response.json({ message: ONLY_LEADS }, { status: 403 });
  return choices;
}

type Values = Record<string, string | string[]>;

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const values = await readFormValues(request);
  const parsed = parseValues(values, newAgreementSchema);
  if (!parsed.ok) return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => redirect(`/overenskommelser/${(await createAgreement(db(), user, parsed.data)).id}/redigera`), { values });
}

export default function NewAgreementPage() {
  const { owners, organisations, cityWideAgreements } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values: Values = result?.values ?? { level: "lokal", periodStartYear: String(new Date().getFullYear()), periodEndYear: String(new Date().getFullYear() + 3) };
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  const value = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
  const parties = ([] as string[]).concat(values.partyOrganisationIds ?? []);
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to="/overenskommelser">← Överenskommelser</Link>
      </p>
      <h1>Ny överenskommelse</h1>
      <p className="muted">Överenskommelsen sparas som utkast. Du fyller i lägesbild, problem och mål på nästa sida.</p>
      <FormError message={result?.message} />
      <Form method="post" className="stack" noValidate>
        <Field label="Titel" name="title" required defaultValue={value("title")} error={errors.title} />
        <fieldset>
          <legend>Nivå</legend>
          <label className="checkbox">
            <input type="radio" name="level" value="stadsovergripande" defaultChecked={value("level") === "stadsovergripande"} /> Stadsövergripande (staden och Polisregion Stockholm)
          </label>
          <label className="checkbox">
            <input type="radio" name="level" value="lokal" defaultChecked={value("level") !== "stadsovergripande"} /> Lokal (stadsdelsnämnd och lokalpolisområde)
          </label>
          {errors.level ? <p className="field-error">{errors.level}</p> : null}
        </fieldset>
        <Select
          label="Ägs av"
          name="ownerOrganisationId"
          defaultValue={value("ownerOrganisationId")}
          error={errors.ownerOrganisationId}
          options={owners.map((org) => ({ value: org.id, label: org.name }))}
        />
        <fieldset aria-describedby={errors.partyOrganisationIds ? "parter-fel" : undefined}>
          <legend>Övriga parter</legend>
          <p className="hint">Överenskommelsen delas med parterna. Stadsledningskontoret ser alla överenskommelser.</p>
          <div className="checkbox-columns">
            {organisations.map((org) => (
              <label key={org.id} className="checkbox">
                <input type="checkbox" name="partyOrganisationIds" value={org.id} defaultChecked={parties.includes(org.id)} /> {org.name}
              </label>
            ))}
          </div>
          {errors.partyOrganisationIds ? (
            <p className="field-error" id="parter-fel">
              {errors.partyOrganisationIds}
            </p>
          ) : null}
        </fieldset>
        <div className="form-row">
          <Field label="Första året" name="periodStartYear" inputMode="numeric" required defaultValue={value("periodStartYear")} error={errors.periodStartYear} />
          <Field label="Sista året" name="periodEndYear" inputMode="numeric" required defaultValue={value("periodEndYear")} error={errors.periodEndYear} />
        </div>
        <Field label="Område" name="localArea" hint="För en lokal överenskommelse, t.ex. Järva." defaultValue={value("localArea")} error={errors.localArea} />
        <Select
          label="Under den stadsövergripande överenskommelsen"
          name="parentAgreementId"
          defaultValue={value("parentAgreementId")}
          error={errors.parentAgreementId}
          options={cityWideAgreements.map((agreement) => ({ value: agreement.id, label: agreement.title }))}
        >
          <option value="">Ingen</option>
        </Select>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Skapar…" : "Skapa utkast"}
          </button>
          <Link to="/overenskommelser" className="button button--secondary">
            Avbryt
          </Link>
        </div>
      </Form>
    </div>
  );
}
