import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { getNetwork } from "../domain/networks/networks.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.network.name ?? "Nätverk"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { network, members, sharedWith } = await getNetwork(db(), user, requireId(params.id));
  return { network, members, sharedWith };
}

export default function NetworkPage() {
  const { network, members, sharedWith } = useLoaderData<typeof loader>();
  const coordinators = members.filter((member) => member.role === "samordnare");
  return (
    <div className="stack">
      <p>
        <Link to="/natverk">← Alla nätverk</Link>
      </p>
      <h1>{network.name}</h1>
      {network.purpose ? <p>{network.purpose}</p> : null}
      <p className="muted">
        Ägs av <Link to={`/organisationer/${network.ownerId}`}>{network.ownerName}</Link>
        {sharedWith.length ? ` · delas med ${sharedWith.map((org) => org.name).join(", ")}` : " · delas inte med andra organisationer"}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="samordnare">
          <h2 id="samordnare">Samordnare</h2>
          {coordinators.length ? (
            <ul className="list-plain">
              {coordinators.map((member) => (
                <li key={member.id}>
                  {member.name}
                  <span className="hint">{member.organisations}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Nätverket har ingen samordnare.</p>
          )}
        </section>
        <section className="card" aria-labelledby="kommande-moten">
          <h2 id="kommande-moten">Kommande möten</h2>
          <p className="empty">Inga möten är planerade.</p>
        </section>
      </div>
      <section aria-labelledby="natverk-medlemmar">
        <h2 id="natverk-medlemmar">Medlemmar ({members.length})</h2>
        {members.length ? (
          <ul className="list-plain">
            {members.map((member) => (
              <li key={member.id}>
                {member.name}
                {member.title ? `, ${member.title}` : ""}
                <span className="hint">{member.organisations}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">Nätverket har inga medlemmar ännu.</p>
        )}
      </section>
    </div>
  );
}
