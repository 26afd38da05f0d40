import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { ActionTable } from "../components/action-lists/action-table";
import { ConfirmButton } from "../components/ui/confirm-button";
import { FormError } from "../components/ui/field";
import { createActionItem, deleteView, getActionList, saveView, savedViewSchema } from "../domain/actions/action-lists.server";
import { FOCUS_AREA_LABELS, JUDGEMENT_LABELS, PERSPECTIVE_LABELS, STATUS_LABELS, filterToSearch, readFilter, type ItemFilter } from "../domain/actions/fields";
import { requireId } from "../domain/http-errors";
import { formatDate } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.list.title ?? "Åtgärdslista"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const filter = readFilter(new URL(request.url).searchParams);
  const loaded = await getActionList(db(), user, requireId(params.id), filter);
  return { ...loaded, filter };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const listId = requireId(params.id);
  const values = await readFormValues(request);
  const intent = values.intent;
  if (intent === "create") {
    return asFormResult(async () => {
      await createActionItem(db(), user, { listId, title: String(values.title ?? "") });
      return redirect(`/atgardslistor/${listId}`, 303);
    });
  }
  if (intent === "save-view") {
    const parsed = parseValues(values, savedViewSchema);
    if (!parsed.ok) return data({ ok: false as const, message: "Ge vyn ett namn.", fieldErrors: parsed.fieldErrors }, { status: 400 });
    const filter = readFilter(values as Record<string, unknown>);
    return asFormResult(async () => {
      await saveView(db(), user, listId, parsed.data.name, filter);
      return redirect(`/atgardslistor/${listId}?${filterToSearch(filter)}`, 303);
    });
  }
  if (intent === "delete-view") {
    return asFormResult(async () => {
      await deleteView(db(), user, String(values.viewId ?? ""));
      return redirect(`/atgardslistor/${listId}`, 303);
    });
  }
  return data({ ok: false as const, message: "Okänd åtgärd i formuläret.", fieldErrors: {} }, { status: 400 });
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export default function ActionListPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const revalidator = useRevalidator();
  const { list, items, total, organisations, people, views, today, canEdit, canManage, filter } = loaded;
  const active = Object.keys(filter).length > 0;
  return (
    <div className="stack">
      <p>
        <Link to="/atgardslistor">← Alla åtgärdslistor</Link>
      </p>
      <h1>{list.title}</h1>
      <p className="muted">
        Ägs av {list.ownerName} · delas med {organisations.filter((org) => org.name !== list.ownerName).map((org) => org.name).join(", ") || "ingen annan"}
      </p>
      {list.archivedAt ? (
        <div className="alert" role="status">
          {`Listan arkiverades ${formatDate(list.archivedAt)}. Den går att läsa, exportera och kommentera, men åtgärderna kan inte ändras.`}
          {canManage ? " Du kan återställa den under Inställningar." : ""}
        </div>
      ) : null}
      {list.description ? <p className="pre-line">{list.description}</p> : null}
      <p className="hint">Skriv om åtgärder och platser, inte om enskilda personer. Listan är inte till för säkerhetsskyddsklassificerade uppgifter.</p>
      <div className="actions">
        {canEdit ? <Link to={`/atgardslistor/${list.id}/import`}>Importera från Excel eller CSV</Link> : null}
        <a href={`/atgardslistor/${list.id}/export.csv${location.search}`}>Exportera CSV</a>
        <a href={`/atgardslistor/${list.id}/export.xlsx${location.search}`}>Exportera Excel</a>
        {canManage ? <Link to={`/atgardslistor/${list.id}/installningar`}>Inställningar</Link> : null}
      </div>
      {result && !result.ok ? <FormError message={result.message} /> : null}

      <details open={active}>
        <summary>Filter{active ? ` (visar ${items.length} av ${total})` : ""}</summary>
        <FilterForm filter={filter} organisations={organisations} people={people} />
      </details>

      <section aria-labelledby="sparade-vyer">
        <h2 id="sparade-vyer" className="section-heading">
          Sparade vyer
        </h2>
        {views.length ? (
          <ul className="list-plain">
            {views.map((view) => (
              <li key={view.id} className="actions">
                <Link to={`/atgardslistor/${list.id}?${filterToSearch(view.filter as ItemFilter)}`}>{view.name}</Link>
                <ConfirmButton
                  label="Ta bort"
                  title={`Ta bort vyn ${view.name}?`}
                  description="Bara den sparade vyn tas bort, inga åtgärder."
                  confirmLabel="Ta bort vyn"
                  fields={{ intent: "delete-view", viewId: view.id }}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">Du har inga sparade vyer för listan.</p>
        )}
        {active ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="save-view" />
            {Object.entries(filter).map(([key, value]) => (
              <input key={key} type="hidden" name={key} value={value} />
            ))}
            <div className="field">
              <label htmlFor="vy-namn">Spara filtret som vy</label>
              <input id="vy-namn" name="name" maxLength={80} required />
            </div>
            <button type="submit" className="button button--secondary">
              Spara vy
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="atgarder-rubrik">
        <h2 id="atgarder-rubrik">Åtgärder</h2>
        <ActionTable key={`${list.id}?${filterToSearch(filter)}`} listId={list.id} initialItems={items} filter={filter} today={today} choices={{ organisations, people }} canEdit={canEdit} onListChanged={() => revalidator.revalidate()} />
      </section>
    </div>
  );
}

function FilterForm(props: { filter: ItemFilter; organisations: Array<{ id: string; name: string }>; people: Array<{ id: string; name: string }> }) {
  const { filter } = props;
  const select = (name: keyof ItemFilter, label: string, choices: Array<{ value: string; label: string }>) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={filter[name] ?? ""}>
        <option value="">Alla</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Form method="get" className="form-row" aria-label="Filtrera åtgärder">
      {select("organisation", "Organisation", props.organisations.map((org) => ({ value: org.id, label: org.name })))}
      {select("person", "Kontaktperson", props.people.map((person) => ({ value: person.id, label: person.name })))}
      {select("focusArea", "Fokusområde", options(FOCUS_AREA_LABELS))}
      {select("perspective", "Perspektiv", options(PERSPECTIVE_LABELS))}
      {select("status", "Status", options(STATUS_LABELS))}
      {select("judgement", "Bedömning", [...options(JUDGEMENT_LABELS), { value: "ingen", label: "Ingen bedömning" }])}
      <div className="field">
        <label htmlFor="filter-deadlineBefore">Klart senast före eller på</label>
        <input id="filter-deadlineBefore" type="date" name="deadlineBefore" defaultValue={filter.deadlineBefore ?? ""} />
      </div>
      <label className="checkbox">
        <input type="checkbox" name="overdue" value="ja" defaultChecked={filter.overdue === "ja"} />
        Bara försenade
      </label>
      <div className="field">
        <label htmlFor="filter-text">Fritext</label>
        <input id="filter-text" type="search" name="text" defaultValue={filter.text ?? ""} maxLength={200} />
      </div>
      <div className="actions">
        <button type="submit" className="button button--secondary">
          Filtrera
        </button>
        <Link to="?">Rensa filter</Link>
      </div>
    </Form>
  );
}
