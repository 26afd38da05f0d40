import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { actionListXlsx, exportFiltersFrom } from "../domain/actions/export.server";
import { requireId } from "../domain/http-errors";
import { db } from "../server/portal.server";

/** An åtgärdslista with every Brå column as an Excel workbook, filtered like the table view. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { body, filename } = await actionListXlsx(db(), user, requireId(params.id), exportFiltersFrom(new URL(request.url)));
  return new Response(body, {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
