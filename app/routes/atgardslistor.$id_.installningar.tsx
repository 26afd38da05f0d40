import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { ConfirmButton } from "../components/ui/confirm-button";
import { Field, FormError, FormSuccess } from "../components/ui/field";
import { deleteActionList, getListSettings, setListArchived, updateListSettings, type NamedInItems, type NeedsConfirmation } from "../domain/actions/list-settings.server";
import { requireId } from "../domain/http-errors";
import { formatDateTime } from "../format";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `Inställningar: ${loaded?.list.title ?? "åtgärdslista"} – Samverkansportalen` }];

/** For the owning organisation's leads (`actionList.manage`); others get 403, or 404 if they do not see the list. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return getListSettings(db(), user, requireId(params.id));
}

type Values = Record<string, string | string[]>;
/** A question instead of a refusal: who loses access, and the items that name them (when any do). */
type Question = { removedNames: string[]; itemNumbers?: number[] };
type ActionResult = { ok: false; message: string; fieldErrors: Record<string, string>; values: Values; confirm?: Question };

const list = (value: string | string[] | undefined) => ([] as string[]).concat(value ?? []).filter(Boolean);
const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

/**
 * The form posts what it shows (`shared`, `title`, `description`) and what it showed when the page
 * was loaded (`o.*`). Only the differences are sent on, so a lead who did not touch an organisation
 * never undoes another lead's change to it made meanwhile.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const listId = requireId(params.id);
  const values = await readFormValues(request);
  const refuse = (status: number, message: string, fieldErrors: Record<string, string> = {}, confirm?: Question) =>
    data({ ok: false, message, fieldErrors, values, confirm } as ActionResult, { status });
  if (values.intent === "delete") {
    try {
      await deleteActionList(db(), user, listId);
      return redirect("/atgardslistor?borttagen=1", 303);
    } catch (error) {
      if (error instanceof Response && error.status === 400) return refuse(400, ((await error.json()) as { message: string }).message);
      throw error;
    }
  }
  if (values.intent === "archive" || values.intent === "restore") {
    try {
      const { changed } = await setListArchived(db(), user, listId, values.intent === "archive");
      return redirect(`/atgardslistor/${listId}/installningar?${changed ? (values.intent === "archive" ? "arkiverad=1" : "aterstalld=1") : "oforandrad=1"}`, 303);
    } catch (error) {
      if (error instanceof Response && error.status === 400) return refuse(400, ((await error.json()) as { message: string }).message);
      throw error;
    }
  }
  if (values.intent !== "save") return refuse(400, "Okänd åtgärd i formuläret. Ladda om sidan och försök igen.");
  const shown = new Set(list(values["o.shared"]));
  const checked = new Set(list(values.shared));
  const title = text(values.title);
  const description = text(values.description);
  try {
    const { changed } = await updateListSettings(db(), user, listId, {
      title: title !== undefined && title.trim() !== (text(values["o.title"]) ?? "").trim() ? title : undefined,
      description: description !== undefined && description.trim() !== (text(values["o.description"]) ?? "").trim() ? description : undefined,
      share: [...checked].filter((id) => !shown.has(id)),
      unshare: [...shown].filter((id) => !checked.has(id)),
      confirmed: values.confirm === "ja",
      clearReferences: values.rensa === "ja",
    });
    return redirect(`/atgardslistor/${listId}/installningar?${changed ? "sparad=1" : "oforandrad=1"}`, 303);
  } catch (error) {
    if (error instanceof Response && [400, 409].includes(error.status)) {
      const body = (await error.json().catch(() => ({}))) as { error?: string; message?: string; fieldErrors?: Record<string, string> } & Partial<NeedsConfirmation> &
        Partial<NamedInItems>;
      // Not a failure but a question: answered 200 with the names that would lose access (and the items naming them).
      if (body.error === "needs_confirmation") return refuse(200, body.message ?? "", {}, { removedNames: body.removedNames ?? [] });
      if (body.error === "named_in_items") return refuse(200, body.message ?? "", {}, { removedNames: body.removedNames ?? [], itemNumbers: body.itemNumbers ?? [] });
      return refuse(error.status, body.message ?? "Inställningarna kunde inte sparas.", body.fieldErrors ?? {});
    }
    throw error;
  }
}

export default function ListSettingsPage() {
  const { list, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const errors = result?.fieldErrors ?? {};
  const busy = navigation.state === "submitting";
  const confirm = result?.confirm;
  return (
    <div className="stack narrow">
      <p>
        <Link to={`/atgardslistor/${list.id}`}>← {list.title}</Link>
      </p>
      <h1>{`Inställningar för ${list.title}`}</h1>
      <p className="muted">Ägs av {list.ownerName}. Bara ägarens administratörer och samordnare ändrar listans namn, beskrivning och delning.</p>
      {search.get("sparad") && !result ? <FormSuccess>Inställningarna är sparade.</FormSuccess> : null}
      {search.get("arkiverad") && !result ? <FormSuccess>Listan är arkiverad. Den går att läsa och exportera men inte ändra.</FormSuccess> : null}
      {search.get("aterstalld") && !result ? <FormSuccess>Listan är återställd och kan ändras igen.</FormSuccess> : null}
      {search.get("oforandrad") && !result ? (
        <div className="alert" role="status">
          Inget var ändrat.
        </div>
      ) : null}
      {result && !confirm ? <FormError message={result.message} /> : null}

      {confirm ? (
        <section className="alert alert--warn stack" role="alertdialog" aria-labelledby="bekrafta-rubrik" aria-describedby="bekrafta-text">
          <h2 id="bekrafta-rubrik">{`Sluta dela listan med ${confirm.removedNames.join(", ")}?`}</h2>
          <p id="bekrafta-text">
            {confirm.itemNumbers?.length ? `${result.message} ` : ""}
            {`Alla i ${confirm.removedNames.length === 1 ? "organisationen" : "organisationerna"} förlorar genast tillgången till listan, dess åtgärder och kommentarer, även den som har listan öppen just nu. Historiken finns kvar i händelseloggen.`}
          </p>
          <Form method="post" className="actions">
            {Object.entries(result.values)
              .filter(([name]) => name !== "confirm" && name !== "rensa")
              .flatMap(([name, value]) => ([] as string[]).concat(value).map((item, index) => <input key={`${name}-${index}`} type="hidden" name={name} value={item} />))}
            <input type="hidden" name="confirm" value="ja" />
            {confirm.itemNumbers?.length ? <input type="hidden" name="rensa" value="ja" /> : null}
            <button type="submit" className="button button--danger" aria-disabled={busy}>
              {busy ? "Sparar…" : confirm.itemNumbers?.length ? `Ja, ta bort ur ${confirm.itemNumbers.length === 1 ? "åtgärden" : "åtgärderna"} och sluta dela` : "Ja, sluta dela listan"}
            </button>
            <Link to={`/atgardslistor/${list.id}/installningar`} className="button button--secondary" reloadDocument>
              Avbryt
            </Link>
          </Form>
        </section>
      ) : null}

      <Form method="post" noValidate className="stack" aria-label="Listans inställningar">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="o.title" value={list.title} />
        <input type="hidden" name="o.description" value={list.description} />
        {list.sharedWithOrganisationIds.map((id) => (
          <input key={id} type="hidden" name="o.shared" value={id} />
        ))}
        <Field label="Namn" name="title" required maxLength={200} defaultValue={list.title} error={errors.title} />
        <div className="field">
          <label htmlFor="description">Beskrivning (valfri)</label>
          <textarea
            id="description"
            name="description"
            rows={4}
            maxLength={5000}
            defaultValue={list.description}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? "description-error" : undefined}
          />
          {errors.description ? (
            <p className="field-error" id="description-error">
              {errors.description}
            </p>
          ) : null}
        </div>
        <fieldset aria-describedby="delning-hint">
          <legend>Dela med organisationer</legend>
          <p className="hint" id="delning-hint">
            Alla medlemmar i de valda organisationerna ser listan och kan ändra dess åtgärder. Tar du bort en organisation förlorar dess medlemmar tillgången
            direkt; du får bekräfta det innan något ändras.
          </p>
          {errors.sharedWithOrganisationIds ? (
            <p className="field-error" role="alert">
              {errors.sharedWithOrganisationIds}
            </p>
          ) : null}
          {organisations.length === 0 ? <p className="empty">Det finns inga andra organisationer att dela med.</p> : null}
          {organisations.map((org) => (
            <label key={org.id} className="checkbox">
              <input type="checkbox" name="shared" value={org.id} defaultChecked={list.sharedWithOrganisationIds.includes(org.id)} />
              {org.name}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Sparar…" : "Spara inställningarna"}
          </button>
          <Link to={`/atgardslistor/${list.id}`}>Tillbaka till listan</Link>
        </div>
      </Form>

      <section aria-labelledby="arkiv-rubrik" className="stack">
        <h2 id="arkiv-rubrik">{list.archivedAt ? "Arkiverad lista" : "Arkivera listan"}</h2>
        {list.archivedAt ? (
          <>
            <p className="hint">
              {`Listan arkiverades ${formatDateTime(list.archivedAt)}. Alla som den delas med kan läsa, exportera och kommentera den, men ingen kan lägga till, ändra, ta bort eller importera åtgärder förrän den återställs.`}
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <button type="submit" className="button button--secondary" aria-disabled={busy}>
                Återställ listan
              </button>
            </Form>
          </>
        ) : list.tiedToAgreement ? (
          <p className="hint">Listan hör till en samverkansöverenskommelse och dess uppföljning och kan inte arkiveras.</p>
        ) : (
          <>
            <p className="hint">
              En avslutad lista kan arkiveras i stället för att tas bort: den finns kvar att läsa, exportera och kommentera för alla som den delas med,
              men åtgärderna kan inte ändras, och de kommer inte längre med i veckobreven eller på startsidan. Du kan återställa den när som helst.
            </p>
            <ConfirmButton
              label="Arkivera listan"
              title={`Arkivera ${list.title}?`}
              description="Ingen kan längre lägga till, ändra, ta bort eller importera åtgärder i listan, även den som har den öppen just nu. Listan kan återställas här."
              confirmLabel="Arkivera listan"
              fields={{ intent: "archive" }}
              danger={false}
            />
          </>
        )}
      </section>

      <section aria-labelledby="ta-bort-rubrik" className="stack">
        <h2 id="ta-bort-rubrik">Ta bort listan</h2>
        <p className="hint">
          Listan, alla dess åtgärder och kommentarer försvinner för alla organisationer. Det går inte att ångra; vad som hänt i listan finns kvar i
          händelseloggen. En lista som hör till en samverkansöverenskommelse kan inte tas bort.
        </p>
        <ConfirmButton
          label="Ta bort listan"
          title={`Ta bort ${list.title}?`}
          description="Listan med alla åtgärder och kommentarer tas bort för alla som den delas med, även för den som har den öppen just nu. Det går inte att ångra."
          confirmLabel="Ta bort listan"
          fields={{ intent: "delete" }}
        />
      </section>
    </div>
  );
}
