import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { TableRegion } from "../components/ui/table-region";
import { requireId } from "../domain/http-errors";
import { evaluationResults } from "../domain/kunskapsdagar/evaluation.server";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Utvärdering: ${data?.day.title ?? "kunskapsdag"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { day, invited, results } = await evaluationResults(db(), user, requireId(params.id));
  return { day: { id: day.id, title: day.title, when: meetingWhen(day.startsAt, day.endsAt) }, invited, results };
}

type Question = ReturnType<typeof useLoaderData<typeof loader>>["results"]["questions"][number];

/** One question's answers as horizontal bars (1–5), described for screen readers; the table below holds the same numbers. */
function Bars({ question }: { question: Question }) {
  const max = Math.max(1, ...question.distribution);
  const rowHeight = 28;
  const description = question.distribution.map((count, index) => `betyg ${index + 1}: ${count}`).join(", ");
  return (
    <svg role="img" aria-labelledby={`${question.key}-titel ${question.key}-beskrivning`} viewBox={`0 0 320 ${rowHeight * 5}`} width="100%" style={{ maxWidth: 480 }}>
      <title id={`${question.key}-titel`}>{`Fördelning av svaren för ${question.label}`}</title>
      <desc id={`${question.key}-beskrivning`}>{description}</desc>
      {question.distribution.map((count, index) => {
        const y = index * rowHeight;
        const width = (count / max) * 240;
        return (
          <g key={index}>
            <text x="0" y={y + 19} fontSize="14" fill="currentColor">
              {index + 1}
            </text>
            <rect x="24" y={y + 5} width={Math.max(width, count ? 2 : 0)} height="18" fill="#005aa0" />
            <text x={28 + width} y={y + 19} fontSize="14" fill="currentColor">
              {count}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export default function EvaluationResultsPage() {
  const { day, invited, results } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to={`/kunskapsdagar/${day.id}/hantera`}>← Tillbaka till {day.title}</Link>
      </p>
      <h1>Utvärdering: {day.title}</h1>
      <p>{day.when}</p>
      <p>
        {`${results.answers} svar av ${invited} deltagare med plats. Svaren är anonyma.`}
      </p>
      {results.answers === 0 ? (
        <p className="muted">Inga svar ännu. Utvärderingen skickas till deltagarna efter kunskapsdagen.</p>
      ) : (
        <>
          <section aria-labelledby="betyg">
            <h2 id="betyg">Betyg (1–5)</h2>
            {results.questions.map((question) => (
              <figure key={question.key} className="card">
                <figcaption>
                  <strong>{question.label}</strong>: {question.average === null ? "inga svar" : `medel ${question.average.toLocaleString("sv-SE")} av ${question.count} svar`}
                </figcaption>
                <Bars question={question} />
              </figure>
            ))}
            <TableRegion label="Antal svar per betyg">
              <table>
                <caption>Antal svar per betyg</caption>
                <thead>
                  <tr>
                    <th scope="col">Fråga</th>
                    {[1, 2, 3, 4, 5].map((value) => (
                      <th scope="col" key={value}>
                        {value}
                      </th>
                    ))}
                    <th scope="col">Medel</th>
                  </tr>
                </thead>
                <tbody>
                  {results.questions.map((question) => (
                    <tr key={question.key}>
                      <th scope="row">{question.label}</th>
                      {question.distribution.map((count, index) => (
                        <td key={index}>{count}</td>
                      ))}
                      <td>{question.average === null ? "–" : question.average.toLocaleString("sv-SE")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          </section>
          <section aria-labelledby="kommentarer">
            <h2 id="kommentarer">Kommentarer ({results.comments.length})</h2>
            {results.comments.length ? (
              <ul>
                {results.comments.map((comment, index) => (
                  <li key={index} style={{ whiteSpace: "pre-wrap" }}>
                    {comment}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Inga kommentarer.</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
