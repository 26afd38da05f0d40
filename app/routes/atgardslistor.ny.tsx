import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { Field, FormError } from "../components/ui/field";
import { createActionList, createListSchema } from "../domain/actions/action-lists.server";
import { listNetworks } from "../domain/networks/networks.server";
import { listOrganisations } from "../domain/people/people.server";
import { can } from "../domain/policy";
import { asFormResult, parseForm } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Ny åtgärdslista – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const organisations = await listOrganisations(db());
  const owners = organisations.filter((org) => can(user, "actionList.create", { type: "organisation", id: org.id }));
  if (owners.length === 0) throw Response.json({ message: "Du behöver vara medlem i en organisation för att skapa en åtgärdslista." }, { status: 403 });
  const networks = await listNetworks(db(), user);
  return {
    owners: owners.map(({ id, name }) => ({ id, name })),
    organisations: organisations.map(({ id, name }) => ({ id, name })),
    networks: networks.map(({ id, name }) => ({ id, name })),
  };
}

const formSchema = createListSchema.extend({
  sharedWithOrganisationIds: createListSchema.shape.sharedWithOrganisationIds.or(createListSchema.shape.ownerOrganisationId.transform((id) => [id])),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const parsed = await parseForm(request, formSchema);
  if (!parsed.ok) return data({ ok: false, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors }, { status: 400 });
  return asFormResult(async () => {
    const list = await createActionList(db(), user, parsed.data);
    return redirect(`/atgardslistor/${list.id}`);
  });
}

export default function NewActionListPage() {
  const { owners, organisations, networks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = (result && "fieldErrors" in result ? result.fieldErrors : {}) as Record<string, string>;
  return (
    <div className="narrow">
      <h1>Ny åtgärdslista</h1>
      {result && "message" in result ? <FormError message={result.message} /> : null}
      <p className="hint">Listan är till för åtgärder och platser, inte för uppgifter om enskilda personer eller säkerhetsskyddsklassificerade uppgifter.</p>
      <Form method="post" noValidate>
        <Field label="Namn" name="title" required error={errors.title} />
        <div className="field">
          <label htmlFor="description">Beskrivning</label>
          <textarea id="description" name="description" rows={3} />
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
        <div className="field">
          <label htmlFor="network">Nätverk (valfritt)</label>
          <select id="network" name="networkId" defaultValue="">
            <option value="">Inget nätverk</option>
            {networks.map((network) => (
              <option key={network.id} value={network.id}>
                {network.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>Dela med organisationer</legend>
          <p className="hint">Alla medlemmar i de valda organisationerna kan se och redigera listans åtgärder.</p>
          {errors.sharedWithOrganisationIds ? <p className="field-error">{errors.sharedWithOrganisationIds}</p> : null}
          {organisations.map((org) => (
            <label key={org.id} className="checkbox">
              <input type="checkbox" name="sharedWithOrganisationIds" value={org.id} />
              {org.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Skapar…" : "Skapa åtgärdslista"}
        </button>
      </Form>
    </div>
  );
}
