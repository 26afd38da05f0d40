import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { requireId } from "../domain/http-errors";
import { exportNotes, exportResponse } from "../domain/notes/export.server";
import { db } from "../server/portal.server";

/** The meeting's notes as a download (?version=<id> for one saved version), for everyone who sees the meeting. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const version = new URL(request.url).searchParams.get("version");
  return exportResponse(await exportNotes(db(), user, requireId(params.id), "md", version));
}
