import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { actionListCsv, exportFiltersFrom } from "../domain/actions/export.server";
import { requireId } from "../domain/http-errors";
import { db } from "../server/portal.server";

/** An åtgärdslista with every Brå column as CSV, filtered like the table view it was opened from. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { csv, filename } = await actionListCsv(db(), user, requireId(params.id), exportFiltersFrom(new URL(request.url)));
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
