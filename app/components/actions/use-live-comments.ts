import { useCallback, useState } from "react";
import type { CommentEventPayload } from "../../domain/actions/rooms";
import type { CommentThreadData } from "./CommentThread";

/**
 * Comments of one item that arrive in the list's live room (`action-item:comment`), for a page that
 * already holds the room with `useLiveRoom`: pass `onComment` as the event's handler and `arrived`
 * to the thread.
 */
export function useLiveComments(itemId: string) {
  const [arrived, setArrived] = useState<CommentThreadData["comments"]>([]);
  const onComment = useCallback(
    (payload: unknown) => {
      const event = payload as CommentEventPayload;
      if (event?.itemId !== itemId) return;
      setArrived((previous) => (previous.some((comment) => comment.id === event.comment.id) ? previous : [...previous, event.comment]));
    },
    [itemId],
  );
  return { arrived, onComment };
}
