import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { convertTaskToAction, listsForConversion, MAX_STATUS_IDS, taskActionStatuses } from "../domain/actions/meeting-links.server";
import { requireId } from "../domain/http-errors";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

/**
 * The notes editor's link to åtgärder: GET answers the status of the items the notes link to
 * (`?id=…`, repeated) and the lists the person may add to; POST turns a task line into an item.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  const ids = new URL(request.url).searchParams.getAll("id").slice(0, MAX_STATUS_IDS + 1);
  return answer(async () => {
    const statuses = await taskActionStatuses(db(), user, meetingId, ids);
    const lists = await listsForConversion(db(), user);
    return { ok: true as const, statuses, lists };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const meetingId = requireId(params.id);
  return answer(async () => {
    const values = await readFormValues(request);
    const item = await convertTaskToAction(db(), user, meetingId, { listId: values.listId, title: values.title });
    return { ok: true as const, item: { id: item.id, number: item.number, title: item.title } };
  });
}

/** Refusals come back as JSON with their Swedish message, so the dialog can show them. */
async function answer<T>(run: () => Promise<T>) {
  try {
    return Response.json(await run());
  } catch (error) {
    if (error instanceof Response && error.status >= 400 && error.status < 500) {
      const body = (await error.json().catch(() => ({}))) as { message?: string; fieldErrors?: Record<string, string> };
      return Response.json({ ok: false as const, message: body.message ?? "Det gick inte.", fieldErrors: body.fieldErrors ?? {} }, { status: error.status });
    }
    throw error;
  }
}
