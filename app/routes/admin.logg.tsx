import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { TableRegion } from "../components/ui/table-region";
import { listAuditActions, listAuditEvents } from "../domain/audit/audit.server";
import { badRequest } from "../domain/http-errors";
import { can } from "../domain/policy";
import { formatDateTime } from "../format";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Händelselogg – Samverkansportalen" }];

const filterSchema = z.object({
  q: z.string().max(100).optional(),
  action: z.string().max(60).regex(/^[a-z_.]*$/).optional(),
  from: z.iso.date().optional().or(z.literal("")),
  to: z.iso.date().optional().or(z.literal("")),
  before: z.coerce.number().int().positive().optional(),
});

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const isAdmin = can(user, "system.viewAudit", { type: "system" }) ||
    user.memberships.some((m) => can(user, "organisation.viewAudit", { type: "organisation", id: m.organisationId }));
  if (!isAdmin) throw Response.json({ message: "Händelseloggen är till för administratörer." }, { status: 403 });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = filterSchema.safeParse(params);
  if (!parsed.success) throw badRequest("Filtret är ogiltigt. Datum anges som ÅÅÅÅ-MM-DD.");
  const filter = parsed.data;
  const day = (value: string | undefined, addDays = 0) => {
    if (!value) return undefined;
    const date = new Date(`${value}T00:00:00+01:00`);
    date.setUTCDate(date.getUTCDate() + addDays);
    return date;
  };
  const [events, actions] = await Promise.all([
    listAuditEvents(db(), user, { query: filter.q, action: filter.action || undefined, from: day(filter.from || undefined), to: day(filter.to || undefined, 1), beforeId: filter.before }),
    listAuditActions(db()),
  ]);
  return {
    filter: { q: filter.q ?? "", action: filter.action ?? "", from: filter.from ?? "", to: filter.to ?? "" },
    actions,
    events: events.map((event) => ({
      id: event.id,
      at: formatDateTime(event.occurredAt),
      actor: event.actorLabel,
      action: event.action,
      summary: event.summary,
      changes: JSON.stringify(event.changes),
    })),
  };
}

export default function AuditPage() {
  const { filter, actions, events } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const last = events.at(-1);
  return (
    <div className="stack">
      <h1>Händelselogg</h1>
      <Form method="get" className="card">
        <div className="grid">
          <div className="field">
            <label htmlFor="q">Sök</label>
            <input id="q" name="q" type="search" defaultValue={filter.q} />
          </div>
          <div className="field">
            <label htmlFor="action">Händelse</label>
            <select id="action" name="action" defaultValue={filter.action}>
              <option value="">Alla</option>
              {actions.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="from">Från och med</label>
            <input id="from" name="from" type="date" defaultValue={filter.from} />
          </div>
          <div className="field">
            <label htmlFor="to">Till och med</label>
            <input id="to" name="to" type="date" defaultValue={filter.to} />
          </div>
        </div>
        <button type="submit" className="button">
          {navigation.state === "loading" ? "Filtrerar…" : "Filtrera"}
        </button>
      </Form>
      {events.length === 0 ? (
        <p className="empty">Inga händelser matchar filtret.</p>
      ) : (
        <TableRegion label="Händelser i loggen">
          <table className="responsive-table">
            <caption>Händelser, nyast först</caption>
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Vem</th>
                <th scope="col">Vad</th>
                <th scope="col">Före → efter</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td data-label="Tid">{event.at}</td>
                  <td data-label="Vem">{event.actor}</td>
                  <td data-label="Vad">
                    {event.summary}
                    <span className="hint">{event.action}</span>
                  </td>
                  <td data-label="Före → efter">
                    <code>{event.changes === "{}" ? "–" : event.changes}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {last && events.length >= 50 ? (
        <Link to={`?${new URLSearchParams({ ...filter, before: String(last.id) })}`}>Äldre händelser</Link>
      ) : null}
    </div>
  );
}
