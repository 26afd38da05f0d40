import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { reportDownload } from "../domain/followup/exports.server";
import { getReport } from "../domain/followup/followup.server";
import { requireId } from "../domain/http-errors";
import { db } from "../server/portal.server";

/** The follow-up report as a CSV of its underlying data, from the same figures as the report page. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const agreementId = requireId(params.id);
  const periodId = requireId(params.periodId);
  return reportDownload(request, `/overenskommelser/${agreementId}/rapport/${periodId}`, () => getReport(db(), user, agreementId, periodId), "csv");
}
