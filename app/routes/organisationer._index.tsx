import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { TableRegion } from "../components/ui/table-region";
import { organisationTypeLabels } from "../domain/organisations/labels";
import { listOrganisations } from "../domain/people/people.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Organisationer – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { organisations: await listOrganisations(db()) };
}

export default function OrganisationsPage() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Organisationer</h1>
      {organisations.length === 0 ? (
        <p className="empty">Det finns inga organisationer ännu.</p>
      ) : (
        <TableRegion label="Organisationer">
          <table className="responsive-table">
            <caption>Organisationer i portalen</caption>
            <thead>
              <tr>
                <th scope="col">Namn</th>
                <th scope="col">Typ</th>
                <th scope="col">Medlemmar</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((organisation) => (
                <tr key={organisation.id}>
                  <td data-label="Namn">
                    <Link to={`/organisationer/${organisation.id}`}>{organisation.name}</Link>
                  </td>
                  <td data-label="Typ">{organisationTypeLabels[organisation.type]}</td>
                  <td data-label="Medlemmar">{organisation.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
