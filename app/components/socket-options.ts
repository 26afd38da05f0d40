import type { ManagerOptions, SocketOptions } from "socket.io-client";

/**
 * How every page connects to the portal's socket.io server: a WebSocket from the start, and
 * long-polling only where a WebSocket cannot be opened (a proxy that refuses them). Starting on
 * long-polling and upgrading would cost extra round trips before the first update, and a page
 * that closes its connection early could leave a poll behind that the server no longer knows.
 */
export const SOCKET_OPTIONS = {
  withCredentials: true,
  transports: ["websocket", "polling"],
  tryAllTransports: true,
} satisfies Partial<ManagerOptions & SocketOptions>;
