import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { can } from "../domain/policy";

export const meta: MetaFunction = () => [{ title: "Administration – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const adminOf = user.memberships.filter((m) => can(user, "organisation.manageMembers", { type: "organisation", id: m.organisationId }));
  const manageMail = can(user, "system.manageMail", { type: "system" });
  if (!manageMail && adminOf.length === 0) {
    throw Response.json({ message: "Administrationen är till för administratörer." }, { status: 403 });
  }
  return { manageMail, organisations: adminOf.map((m) => ({ id: m.organisationId, name: m.organisationName })) };
}

export default function AdminPage() {
  const { manageMail, organisations } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Administration</h1>
      <div className="grid">
        <section className="card" aria-labelledby="logg">
          <h2 id="logg">Händelselogg</h2>
          <p>Vem ändrade vad och när, med före- och efterbild.</p>
          <Link to="/admin/logg">Visa händelseloggen</Link>
        </section>
        {manageMail ? (
          <section className="card" aria-labelledby="epost">
            <h2 id="epost">E-post</h2>
            <p>Utgående mejl, försök och mejl som inte gick att leverera.</p>
            <Link to="/admin/e-post">Visa e-postkön</Link>
          </section>
        ) : null}
        <section className="card" aria-labelledby="org">
          <h2 id="org">Mina organisationer</h2>
          {organisations.length ? (
            <ul className="list-plain">
              {organisations.map((org) => (
                <li key={org.id}>
                  <Link to={`/organisationer/${org.id}`}>{org.name}</Link> – bjud in och hantera medlemmar
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Du administrerar ingen organisation.</p>
          )}
        </section>
      </div>
    </div>
  );
}
