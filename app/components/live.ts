import { useEffect, useRef, useState } from "react";
import { ACCESS_LOST_EVENT, type AccessLostPayload } from "../domain/live-events";
import { SOCKET_OPTIONS } from "./socket-options";

export type LiveStatus = "connecting" | "live" | "offline" | "denied" | "revoked";

/**
 * Subscribes to one live room over socket.io while the page is open. The socket is created
 * here, so only pages with a live view ever connect.
 */
export function useLiveRoom(room: string, events: Record<string, (payload: unknown) => void>, namespace: "/live" | "/public" = "/live") {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handlers = useRef(events);
  handlers.current = events;
  useEffect(() => {
    let socket: import("socket.io-client").Socket | undefined;
    let cancelled = false;
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      socket = io(namespace, SOCKET_OPTIONS);
      socket.on("connect", () => {
        socket!.emit("subscribe", room, (answer: { ok: boolean }) => setStatus(answer.ok ? "live" : "denied"));
      });
      socket.on("disconnect", (reason) => {
        setStatus("offline");
        // The server closes connections when it stops or when the person's rights change: connect
        // again once, and be authorised afresh (a refused handshake stays offline).
        if (reason === "io server disconnect") setTimeout(() => !cancelled && socket?.connect(), 1000);
      });
      socket.on("connect_error", () => setStatus("offline"));
      socket.on(ACCESS_LOST_EVENT, (payload: AccessLostPayload) => {
        if (payload?.room !== room) return;
        // Taken out of the room: stay disconnected, so that the page keeps saying why.
        setStatus("revoked");
        socket?.disconnect();
      });
      socket.onAny((event: string, payload: unknown) => handlers.current[event]?.(payload));
    });
    return () => {
      cancelled = true;
      socket?.disconnect();
    };
  }, [room, namespace]);
  return status;
}

export const liveStatusText: Record<LiveStatus, string> = {
  connecting: "Ansluter till liveuppdateringar…",
  live: "Uppdateras live",
  offline: "Liveuppdateringar är inte anslutna – ladda om sidan för senaste läget",
  denied: "Liveuppdateringar är inte tillgängliga för dig",
  revoked: "Du har inte längre tillgång till det här och får inga fler uppdateringar",
};
