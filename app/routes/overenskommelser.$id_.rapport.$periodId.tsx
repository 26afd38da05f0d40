import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { TableRegion } from "../components/ui/table-region";
import { getReport } from "../domain/followup/followup.server";
import { directionLabels } from "../domain/followup/labels";
import { formatNumber, type Report } from "../domain/followup/report";
import { requireId } from "../domain/http-errors";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Rapport ${data?.report.period.title ?? ""} ${data?.report.agreement.title ?? ""} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { report: await getReport(db(), user, requireId(params.id), requireId(params.periodId)) };
}

type Indicator = Report["goals"][number]["indicators"][number];

/** The indicator's values as a line with the target as a dashed line; the table below carries the same numbers. */
function IndicatorChart({ indicator, labelId }: { indicator: Indicator; labelId: string }) {
  const width = 480;
  const height = 160;
  const pad = 28;
  const values = [...indicator.measurements.map((row) => row.value), ...(indicator.target === null ? [] : [indicator.target])];
  if (indicator.measurements.length === 0) return null;
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const x = (index: number) => pad + (indicator.measurements.length === 1 ? 0 : ((width - 2 * pad) * index) / (indicator.measurements.length - 1));
  const y = (value: number) => height - pad - ((height - 2 * pad) * (value - min)) / (max - min || 1);
  const points = indicator.measurements.map((row, index) => `${x(index)},${y(row.value)}`).join(" ");
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="line-chart" role="img" aria-labelledby={labelId} focusable="false">
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#6b6b6b" />
      {indicator.target === null ? null : <line x1={pad} x2={width - pad} y1={y(indicator.target)} y2={y(indicator.target)} stroke="#b35c00" strokeDasharray="6 4" />}
      <polyline points={points} fill="none" stroke="#005fa3" strokeWidth="2" />
      {indicator.measurements.map((row, index) => (
        <circle key={row.period} cx={x(index)} cy={y(row.value)} r="3" fill="#005fa3" />
      ))}
    </svg>
  );
}

function CountsTable({ caption, rows }: { caption: string; rows: Array<{ label: string; total: number; gron: number; gul: number; rod: number; ejBedomd: number }> }) {
  return (
    <TableRegion label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{caption.split(" ").at(-1)}</th>
            <th scope="col">Antal</th>
            <th scope="col">Grön</th>
            <th scope="col">Gul</th>
            <th scope="col">Röd</th>
            <th scope="col">Ej bedömd</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.total}</td>
              <td>{row.gron}</td>
              <td>{row.gul}</td>
              <td>{row.rod}</td>
              <td>{row.ejBedomd}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

export default function ReportPage() {
  const { report } = useLoaderData<typeof loader>();
  const base = `/overenskommelser/${report.agreement.id}/rapport/${report.period.id}`;
  return (
    <div className="stack long-words">
      <p>
        <Link to={`/overenskommelser/${report.agreement.id}/uppfoljning/${report.period.id}`}>← {report.period.title}</Link>
      </p>
      <h1>
        Rapport {report.period.title}: {report.agreement.title}
      </h1>
      <p className="muted">
        {report.period.kindLabel}. Perioden {report.period.startsOn} – {report.period.endsOn}.
      </p>
      <div className="actions">
        <a className="button button--secondary" href={`${base}/pdf`} download>
          Ladda ner PDF
        </a>
        <a className="button button--secondary" href={`${base}/docx`} download>
          Ladda ner Word (DOCX)
        </a>
        <a className="button button--secondary" href={`${base}/csv`} download>
          Underlag som CSV
        </a>
      </div>

      <section aria-labelledby="atgarder-status">
        <h2 id="atgarder-status">Åtgärder</h2>
        <p>
          {report.actions.total} åtgärder, varav {report.actions.updatedForPeriod} uppföljda av ansvariga under perioden.
        </p>
        {report.actions.total === 0 ? <p className="empty">Inga åtgärder är kopplade till överenskommelsen.</p> : null}
        <TableRegion label="Åtgärder per status och bedömning">
          <table>
            <caption>Åtgärder per status</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Antal</th>
              </tr>
            </thead>
            <tbody>
              {report.actions.byStatus.map((row) => (
                <tr key={row.status}>
                  <th scope="row">{row.label}</th>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>Åtgärder per bedömning</caption>
            <thead>
              <tr>
                <th scope="col">Bedömning</th>
                <th scope="col">Antal</th>
              </tr>
            </thead>
            <tbody>
              {report.actions.byJudgement.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        <CountsTable caption="Grön, gul och röd per fokusområde" rows={report.actions.byFocusArea} />
        <CountsTable caption="Grön, gul och röd per perspektiv" rows={report.actions.byPerspective} />
      </section>

      <section aria-labelledby="mal">
        <h2 id="mal">Mål och indikatorer</h2>
        {report.goals.length === 0 ? <p className="empty">Överenskommelsen har inga mål ännu.</p> : null}
        {report.goals.map((goal, goalIndex) => (
          <article key={goal.id} className="card" aria-labelledby={`mal-${goalIndex}`}>
            <h3 id={`mal-${goalIndex}`}>{goal.title}</h3>
            {goal.problemTitle ? <p className="muted">Problem: {goal.problemTitle}</p> : null}
            <p>Åtgärder kopplade till målet: {goal.actionCount}</p>
            <p>
              <strong>Bedömning:</strong> {goal.judgement ? `${goal.judgement.label}. ${goal.judgement.reasoning}` : "ännu inte gjord."}
            </p>
            {goal.indicators.map((indicator, index) => {
              const labelId = `indikator-${goalIndex}-${index}`;
              return (
                <div key={indicator.name} className="stack">
                  <h4 id={labelId}>{indicator.summary}</h4>
                  <IndicatorChart indicator={indicator} labelId={labelId} />
                  <TableRegion label={`Värden för ${indicator.name}`}>
                    <table>
                      <caption>
                        {indicator.name} ({indicator.unit}). {directionLabels[indicator.direction]}; streckad linje visar målet {formatNumber(indicator.target)}.
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Period</th>
                          <th scope="col">Värde</th>
                        </tr>
                      </thead>
                      <tbody>
                        {indicator.measurements.length === 0 ? (
                          <tr>
                            <td colSpan={2}>Inga mätvärden ännu.</td>
                          </tr>
                        ) : null}
                        {indicator.measurements.map((row) => (
                          <tr key={row.period}>
                            <th scope="row">{row.period}</th>
                            <td>{formatNumber(row.value)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableRegion>
                </div>
              );
            })}
          </article>
        ))}
      </section>

      <section aria-labelledby="loften">
        <h2 id="loften">Medborgarlöften</h2>
        {report.promises.length === 0 ? (
          <p className="empty">Inga medborgarlöften för {report.period.year}.</p>
        ) : (
          <ul className="list-plain">
            {report.promises.map((promise) => (
              <li key={promise.title} className="card">
                <h3>{promise.title}</h3>
                <p>
                  {promise.area ? `${promise.area}. ` : ""}
                  {promise.done} av {promise.targetCount} ({promise.percent} %){promise.reached ? ", löftet är uppfyllt" : ""}.
                </p>
                <progress max={promise.targetCount} value={Math.min(promise.done, promise.targetCount)} aria-label={`${promise.title}: ${promise.done} av ${promise.targetCount}`} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="alla-atgarder">
        <h2 id="alla-atgarder">Åtgärderna</h2>
        <TableRegion labelledBy="alla-atgarder">
          <table>
            <thead>
              <tr>
                <th scope="col">Nr</th>
                <th scope="col">Åtgärd</th>
                <th scope="col">Ansvarig</th>
                <th scope="col">Fokusområde</th>
                <th scope="col">Status</th>
                <th scope="col">Bedömning</th>
                <th scope="col">Motivering</th>
              </tr>
            </thead>
            <tbody>
              {report.actions.items.map((item) => (
                <tr key={`${item.listTitle}-${item.number}`}>
                  <td>{item.number}</td>
                  <th scope="row">{item.title}</th>
                  <td>{item.responsible}</td>
                  <td>{item.focusAreaLabel}</td>
                  <td>{item.statusLabel}</td>
                  <td>{item.judgementLabel}</td>
                  <td>{item.judgementReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
    </div>
  );
}
