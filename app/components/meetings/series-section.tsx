import { Link } from "@remix-run/react";

type SeriesSectionProps = {
  series: {
    description: string;
    cancelled: boolean;
    previousSeriesId: string | null;
    occurrences: Array<{ id: string; when: string; status: "planerat" | "installt" | "genomfort"; past: boolean }>;
  };
  currentId: string;
};

/** The series a meeting belongs to: its rule in words and every meeting in it, this one marked. */
export function SeriesSection({ series, currentId }: SeriesSectionProps) {
  return (
    <section aria-labelledby="serien">
      <h2 id="serien">Mötesserie</h2>
      <p>
        {series.description}
        {series.cancelled ? " Serien är inställd." : ""}
      </p>
      <p className="muted">Du svarar på varje möte för sig på mötets sida. Svarsknapparna i seriens inbjudningsmejl svarar för alla kommande möten.</p>
      <ol className="series-list">
        {series.occurrences.map((occurrence) => (
          <li key={occurrence.id}>
            {occurrence.id === currentId ? (
              <strong aria-current="page">{occurrence.when} (detta möte)</strong>
            ) : (
              <Link to={`/moten/${occurrence.id}`}>{occurrence.when}</Link>
            )}
            {occurrence.status === "installt" ? <span className="badge badge--error"> Inställt</span> : occurrence.past ? <span className="muted"> (har ägt rum)</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
