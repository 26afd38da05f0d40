import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { liveStatusText, useLiveRoom } from "../components/live";
import { requireUser } from "../auth/guards.server";
import { CommentThread } from "../components/actions/CommentThread";
import { useLiveComments } from "../components/actions/use-live-comments";
import { formatValue } from "../components/action-lists/values";
import { ConfirmButton } from "../components/ui/confirm-button";
import { FormError } from "../components/ui/field";
import { meetingsOfItem } from "../domain/actions/meeting-links.server";
import { editActionItem, getActionItem, removeActionItem, type FieldChange } from "../domain/actions/action-lists.server";
import {
  FOCUS_AREA_LABELS,
  ITEM_FIELDS,
  ITEM_FIELD_LABELS,
  JUDGEMENT_LABELS,
  PERSPECTIVE_LABELS,
  PREVENTION_TYPE_LABELS,
  STATUS_LABELS,
  isOverdue,
  type ItemField,
} from "../domain/actions/fields";
import { actionListRoom, COMMENT_EVENT, ITEM_EVENT, type FieldConflict, type ItemEventPayload } from "../domain/actions/rooms";
import { requireId } from "../domain/http-errors";
import { asFormResult, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.item.title ?? "Åtgärd"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const page = await getActionItem(db(), user, requireId(params.id));
  return { ...page, discussedAt: await meetingsOfItem(db(), user, page.item.id) };
}

const ARRAY_FIELDS = new Set<ItemField>(["contributingOrganisationIds", "perspectives"]);

/**
 * The form posts each field as `f.<field>`, with the value it showed (`o.<field>`, JSON) and the
 * field's version (`v.<field>`). Only fields the person changed are sent on, each checked against
 * its version, so a field someone else changed meanwhile is never overwritten by an untouched form.
 */
function changesFrom(values: Record<string, string | string[]>) {
  const changes: Record<string, FieldChange> = {};
  for (const field of ITEM_FIELDS) {
    const version = values[`v.${field}`];
    if (typeof version !== "string") continue;
    const raw = values[`f.${field}`];
    const value = ARRAY_FIELDS.has(field) ? ([] as string[]).concat(raw ?? []).filter(Boolean) : typeof raw === "string" ? raw : "";
    let original: unknown = null;
    try {
      original = JSON.parse(String(values[`o.${field}`] ?? "null"));
    } catch {
      original = null;
    }
    const normalise = (v: unknown) => (Array.isArray(v) ? JSON.stringify([...v].sort()) : typeof v === "string" ? v.trim().replace(/\r\n/g, "\n") || null : v ?? null);
    if (normalise(value) === normalise(original)) continue;
    changes[field] = { value, version: /^\d{1,9}$/.test(version) ? Number(version) : -1 };
  }
  return changes;
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const itemId = requireId(params.id);
  const values = await readFormValues(request);
  if (values.intent === "remove") {
    return asFormResult(async () => {
      const removed = await removeActionItem(db(), user, itemId);
      return redirect(`/atgardslistor/${removed.listId}`, 303);
    }, { conflicts: [] as FieldConflict[] });
  }
  if (values.intent !== "save") return data({ ok: false as const, message: "Okänd åtgärd i formuläret.", conflicts: [] as FieldConflict[], fieldErrors: {} as Record<string, string> }, { status: 400 });
  const changes = changesFrom(values);
  if (Object.keys(changes).length === 0) return data({ ok: true as const, message: "Inget var ändrat.", conflicts: [] as FieldConflict[], fieldErrors: {} as Record<string, string> });
  const answer = await editActionItem(db(), user, { itemId, changes });
  if (answer.ok) return redirect(`/atgarder/${itemId}?sparad=1`, 303);
  if (answer.error === "not_found") throw Response.json({ message: answer.message }, { status: 404 });
  if (answer.error === "forbidden") throw Response.json({ message: answer.message }, { status: 403 });
  const status = answer.error === "conflict" ? 409 : 400;
  return data(
    {
      ok: false as const,
      message: answer.message,
      conflicts: answer.error === "conflict" ? answer.conflicts : [],
      fieldErrors: answer.error !== "conflict" ? (answer.fieldErrors ?? {}) : {},
    },
    { status },
  );
}

type Kind = "line" | "area" | "date" | "select" | "multi";
const LAYOUT: Array<{ legend: string; fields: Array<[ItemField, Kind]> }> = [
  { legend: "Orsak och åtgärd", fields: [["cause", "area"], ["title", "line"], ["description", "area"], ["operationalGoal", "area"]] },
  { legend: "När", fields: [["startDate", "date"], ["deadline", "date"]] },
  { legend: "Vem", fields: [["responsibleOrganisationId", "select"], ["contactUserId", "select"], ["contributingOrganisationIds", "multi"]] },
  { legend: "Uppföljning", fields: [["followUpMethod", "area"], ["followUpComment", "area"], ["status", "select"], ["judgement", "select"], ["judgementReason", "area"]] },
  { legend: "Klassificering", fields: [["focusArea", "select"], ["perspectives", "multi"], ["preventionType", "select"]] },
];

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export default function ActionItemPage() {
  const { item, list, organisations, people, storedOutsideChoices, today, canEdit, canManage, discussedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  // Someone else's change is announced, not merged into a form the person may be typing in.
  const [changedBy, setChangedBy] = useState<string | null>(null);
  const liveComments = useLiveComments(item.id);
  const liveStatus = useLiveRoom(actionListRoom(list.id), {
    [COMMENT_EVENT]: liveComments.onComment,
    [ITEM_EVENT]: (payload) => {
      const event = payload as ItemEventPayload;
      if (event.item.id === item.id && event.item.updatedAt !== item.updatedAt) setChangedBy(event.by.name);
    },
  });
  const choices = { organisations: [...organisations, ...storedOutsideChoices.organisations], people: [...people, ...storedOutsideChoices.people] };
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  const conflicts: FieldConflict[] = result && "conflicts" in result ? result.conflicts : [];
  // A stored value that is no longer a choice stays chosen (and marked), so that saving the form keeps it.
  const kept = (stored: Array<{ id: string; name: string; note: string }>, field: ItemField) =>
    stored.filter((choice) => ([] as unknown[]).concat(item[field]).includes(choice.id)).map((choice) => ({ value: choice.id, label: `${choice.name} (${choice.note})` }));
  const choicesFor = (field: ItemField) => {
    switch (field) {
      case "responsibleOrganisationId":
      case "contributingOrganisationIds":
        return [...organisations.map((org) => ({ value: org.id, label: org.name })), ...kept(storedOutsideChoices.organisations, field)];
      case "contactUserId":
        return [...people.map((person) => ({ value: person.id, label: person.name })), ...kept(storedOutsideChoices.people, field)];
      case "status":
        return options(STATUS_LABELS);
      case "judgement":
        return options(JUDGEMENT_LABELS);
      case "focusArea":
        return options(FOCUS_AREA_LABELS);
      case "preventionType":
        return options(PREVENTION_TYPE_LABELS);
      case "perspectives":
        return options(PERSPECTIVE_LABELS);
      default:
        return [];
    }
  };
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/atgardslistor/${list.id}`}>← {list.title}</Link>
      </p>
      <h1>
        Åtgärd {item.number}: {item.title}
      </h1>
      <p className="muted">
        {STATUS_LABELS[item.status]}
        {isOverdue(item, today) ? (
          <>
            {" "}
            <span className="badge badge--error">Försenad</span>
          </>
        ) : null}{" "}
        · <Link to={`/atgarder/${item.id}/historik`}>Ändringshistorik</Link>
      </p>
      <p className="muted" role="status">
        {liveStatusText[liveStatus]}
      </p>
      <div aria-live="polite">
        {changedBy ? (
          <p className="alert alert--warn">
            {changedBy} har just ändrat åtgärden.{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setChangedBy(null);
                revalidator.revalidate();
              }}
            >
              Visa det senaste
            </button>{" "}
            (det du har skrivit men inte sparat försvinner). Sparar du ändå får du välja för de fält som den andra också ändrat.
          </p>
        ) : null}
      </div>
      {result && !result.ok ? <FormError message={result.message} /> : null}
      {conflicts.length ? (
        <section className="alert alert--warn" aria-labelledby="konflikt-rubrik">
          <h2 id="konflikt-rubrik">Välj vilket värde som ska gälla</h2>
          {conflicts.map((conflict) => (
            <div key={conflict.field} className="stack">
              <p>
                <strong>{conflict.label}</strong>
                <br />
                Ditt värde: <q>{formatValue(conflict.field, conflict.yourValue, choices)}</q>
                <br />
                Nu sparat: <q>{formatValue(conflict.field, conflict.currentValue, choices)}</q>
                {conflict.changedBy ? ` (ändrat av ${conflict.changedBy})` : ""}
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="save" />
                <input type="hidden" name={`v.${conflict.field}`} value={conflict.currentVersion} />
                <input type="hidden" name={`o.${conflict.field}`} value={JSON.stringify(conflict.currentValue)} />
                {([] as unknown[]).concat(conflict.yourValue ?? "").map((value, index) => (
                  <input key={index} type="hidden" name={`f.${conflict.field}`} value={String(value ?? "")} />
                ))}
                <button type="submit" className="button">
                  Behåll mitt värde
                </button>
                <Link to={`/atgarder/${item.id}`} className="button button--secondary">
                  Behåll det sparade
                </Link>
              </Form>
            </div>
          ))}
        </section>
      ) : null}
      <Form method="post" noValidate key={item.updatedAt}>
        <input type="hidden" name="intent" value="save" />
        {LAYOUT.map((group) => (
          <fieldset key={group.legend} disabled={!canEdit}>
            <legend>{group.legend}</legend>
            {group.fields.map(([field, kind]) => {
              const id = `falt-${field}`;
              const value = item[field];
              const error = errors[field];
              const hidden = (
                <>
                  <input type="hidden" name={`v.${field}`} value={item.fieldVersions[field] ?? 0} />
                  <input type="hidden" name={`o.${field}`} value={JSON.stringify(value)} />
                </>
              );
              if (kind === "multi") {
                const selected = new Set(value as string[]);
                return (
                  <fieldset key={field}>
                    <legend>{ITEM_FIELD_LABELS[field]}</legend>
                    {hidden}
                    {choicesFor(field).map((choice) => (
                      <label key={choice.value} className="checkbox">
                        <input type="checkbox" name={`f.${field}`} value={choice.value} defaultChecked={selected.has(choice.value)} />
                        {choice.label}
                      </label>
                    ))}
                    {error ? <p className="field-error">{error}</p> : null}
                  </fieldset>
                );
              }
              const common = { id, name: `f.${field}`, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-fel` : undefined };
              return (
                <div className="field" key={field}>
                  <label htmlFor={id}>{ITEM_FIELD_LABELS[field]}</label>
                  {hidden}
                  {kind === "area" ? (
                    <textarea {...common} rows={3} defaultValue={(value as string) ?? ""} maxLength={5000} />
                  ) : kind === "select" ? (
                    <select {...common} defaultValue={(value as string) ?? ""}>
                      {field === "status" ? null : <option value="">–</option>}
                      {choicesFor(field).map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input {...common} type={kind === "date" ? "date" : "text"} defaultValue={(value as string) ?? ""} maxLength={kind === "line" ? 300 : undefined} />
                  )}
                  {error ? (
                    <p className="field-error" id={`${id}-fel`}>
                      {error}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
        ))}
        {canEdit ? (
          <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Sparar…" : "Spara ändringarna"}
          </button>
        ) : (
          <p className="muted">{list.archivedAt ? "Listan är arkiverad: åtgärden går att läsa och kommentera men inte ändra." : "Du kan läsa men inte ändra åtgärden."}</p>
        )}
      </Form>
      {canManage && canEdit ? (
        <ConfirmButton
          label="Ta bort åtgärden"
          title={`Ta bort åtgärd ${item.number}?`}
          description="Åtgärden försvinner ur listan för alla. Historiken finns kvar i händelseloggen."
          confirmLabel="Ta bort"
          fields={{ intent: "remove" }}
        />
      ) : null}
      <DiscussedAt meetings={discussedAt} />
      <CommentThread itemId={item.id} arrived={liveComments.arrived} />
    </div>
  );
}

const meetingDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", dateStyle: "long" });

/** The meetings whose notes this item came from (only those the viewer may see). */
function DiscussedAt({ meetings }: { meetings: Array<{ id: string; title: string; startsAtIso: string }> }) {
  return (
    <section aria-labelledby="diskuterad-rubrik" className="stack">
      <h2 id="diskuterad-rubrik">Diskuterad på möten</h2>
      {meetings.length === 0 ? (
        <p className="muted">Åtgärden är inte kopplad till något möte som du kan se.</p>
      ) : (
        <ul>
          {meetings.map((meeting) => (
            <li key={meeting.id}>
              <Link to={`/moten/${meeting.id}/anteckningar`}>{meeting.title}</Link>, <time dateTime={meeting.startsAtIso}>{meetingDay.format(new Date(meeting.startsAtIso))}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
