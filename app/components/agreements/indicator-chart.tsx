import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { TableRegion } from "../ui/table-region";

export type ChartIndicator = {
  id: string;
  name: string;
  unit: string;
  baselineValue: number;
  baselinePeriod: string;
  targetValue: number;
  summary: string;
  measurements: Array<{ period: string; value: number; comment: string }>;
};

const numberFormat = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 2 });

/**
 * An indicator's measurements as a line with the target as a dashed line. The drawing is one
 * image with a text alternative (role="img" and the summary); the same figures are always given
 * in the table below it, which is also what a page without scripts shows.
 */
export function IndicatorChart({ indicator, headingLevel = 3 }: { indicator: ChartIndicator; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const titleId = `indikator-${indicator.id}`;
  const summaryId = `indikator-${indicator.id}-sammanfattning`;
  const data = [{ period: `${indicator.baselinePeriod} (utgångsläge)`, value: indicator.baselineValue }, ...indicator.measurements.map((m) => ({ period: m.period, value: m.value }))];
  const values = data.map((point) => point.value).concat(indicator.targetValue);
  const min = Math.min(0, ...values);
  const max = Math.max(...values);
  return (
    <figure className="indicator-chart" aria-labelledby={titleId}>
      <Heading id={titleId}>
        {indicator.name} <span className="muted">({indicator.unit})</span>
      </Heading>
      <p id={summaryId}>{indicator.summary}</p>
      <div className="chart-frame" role="img" aria-label={`Diagram: ${indicator.name}. ${indicator.summary}`}>
        <LineChart width={560} height={240} data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#d5dbe1" strokeDasharray="3 3" />
          <XAxis dataKey="period" tick={{ fontSize: 12, fill: "#1f2933" }} />
          <YAxis domain={[min, Math.ceil(max * 1.1)]} tick={{ fontSize: 12, fill: "#1f2933" }} tickFormatter={(value: number) => numberFormat.format(value)} />
          <Tooltip formatter={(value) => [`${numberFormat.format(Number(value))} ${indicator.unit}`, "Värde"]} />
          <ReferenceLine y={indicator.targetValue} stroke="#a4001d" strokeDasharray="6 4" label={{ value: `Mål ${numberFormat.format(indicator.targetValue)}`, position: "insideTopRight", fill: "#a4001d", fontSize: 12 }} />
          <Line type="monotone" dataKey="value" stroke="#004b87" strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
        </LineChart>
      </div>
      <TableRegion label={`Mätvärden för ${indicator.name}`}>
        <table>
          <caption>Mätvärden för {indicator.name}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Värde ({indicator.unit})</th>
              <th scope="col">Kommentar</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{indicator.baselinePeriod} (utgångsläge)</td>
              <td>{numberFormat.format(indicator.baselineValue)}</td>
              <td />
            </tr>
            {indicator.measurements.map((measurement) => (
              <tr key={measurement.period}>
                <td>{measurement.period}</td>
                <td>{numberFormat.format(measurement.value)}</td>
                <td>{measurement.comment}</td>
              </tr>
            ))}
            <tr>
              <td>Mål</td>
              <td>{numberFormat.format(indicator.targetValue)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      </TableRegion>
    </figure>
  );
}
