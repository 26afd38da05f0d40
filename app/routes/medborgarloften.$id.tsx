import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { OccurrenceForm } from "../components/agreements/occurrence-form";
import { PromiseFields, PromiseProgress } from "../components/agreements/promise-fields";
import { CommandForm } from "../components/networks/command-form";
import { ConfirmButton } from "../components/ui/confirm-button";
import { TableRegion } from "../components/ui/table-region";
import { occurrenceSchema, promiseSchema } from "../domain/agreements/agreements.schema";
import { getPromise, logOccurrence, removeOccurrence, setPromisePublished, updatePromise } from "../domain/agreements/promises.server";
import { requireId, uuidPattern } from "../domain/http-errors";
import { formatDate } from "../format";
import { runIntent } from "../server/intents.server";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.promise.title ?? "Medborgarlöfte"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const view = await getPromise(db(), user, requireId(params.id));
  return {
    ...view,
    promise: { ...view.promise, published: view.promise.publishedAt !== null },
    occurrences: view.occurrences.map((occurrence) => ({ ...occurrence, when: formatDate(`${occurrence.occurredOn}T12:00:00Z`) })),
  };
}

const intents = z.discriminatedUnion(
  "intent",
  [
    promiseSchema.safeExtend({ intent: z.literal("edit") }),
    occurrenceSchema.extend({ intent: z.literal("log") }),
    z.object({ intent: z.literal("removeOccurrence"), occurrenceId: z.string().regex(uuidPattern, "Ladda om sidan och försök igen.") }),
    z.object({ intent: z.literal("publish") }),
    z.object({ intent: z.literal("unpublish") }),
  ],
  { error: "Okänd åtgärd. Ladda om sidan och försök igen." },
);

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  return runIntent(await readFormValues(request), intents, async (input) => {
    switch (input.intent) {
      case "edit": {
        const { intent: _intent, ...promise } = input;
        await updatePromise(db(), user, id, promise);
        return "Löftet är sparat.";
      }
      case "log": {
        const { intent: _intent, ...occurrence } = input;
        await logOccurrence(db(), user, id, occurrence);
        return "Tillfället är registrerat.";
      }
      case "removeOccurrence":
        await removeOccurrence(db(), user, id, input.occurrenceId.toLowerCase());
        return "Tillfället är borttaget.";
      case "publish":
        await setPromisePublished(db(), user, id, true);
        return "Löftet är publicerat på den öppna sidan.";
      case "unpublish":
        await setPromisePublished(db(), user, id, false);
        return "Löftet visas inte längre på den öppna sidan.";
    }
  });
}

export default function PromisePage() {
  const { promise, occurrences, progress, agreement, partyNames, can } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to="/medborgarloften">← Medborgarlöften</Link>
      </p>
      <h1>{promise.title}</h1>
      <p>
        <span className="badge">{promise.published ? "Publicerat" : "Inte publicerat"}</span> {promise.localArea} {promise.year} · {partyNames.join(" och ")}
        {agreement ? (
          <>
            {" "}
            · <Link to={`/overenskommelser/${agreement.id}`}>{agreement.title}</Link>
          </>
        ) : null}
      </p>
      {promise.description ? <p className="pre-line">{promise.description}</p> : null}
      <section aria-labelledby="framsteg">
        <h2 id="framsteg">Hur långt har vi kommit?</h2>
        <div aria-live="polite">
          <PromiseProgress text={progress.text} percent={progress.percent} />
          {progress.reached ? <p className="alert alert--ok">Målet är nått.</p> : null}
        </div>
      </section>
      {can.publish ? (
        <div className="actions">
          {promise.published ? (
            <ConfirmButton
              label="Ta bort från den öppna sidan"
              title="Avpublicera löftet?"
              description="Löftet visas inte längre för allmänheten. Det finns kvar här."
              confirmLabel="Ja, avpublicera"
              fields={{ intent: "unpublish" }}
            />
          ) : (
            <CommandForm intent="publish" submitLabel="Publicera på den öppna sidan" busyLabel="Publicerar…" />
          )}
          <Link to="/offentligt/medborgarloften">Se den öppna sidan</Link>
        </div>
      ) : null}
      <section aria-labelledby="tillfallen">
        <h2 id="tillfallen">Genomförda tillfällen</h2>
        {can.log ? (
          <div className="card">
            <OccurrenceForm unit={promise.targetUnit} />
          </div>
        ) : null}
        {occurrences.length === 0 ? (
          <p className="empty">Inga tillfällen är registrerade ännu.</p>
        ) : (
          <TableRegion label="Registrerade tillfällen">
            <table className="responsive-table">
              <caption>Registrerade tillfällen ({occurrences.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Antal</th>
                  <th scope="col">Anteckning</th>
                  <th scope="col">Registrerat av</th>
                  {can.log ? <th scope="col"><span className="visually-hidden">Ta bort</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {occurrences.map((occurrence) => (
                  <tr key={occurrence.id}>
                    <th scope="row">{occurrence.when}</th>
                    <td data-label="Antal">{occurrence.quantity}</td>
                    <td data-label={occurrence.note ? "Anteckning" : undefined}>{occurrence.note}</td>
                    <td data-label={occurrence.recordedByName ? "Registrerat av" : undefined}>{occurrence.recordedByName ?? ""}</td>
                    {can.log ? (
                      <td>
                        <ConfirmButton
                          label="Ta bort"
                          title="Ta bort tillfället?"
                          description={`Tillfället ${occurrence.when} räknas inte längre mot målet.`}
                          confirmLabel="Ja, ta bort"
                          fields={{ intent: "removeOccurrence", occurrenceId: occurrence.id }}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      {can.edit ? (
        <details className="card">
          <summary>Ändra löftet</summary>
          <CommandForm intent="edit" submitLabel="Spara löftet">
            {(form) => <PromiseFields idPrefix="edit-promise" values={promise} form={form} />}
          </CommandForm>
        </details>
      ) : null}
    </div>
  );
}
