import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { KunskapsdagForm, kunskapsdagValuesFromPost } from "../components/kunskapsdagar/kunskapsdag-form";
import { requireId } from "../domain/http-errors";
import { creatableOwners, getOrganiserView, kunskapsdagFormSchema, kunskapsdagFormValues, updateKunskapsdag } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Ändra kunskapsdag – Samverkansportalen" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const view = await getOrganiserView(db(), user, requireId(params.id));
  if (!view.can.edit) throw Response.json({ message: "Bara kunskapsdagens arrangörer kan ändra den." }, { status: 403 });
  if (view.day.status === "genomford") throw Response.json({ message: "En genomförd kunskapsdag kan inte ändras." }, { status: 409 });
  const { organisations } = await creatableOwners(db(), user);
  return { id: view.day.id, title: view.day.title, values: await kunskapsdagFormValues(db(), view.day), organisations };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const raw = await readFormValues(request);
  const values = kunskapsdagValuesFromPost(raw);
  const parsed = parseValues(raw, kunskapsdagFormSchema);
  if (!parsed.ok) return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => {
    await updateKunskapsdag(db(), user, id, parsed.data);
    return redirect(`/kunskapsdagar/${id}/hantera`);
  }, { values });
}

export default function EditKunskapsdagPage() {
  const { id, title, values, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/kunskapsdagar/${id}/hantera`}>← {title}</Link>
      </p>
      <h1>Ändra kunskapsdag</h1>
      <KunskapsdagForm
        mode="edit"
        values={result?.values ?? values}
        errors={(result?.fieldErrors ?? {}) as Record<string, string>}
        message={result?.message}
        cancelTo={`/kunskapsdagar/${id}/hantera`}
        owners={[]}
        organisations={organisations}
      />
    </div>
  );
}
