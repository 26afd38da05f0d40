import { useCallback, useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";
import type { ActionItemView } from "../../domain/actions/fields";
import { SOCKET_OPTIONS } from "../socket-options";
import {
  actionListRoom,
  CREATE_EVENT,
  EDIT_EVENT,
  FOCUS_EVENT,
  ITEM_EVENT,
  LIST_EVENT,
  PRESENCE_EVENT,
  WHO_EVENT,
  type EditAnswer,
  type ItemEventPayload,
  type Presence,
  type PresencePayload,
} from "../../domain/actions/rooms";
import { ACCESS_LOST_EVENT, type AccessLostPayload } from "../../domain/live-events";
import type { LiveStatus } from "../live";

type QueuedEdit = { message: { itemId: string; field: string; value: unknown; version: number }; resolve: (answer: EditAnswer) => void };
type CreateAnswer = { ok: true; item: ActionItemView } | { ok: false; message: string };

/**
 * The live side of an action list: joins its room, passes on item events and presence, and
 * sends edits. Edits made while the connection is down wait in a queue and go out, in order,
 * once it is back; the server then stores them or answers with a conflict, as for any edit.
 */
export function useActionListLive(
  listId: string,
  handlers: { onItem: (payload: ItemEventPayload) => void; onPresence: (editors: Presence[]) => void; onListChanged?: () => void },
) {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [queued, setQueued] = useState(0);
  const socketRef = useRef<Socket | null>(null);
  const queue = useRef<QueuedEdit[]>([]);
  const editors = useRef(new Map<string, Presence>());
  const focus = useRef<{ itemId: string | null; field: string | null }>({ itemId: null, field: null });
  const current = useRef(handlers);
  current.current = handlers;
  const joinedRef = useRef(false);

  const flush = useCallback(async () => {
    const socket = socketRef.current;
    while (socket && joinedRef.current && socket.connected && queue.current.length) {
      const next = queue.current[0];
      try {
        const answer = (await socket.timeout(15_000).emitWithAck(EDIT_EVENT, next.message)) as EditAnswer;
        queue.current.shift();
        setQueued(queue.current.length);
        next.resolve(answer);
      } catch {
        // No answer in time: keep it queued and try again on the next connection.
        return;
      }
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    let revoked = false;
    let socket: Socket | undefined;
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      socket = io("/live", { ...SOCKET_OPTIONS, reconnectionDelayMax: 4000 });
      socketRef.current = socket;
      socket.on("connect", () => {
        socket!.emit("subscribe", actionListRoom(listId), async (answer: { ok: boolean }) => {
          if (!answer.ok) {
            joinedRef.current = false;
            return setStatus("denied");
          }
          joinedRef.current = true;
          setStatus("live");
          const who = (await socket!.timeout(5000).emitWithAck(WHO_EVENT, { listId }).catch(() => null)) as { ok: boolean; editors?: Presence[] } | null;
          editors.current = new Map((who?.editors ?? []).filter((e) => e.socketId !== socket!.id).map((e) => [e.socketId, e]));
          current.current.onPresence([...editors.current.values()]);
          if (focus.current.itemId) socket!.emit(FOCUS_EVENT, { listId, ...focus.current });
          void flush();
        });
      });
      socket.on("disconnect", (reason) => {
        joinedRef.current = false;
        if (revoked) return;
        setStatus("offline");
        editors.current.clear();
        current.current.onPresence([]);
        // A server-side close (sign-out, changed rights, restart) is not retried by socket.io itself.
        if (reason === "io server disconnect") setTimeout(() => !cancelled && socket?.connect(), 1000);
      });
      socket.on("connect_error", () => setStatus("offline"));
      socket.on(ITEM_EVENT, (payload: ItemEventPayload) => current.current.onItem(payload));
      socket.on(LIST_EVENT, () => current.current.onListChanged?.());
      socket.on(ACCESS_LOST_EVENT, (payload: AccessLostPayload) => {
        if (payload?.room !== actionListRoom(listId)) return;
        // The list is no longer shared with the person (or was removed): stop, and say so.
        revoked = true;
        joinedRef.current = false;
        setStatus("revoked");
        editors.current.clear();
        current.current.onPresence([]);
        for (const waiting of queue.current.splice(0)) {
          waiting.resolve({ ok: false, error: "not_found", message: "Du har inte längre tillgång till listan. Ändringen sparades inte." });
        }
        setQueued(0);
        socket?.disconnect();
      });
      socket.on(PRESENCE_EVENT, (payload: PresencePayload) => {
        if (payload.socketId === socket!.id) return;
        if (payload.itemId) editors.current.set(payload.socketId, payload);
        else editors.current.delete(payload.socketId);
        current.current.onPresence([...editors.current.values()]);
      });
    });
    return () => {
      cancelled = true;
      socket?.disconnect();
      socketRef.current = null;
    };
  }, [listId, flush]);

  const edit = useCallback(
    (itemId: string, field: string, value: unknown, version: number) =>
      new Promise<EditAnswer>((resolve) => {
        queue.current.push({ message: { itemId, field, value, version }, resolve });
        setQueued(queue.current.length);
        void flush();
      }),
    [flush],
  );

  const create = useCallback(async (title: string): Promise<CreateAnswer> => {
    const socket = socketRef.current;
    if (!socket?.connected) return { ok: false, message: "Ingen anslutning just nu. Åtgärden läggs inte till förrän du är ansluten igen." };
    try {
      return (await socket.timeout(10_000).emitWithAck(CREATE_EVENT, { listId, title })) as CreateAnswer;
    } catch {
      return { ok: false, message: "Inget svar från servern. Försök igen." };
    }
  }, [listId]);

  const setFocus = useCallback(
    (itemId: string | null, field: string | null) => {
      focus.current = { itemId, field };
      socketRef.current?.emit(FOCUS_EVENT, { listId, itemId, field });
    },
    [listId],
  );

  return { status, queued, edit, create, setFocus };
}
