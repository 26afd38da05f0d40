import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { VersionDiff } from "../components/agreements/version-diff";
import { listRevisions } from "../domain/agreements/agreements.server";
import { requireId } from "../domain/http-errors";
import { formatDateTime } from "../format";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Versioner: ${data?.title ?? "Överenskommelse"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { agreement, versions, draftNumber } = await listRevisions(db(), user, requireId(params.id));
  return {
    id: agreement.id,
    title: agreement.title,
    draftNumber,
    versions: versions.map((version) => ({ ...version, decidedAt: formatDateTime(version.decidedAt) })),
  };
}

export default function AgreementVersionsPage() {
  const { id, title, draftNumber, versions } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to={`/overenskommelser/${id}`}>← {title}</Link>
      </p>
      <h1>Versioner</h1>
      <p className="muted">Varje fastställd version är låst. Här syns vad som ändrades från versionen före.</p>
      {draftNumber ? (
        <p>
          Version {draftNumber} är ett utkast. <Link to={`/overenskommelser/${id}/redigera`}>Se utkastet och dess skillnader</Link>.
        </p>
      ) : null}
      {versions.length === 0 ? <p className="empty">Ingen version är fastställd ännu.</p> : null}
      {versions.map((version) => (
        <section key={version.number} className="card" aria-labelledby={`version-${version.number}`}>
          <h2 id={`version-${version.number}`}>
            Version {version.number}, fastställd {version.decidedAt}
          </h2>
          {version.decisionNote ? <p className="pre-line">{version.decisionNote}</p> : null}
          {version.changes === null ? (
            <p className="muted">Den första fastställda versionen.</p>
          ) : (
            <VersionDiff changes={version.changes} emptyText="Inga ändringar i innehållet jämfört med versionen före." />
          )}
        </section>
      ))}
    </div>
  );
}
