import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { listNetworks } from "../domain/networks/networks.server";
import { leadOrganisationIds } from "../domain/policy";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Nätverk – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const networks = await listNetworks(db(), user, query);
  return { query, networks, canCreate: user.isSystemAdmin || leadOrganisationIds(user).length > 0 };
}

export default function NetworksPage() {
  const { query, networks, canCreate } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/natverk";
  return (
    <div className="stack">
      <h1>Nätverk</h1>
      <div className="actions">
        <Form method="get" role="search" className="actions">
          <label htmlFor="q" className="visually-hidden">
            Sök nätverk
          </label>
          <input id="q" type="search" name="q" defaultValue={query} placeholder="Sök på namn, syfte eller organisation" />
          <button type="submit" className="button button--secondary">
            {searching ? "Söker…" : "Sök"}
          </button>
        </Form>
        {canCreate ? (
          <Link to="/natverk/nytt" className="button">
            Nytt nätverk
          </Link>
        ) : null}
      </div>
      <p className="muted" role="status">
        {query ? `Sökningen "${query}" gav ${networks.length} nätverk.` : `Du ser ${networks.length} nätverk.`}
      </p>
      {networks.length === 0 ? (
        <p className="empty">{query ? `Inga nätverk matchar "${query}".` : "Inga nätverk är delade med dig ännu."}</p>
      ) : (
        <ul className="list-plain" aria-live="polite">
          {networks.map((network) => (
            <li key={network.id}>
              <Link to={`/natverk/${network.id}`}>
                <strong>{network.name}</strong>
              </Link>
              <br />
              <span className="muted">
                {network.ownerName} · {network.members} {network.members === 1 ? "medlem" : "medlemmar"}
              </span>
              {network.purpose ? <p>{network.purpose}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
