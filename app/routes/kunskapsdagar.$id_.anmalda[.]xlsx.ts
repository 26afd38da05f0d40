import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { registrationsXlsx } from "../domain/kunskapsdagar/dashboard.server";
import { db } from "../server/portal.server";

/** A kunskapsdag's registrations with their answers as an Excel workbook, for its organisers. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { body, filename } = await registrationsXlsx(db(), user, requireId(params.id));
  return new Response(body, {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
