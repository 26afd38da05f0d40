import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { attendeesCsv } from "../domain/meetings/meetings.server";
import { db } from "../server/portal.server";

/** The attendee list as CSV for spreadsheets (semicolon-separated, UTF-8 with BOM), for those who run the meeting. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { csv, filename } = await attendeesCsv(db(), user, requireId(params.id));
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
