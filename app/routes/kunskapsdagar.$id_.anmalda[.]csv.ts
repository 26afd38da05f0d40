import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { registrationsCsv } from "../domain/kunskapsdagar/dashboard.server";
import { db } from "../server/portal.server";

/** A kunskapsdag's registrations with their answers as CSV, for its organisers. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { csv, filename } = await registrationsCsv(db(), user, requireId(params.id));
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" },
  });
}
