import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { agreementFormChoices, listAgreements } from "../domain/agreements/agreements.server";
import { agreementLevelLabels, agreementStatusLabels } from "../domain/agreements/labels";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Samverkansöverenskommelser – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const [agreements, choices] = await Promise.all([listAgreements(db(), user), agreementFormChoices(db(), user)]);
  return { agreements, canCreate: choices.owners.length > 0 };
}

export default function AgreementsPage() {
  const { agreements, canCreate } = useLoaderData<typeof loader>();
  const groups = (["stadsovergripande", "lokal"] as const).map((level) => ({ level, items: agreements.filter((agreement) => agreement.level === level) }));
  return (
    <div className="stack">
      <h1>Samverkansöverenskommelser</h1>
      <p>
        Överenskommelserna mellan staden och Polisregion Stockholm, stadsövergripande och lokala (stadsdelsnämnd och lokalpolisområde): lägesbild,
        prioriterade problem, mål och indikatorer, Brås fem steg, medborgarlöften och kopplade åtgärder.
      </p>
      <div className="actions">
        {canCreate ? (
          <Link className="button" to="/overenskommelser/ny">
            Ny överenskommelse
          </Link>
        ) : null}
        <Link className="button button--secondary" to="/medborgarloften">
          Medborgarlöften
        </Link>
      </div>
      {groups.map((group) => (
        <section key={group.level} aria-labelledby={`niva-${group.level}`}>
          <h2 id={`niva-${group.level}`}>{group.level === "lokal" ? "Lokala överenskommelser" : "Stadsövergripande överenskommelser"}</h2>
          {group.items.length === 0 ? (
            <p className="empty">Det finns inga {agreementLevelLabels[group.level].toLowerCase()}a överenskommelser som du har tillgång till.</p>
          ) : (
            <ul className="list-plain">
              {group.items.map((agreement) => (
                <li key={agreement.id}>
                  <Link to={`/overenskommelser/${agreement.id}`}>{agreement.title}</Link>{" "}
                  <span className="badge">{agreementStatusLabels[agreement.status]}</span>
                  <span className="hint">
                    {agreement.periodStartYear}–{agreement.periodEndYear} · {agreement.partyNames.join(", ")}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
