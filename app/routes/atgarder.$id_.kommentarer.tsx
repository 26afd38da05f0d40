import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormOutcome } from "../components/ui/field";
import { requireUser } from "../auth/guards.server";
import { CommentThread, type CommentThreadData } from "../components/actions/CommentThread";
import { useLiveComments } from "../components/actions/use-live-comments";
import { liveStatusText, useLiveRoom } from "../components/live";
import { actionListRoom, COMMENT_EVENT } from "../domain/actions/rooms";
import { addComment, commentSavedMessage, listComments } from "../domain/actions/comments.server";
import { badRequest, requireId } from "../domain/http-errors";
import { asFormResult, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Kommentarer: ${data?.item.title ?? "åtgärd"} – Samverkansportalen` }];

/** An åtgärd's comment thread; also what the item's detail view loads into its thread. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { item, list, comments, candidates } = await listComments(db(), user, requireId(params.id));
  const data: CommentThreadData & { item: { id: string; number: number; title: string }; list: { id: string; title: string } } = {
    item: { id: item.id, number: item.number, title: item.title },
    list: { id: list.id, title: list.title },
    comments,
    mentionable: { people: candidates.people.map((person) => person.name), organisations: candidates.organisations.map((organisation) => organisation.name) },
  };
  return data;
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const values = await readFormValues(request);
  const body = typeof values.body === "string" ? values.body : "";
  return asFormResult(
    async () => {
      if (values.intent !== "comment") throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
      const result = await addComment(db(), user, id, { body });
      return { ok: true as const, message: commentSavedMessage(result) };
    },
    // What was typed comes back with a refusal, so nothing is lost.
    { body },
  );
}

export default function ItemComments() {
  const data = useLoaderData<typeof loader>();
  // Without JavaScript the form posts here and the answer is shown above the thread.
  const result = useActionData<typeof action>() as { ok: boolean; message: string; body?: string } | undefined;
  // Comments others write while the page is open appear in the thread without a reload.
  const liveComments = useLiveComments(data.item.id);
  const liveStatus = useLiveRoom(actionListRoom(data.list.id), { [COMMENT_EVENT]: liveComments.onComment });
  return (
    <div className="stack narrow">
      <p>
        <Link to={`/atgarder/${data.item.id}`}>
          ← #{data.item.number} {data.item.title}
        </Link>
      </p>
      <h1>
        Kommentarer till #{data.item.number} {data.item.title}
      </h1>
      <p className="muted">I listan {data.list.title}</p>
      <p className="muted" role="status">
        {liveStatusText[liveStatus]}
      </p>
      <FormOutcome result={result} />
      <CommentThread itemId={data.item.id} initial={data} initialBody={result && !result.ok ? (result.body ?? "") : ""} arrived={liveComments.arrived} />
    </div>
  );
}
