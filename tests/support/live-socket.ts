import { io, type Socket } from "socket.io-client";

export type SubscribeAnswer = { ok: boolean; error?: string };

/**
 * socket.io clients on a test portal's `/live` namespace, sent the headers a browser would send
 * (cookie, origin). No automatic reconnection, so that a refusal or a server-side close is seen
 * as it is. `closeAll()` in afterAll/afterEach.
 */
export function liveSockets(portalUrl: () => string) {
  const opened: Socket[] = [];

  function open(headers: Record<string, string> = {}) {
    const socket = io(`${portalUrl()}/live`, { extraHeaders: headers, transports: ["websocket"], reconnection: false, forceNew: true });
    opened.push(socket);
    return socket;
  }

  /** Resolves with "connected" or the connect_error message (e.g. "unauthorized"). */
  function connection(socket: Socket) {
    return new Promise<string>((resolve) => {
      socket.once("connect", () => resolve("connected"));
      socket.once("connect_error", (error) => resolve(error.message));
    });
  }

  async function connectedAs(cookie: string) {
    const socket = open({ cookie });
    const outcome = await connection(socket);
    if (outcome !== "connected") throw new Error(`the socket was refused: ${outcome}`);
    return socket;
  }

  function subscribe(socket: Socket, room: unknown) {
    return socket.timeout(5000).emitWithAck("subscribe", room) as Promise<SubscribeAnswer>;
  }

  /** Resolves with the reason when the connection closes ("io server disconnect" when the server closed it). */
  function closed(socket: Socket) {
    return new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
  }

  function closeAll() {
    for (const socket of opened.splice(0)) socket.disconnect();
  }

  return { open, connection, connectedAs, subscribe, closed, closeAll };
}
