import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { FormSuccess } from "../components/ui/field";
import { listActionLists } from "../domain/actions/action-lists.server";
import { listNetworks } from "../domain/networks/networks.server";
import { uuidPattern } from "../domain/http-errors";
import { formatDate, formatDateTime } from "../format";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Åtgärdslistor – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const network = new URL(request.url).searchParams.get("natverk") ?? "";
  const networkId = uuidPattern.test(network) ? network.toLowerCase() : undefined;
  const [lists, networks] = await Promise.all([listActionLists(db(), user, { networkId }), listNetworks(db(), user)]);
  // A list shared with the reader may belong to a network that is not: its name is not shown then.
  const visibleNetworks = new Set(networks.map((network) => network.id));
  return {
    networkId: networkId ?? "",
    networks: networks.map(({ id, name }) => ({ id, name })),
    lists: lists.map((list) => ({
      ...list,
      networkName: list.networkId && visibleNetworks.has(list.networkId) ? list.networkName : null,
      updatedAt: formatDateTime(list.updatedAt),
      archivedAt: list.archivedAt ? formatDate(list.archivedAt) : null,
    })),
    canCreate: user.isSystemAdmin || user.memberships.length > 0,
  };
}

export default function ActionListsPage() {
  const { lists, networks, networkId, canCreate } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const active = lists.filter((list) => !list.archivedAt);
  const archived = lists.filter((list) => list.archivedAt);
  return (
    <div className="stack">
      <h1>Åtgärdslistor</h1>
      {search.get("borttagen") ? <FormSuccess>Åtgärdslistan är borttagen.</FormSuccess> : null}
      <p className="muted">Gemensamma åtgärder med ansvarig organisation, kontaktperson, slutdatum och uppföljning, delade mellan organisationerna.</p>
      <div className="toolbar">
        <Form method="get" className="filter-bar" aria-label="Filtrera listor">
          <label htmlFor="natverk">Nätverk</label>
          <div className="filter-bar__row">
            <select id="natverk" name="natverk" defaultValue={networkId}>
              <option value="">Alla nätverk</option>
              {networks.map((network) => (
                <option key={network.id} value={network.id}>
                  {network.name}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--secondary">
              Visa
            </button>
          </div>
        </Form>
        {canCreate ? (
          <Link to="/atgardslistor/ny" className="button">
            Ny åtgärdslista
          </Link>
        ) : null}
      </div>
      {active.length === 0 ? (
        <p className="empty">
          {archived.length
            ? "Inga listor är i bruk just nu; de arkiverade finns nedan."
            : networkId
              ? "Nätverket har inga åtgärdslistor som du kan se."
              : "Inga åtgärdslistor är delade med dig ännu."}
        </p>
      ) : (
        <ListOfLists lists={active} />
      )}
      {archived.length ? (
        <details>
          <summary>{`Arkiverade listor (${archived.length})`}</summary>
          <p className="hint">Arkiverade listor går att läsa och exportera men inte ändra.</p>
          <ListOfLists lists={archived} />
        </details>
      ) : null}
    </div>
  );
}

type ListSummary = ReturnType<typeof useLoaderData<typeof loader>>["lists"][number];

function ListOfLists({ lists }: { lists: ListSummary[] }) {
  return (
    <ul className="list-plain">
      {lists.map((list) => (
        <li key={list.id}>
          <Link to={`/atgardslistor/${list.id}`}>
            <strong>{list.title}</strong>
          </Link>
          <br />
          <span className="muted">
            {list.ownerName}
            {list.networkName ? ` · ${list.networkName}` : ""} · {list.items} åtgärder, {list.open} pågående eller ej påbörjade
            {list.overdue && !list.archivedAt ? ` · ${list.overdue} försenade` : ""} · {list.archivedAt ? `arkiverad ${list.archivedAt}` : `ändrad ${list.updatedAt}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
