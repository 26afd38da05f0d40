import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "../auth/guards.server";
import { FormError, FormSuccess } from "../components/ui/field";
import { TableRegion } from "../components/ui/table-region";
import { IMPORT_COLUMNS, IMPORT_LIMITS } from "../domain/actions/columns";
import { cancelImport, changeImportMapping, confirmImport, getImportPreview, startImport } from "../domain/actions/import.server";
import { loadListForActor } from "../domain/actions/action-lists.server";
import { badRequest, requireId, uuidPattern } from "../domain/http-errors";
import { asFormResult } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Importera åtgärder – ${data?.list.title ?? "åtgärdslista"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const listId = requireId(params.id);
  const url = new URL(request.url);
  const token = url.searchParams.get("granska");
  const imported = Number(url.searchParams.get("klart") ?? "") || null;
  if (token && uuidPattern.test(token)) {
    const { list, upload, preview } = await getImportPreview(db(), user, listId, token.toLowerCase());
    return {
      list: { id: list.id, title: list.title },
      imported,
      upload: { id: upload.id, fileName: upload.fileName, notes: upload.fileNotes, headers: upload.headers, mapping: upload.mapping },
      preview,
    };
  }
  const list = (await loadListForActor(db(), user, listId, "actionList.import")).list;
  return { list: { id: list.id, title: list.title }, imported, upload: null, preview: null };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const listId = requireId(params.id);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("Formuläret kunde inte läsas. Ladda om sidan och försök igen.");
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const intent = text("intent");
  const token = text("token");
  return asFormResult(async () => {
    if (intent === "upload") {
      const file = form.get("file");
      if (!file || typeof file === "string" || file.size === 0) {
        if (file && typeof file !== "string" && file.name) throw badRequest("Filen är tom. Välj en CSV- eller Excel-fil med åtgärder.");
        throw badRequest("Välj en fil att importera.");
      }
      const id = await startImport(db(), user, listId, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      return redirect(`/atgardslistor/${listId}/import?granska=${id}`);
    }
    if (!uuidPattern.test(token)) throw badRequest("Importen finns inte längre. Ladda upp filen igen.");
    if (intent === "map") {
      const values: Record<string, string> = {};
      for (const column of IMPORT_COLUMNS) values[`map_${column.key}`] = text(`map_${column.key}`);
      await changeImportMapping(db(), user, listId, token, values);
      return redirect(`/atgardslistor/${listId}/import?granska=${token}`);
    }
    if (intent === "confirm") {
      const { imported } = await confirmImport(db(), user, listId, token);
      return redirect(`/atgardslistor/${listId}/import?klart=${imported}`);
    }
    if (intent === "cancel") {
      await cancelImport(db(), user, listId, token);
      return redirect(`/atgardslistor/${listId}/import`);
    }
    throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
  });
}

export default function ImportActions() {
  const { list, imported, upload, preview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok: false; message: string } | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (result?.message) heading.current?.focus();
  }, [result]);

  return (
    <div className="stack">
      <p>
        <Link to={`/atgardslistor/${list.id}`}>← {list.title}</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Importera åtgärder
      </h1>
      {imported ? (
        <FormSuccess>
          {imported} {imported === 1 ? "åtgärd har" : "åtgärder har"} lagts till i listan.
        </FormSuccess>
      ) : null}
      <FormError message={result?.message} />

      {!upload || !preview ? (
        <section className="card" aria-labelledby="valj-fil">
          <h2 id="valj-fil">Välj fil</h2>
          <p>
            Ladda upp er befintliga åtgärdslista som Excel-fil (.xlsx) eller CSV. Första raden ska innehålla rubriker; du får välja vilken
            kolumn som är vad innan något sparas. Högst {IMPORT_LIMITS.rows.toLocaleString("sv-SE")} rader och {Math.round(IMPORT_LIMITS.fileBytes / 1024)} kB.
          </p>
          <p className="muted">Skriv inte in uppgifter om enskilda personer eller säkerhetsskyddsklassificerade uppgifter.</p>
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="upload" />
            <div className="field">
              <label htmlFor="field-file">
                Fil
                <span className="hint" id="field-file-hint">
                  Excel (.xlsx) eller CSV (.csv)
                </span>
              </label>
              <input id="field-file" name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-describedby="field-file-hint" />
            </div>
            <div className="actions">
              <button className="button" type="submit" disabled={busy}>
                {busy ? "Läser filen…" : "Läs in och förhandsgranska"}
              </button>
            </div>
          </Form>
        </section>
      ) : (
        <>
          <section className="card" aria-labelledby="kolumner">
            <h2 id="kolumner">Kolumner i {upload.fileName}</h2>
            {upload.notes.map((note) => (
              <div className="alert alert--warn" role="status" key={note}>
                {note}
              </div>
            ))}
            <p>Kontrollera vilken kolumn i filen som hör till vilket fält. Förslagen bygger på rubrikerna i filen.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="map" />
              <input type="hidden" name="token" value={upload.id} />
              <div className="grid">
                {IMPORT_COLUMNS.map((column) => (
                  <div className="field" key={column.key}>
                    <label htmlFor={`map-${column.key}`}>
                      {column.label}
                      {"required" in column && column.required ? " (obligatorisk)" : ""}
                    </label>
                    <select id={`map-${column.key}`} name={`map_${column.key}`} defaultValue={upload.mapping[column.key] ?? ""}>
                      <option value="">– Finns inte i filen –</option>
                      {upload.headers.map((header, index) => (
                        <option key={index} value={index}>
                          {header}
                        </option>
                      ))}
                    </select>
                  </div>
                ))}
              </div>
              <div className="actions">
                <button className="button button--secondary" type="submit" disabled={busy}>
                  Uppdatera förhandsgranskningen
                </button>
              </div>
            </Form>
          </section>

          <section aria-labelledby="forhandsgranskning">
            <h2 id="forhandsgranskning">Förhandsgranskning</h2>
            {preview.blockers.map((blocker) => (
              <div className="alert alert--error" role="alert" key={blocker}>
                {blocker}
              </div>
            ))}
            <p role="status">
              {preview.valid} {preview.valid === 1 ? "rad kan" : "rader kan"} importeras, {preview.invalid} {preview.invalid === 1 ? "rad har" : "rader har"} fel
              {preview.skipped ? `, ${preview.skipped} tomma rader hoppas över` : ""}. Inget sparas förrän du bekräftar.
            </p>
            <TableRegion labelledBy="forhandsgranskning">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Rad</th>
                    <th scope="col">Åtgärd</th>
                    <th scope="col">Resultat</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows
                    .filter((row) => !row.empty)
                    .map((row) => (
                      <tr key={row.rowNumber}>
                        <th scope="row">{row.rowNumber}</th>
                        <td>{row.title || <span className="muted">(saknas)</span>}</td>
                        <td>
                          {row.errors.length === 0 ? (
                            <span className="badge badge--ok">Kan importeras</span>
                          ) : (
                            <ul className="import-errors">
                              {row.errors.map((error) => (
                                <li key={error}>{error}</li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableRegion>
            <div className="actions">
              <Form method="post">
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="token" value={upload.id} />
                <button className="button" type="submit" disabled={busy || preview.invalid > 0 || preview.blockers.length > 0 || preview.valid === 0}>
                  Importera {preview.valid} {preview.valid === 1 ? "åtgärd" : "åtgärder"}
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="cancel" />
                <input type="hidden" name="token" value={upload.id} />
                <button className="button button--secondary" type="submit" disabled={busy}>
                  Avbryt och välj en annan fil
                </button>
              </Form>
            </div>
            {preview.invalid > 0 ? <p className="muted">Rätta raderna med fel i filen och ladda upp den igen. Inget har sparats.</p> : null}
          </section>
        </>
      )}
    </div>
  );
}
