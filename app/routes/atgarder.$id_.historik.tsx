import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { formatValue } from "../components/action-lists/values";
import { TableRegion } from "../components/ui/table-region";
import { getActionItem, itemHistory } from "../domain/actions/action-lists.server";
import { requireId } from "../domain/http-errors";
import { formatDateTime } from "../format";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Historik: ${loaded?.item.title ?? "åtgärd"} – Samverkansportalen` }];

const ACTION_LABELS: Record<string, string> = {
  "actionItem.create": "lade till åtgärden",
  "actionItem.update": "ändrade",
  "actionItem.remove": "tog bort åtgärden",
  "actionItem.linkMeeting": "gjorde en punkt i mötesanteckningarna till den här åtgärden",
  "followup.updateItem": "följde upp åtgärden",
};

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const itemId = requireId(params.id);
  const [{ item, list, organisations, people }, history] = await Promise.all([getActionItem(db(), user, itemId), itemHistory(db(), user, itemId)]);
  const choices = { organisations, people };
  return {
    item: { id: item.id, number: item.number, title: item.title },
    list,
    history: history.map((entry) => ({
      id: entry.id,
      at: formatDateTime(entry.at),
      by: entry.by,
      what: ACTION_LABELS[entry.action] ?? entry.action,
      changes: entry.changes.map((change) => ({
        label: change.label,
        before: formatValue(change.field, change.before, choices),
        after: formatValue(change.field, change.after, choices),
      })),
    })),
  };
}

export default function ActionItemHistoryPage() {
  const { item, list, history } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/atgarder/${item.id}`}>← Åtgärd {item.number}</Link> · <Link to={`/atgardslistor/${list.id}`}>{list.title}</Link>
      </p>
      <h1>
        Ändringshistorik: {item.title}
      </h1>
      {history.length === 0 ? (
        <p className="empty">Inga ändringar är registrerade.</p>
      ) : (
        <ol className="list-plain">
          {history.map((entry) => (
            <li key={entry.id}>
              <p>
                <strong>{entry.by}</strong> {entry.what} · <span className="muted">{entry.at}</span>
              </p>
              {entry.changes.length ? (
                <TableRegion label={`Ändringar ${entry.at} av ${entry.by}`}>
                  <table className="responsive-table">
                    <thead>
                      <tr>
                        <th scope="col">Fält</th>
                        <th scope="col">Före</th>
                        <th scope="col">
                          <span aria-hidden="true">→</span>
                          <span className="visually-hidden">Efter</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {entry.changes.map((change) => (
                        <tr key={change.label}>
                          <th scope="row">{change.label}</th>
                          <td className="pre-line" data-label="Före">
                            {change.before}
                          </td>
                          <td className="pre-line" data-label="Efter">
                            <span aria-hidden="true" className="wide-only">
                              →{" "}
                            </span>
                            {change.after}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableRegion>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
