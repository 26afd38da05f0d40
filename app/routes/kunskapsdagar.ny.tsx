import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { KunskapsdagForm, kunskapsdagValuesFromPost } from "../components/kunskapsdagar/kunskapsdag-form";
import { requireId } from "../domain/http-errors";
import { copyFormValues, createKunskapsdag, creatableOwners, kunskapsdagFormSchema } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { redirectWithFlash } from "../server/flash.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Ny kunskapsdag – Samverkansportalen" }];

const KUNSKAPSDAG_CREATED = "Kunskapsdagen är sparad som utkast. Den syns och tar emot anmälningar först när du publicerar den.";

const ONLY_LEADS = "Bara samordnare och administratörer i en organisation kan skapa kunskapsdagar.";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { owners, organisations } = await creatableOwners(db(), user);
  if (owners.length === 0) throw Response.json({ message: ONLY_LEADS }, { status: 403 });
  // "Ny kunskapsdag utifrån denna": the form prefilled from an earlier day, dates left empty.
  const from = new URL(request.url).searchParams.get("utifran");
  const copy = from === null ? null : await copyFormValues(db(), user, requireId(from));
  return { owners, organisations, copy };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const raw = await readFormValues(request);
  const values = kunskapsdagValuesFromPost(raw);
  const parsed = parseValues(raw, kunskapsdagFormSchema);
  if (!parsed.ok) return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => redirectWithFlash(`/kunskapsdagar/${(await createKunskapsdag(db(), user, parsed.data)).id}/hantera`, KUNSKAPSDAG_CREATED), { values });
}

export default function NewKunskapsdagPage() {
  const { owners, organisations, copy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to="/kunskapsdagar">← Kunskapsdagar</Link>
      </p>
      <h1>Ny kunskapsdag</h1>
      <p className="muted">Kunskapsdagen sparas som utkast. Den syns för alla och tar emot anmälningar först när du publicerar den.</p>
      {copy ? (
        <div className="alert alert--warn" role="status">
          Uppgifterna är hämtade från <Link to={`/kunskapsdagar/${copy.source.id}/hantera`}>{copy.source.title}</Link>. Ange datum, tider och när anmälan öppnar och stänger. Inget sparas förrän du sparar formuläret.
        </div>
      ) : null}
      <KunskapsdagForm
        mode="create"
        values={result?.values ?? copy ?? { audience: "alla", questions: ["kost", "tillganglighet"] }}
        errors={(result?.fieldErrors ?? {}) as Record<string, string>}
        message={result?.message}
        cancelTo="/kunskapsdagar"
        owners={owners}
        organisations={organisations}
      />
    </div>
  );
}
