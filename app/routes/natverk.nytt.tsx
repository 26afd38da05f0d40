import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { Field, FormError } from "../components/ui/field";
import { createNetwork, createNetworkSchema } from "../domain/networks/networks.server";
import { listOrganisations } from "../domain/people/people.server";
import { can } from "../domain/policy";
import { asFormResult, parseForm } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Nytt nätverk – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const organisations = await listOrganisations(db());
  const owners = organisations.filter((org) => can(user, "network.create", { type: "organisation", id: org.id }));
  if (owners.length === 0) throw Response.json({ message: "Bara samordnare och administratörer kan skapa nätverk." }, { status: 403 });
  return { owners: owners.map(({ id, name }) => ({ id, name })), organisations: organisations.map(({ id, name }) => ({ id, name })) };
}

const formSchema = createNetworkSchema.extend({
  sharedWithOrganisationIds: createNetworkSchema.shape.sharedWithOrganisationIds.or(
    createNetworkSchema.shape.ownerOrganisationId.transform((id) => [id]),
  ),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const parsed = await parseForm(request, formSchema);
  if (!parsed.ok) return data({ ok: false, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  return asFormResult(async () => {
    const network = await createNetwork(db(), user, parsed.data);
    return redirect(`/natverk/${network.id}`);
  });
}

export default function NewNetworkPage() {
  const { owners, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = (result && "fieldErrors" in result ? result.fieldErrors : {}) as Record<string, string>;
  return (
    <div className="narrow">
      <h1>Nytt nätverk</h1>
      {result && "message" in result ? <FormError message={result.message} /> : null}
      <Form method="post" noValidate>
        <Field label="Namn" name="name" required error={errors.name} />
        <div className="field">
          <label htmlFor="purpose">Syfte</label>
          <textarea id="purpose" name="purpose" rows={4} />
        </div>
        <div className="field">
          <label htmlFor="owner">Ägande organisation</label>
          <select id="owner" name="ownerOrganisationId" aria-invalid={errors.ownerOrganisationId ? true : undefined}>
            {owners.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
          {errors.ownerOrganisationId ? <p className="field-error">{errors.ownerOrganisationId}</p> : null}
        </div>
        <fieldset>
          <legend>Dela med organisationer</legend>
          <p className="hint">Medlemmar i de valda organisationerna kan se nätverket.</p>
          {organisations.map((org) => (
            <label key={org.id} className="checkbox">
              <input type="checkbox" name="sharedWithOrganisationIds" value={org.id} />
              {org.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Skapar…" : "Skapa nätverk"}
        </button>
      </Form>
    </div>
  );
}
