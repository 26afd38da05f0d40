import { WebSocket as WebSocketTransport, XHR } from "engine.io-client";
import type { ManagerOptions, SocketOptions } from "socket.io-client";

// The transport's own hooks (protected), by their types there.
type Packet = Parameters<WebSocketTransport["onPacket"]>[0];
type CloseDetails = Parameters<WebSocketTransport["onClose"]>[0];

/**
 * engine.io's WebSocket transport, except that a WebSocket the other end closes before anything
 * arrived on it (a proxy that accepts the upgrade and then drops the connection) is reported as a
 * failure to connect, as a refused one is. The client then falls back to long-polling at once.
 * As a plain close, it left the client waiting for its connection timeout, and every attempt after
 * that started on the WebSocket again: the page never connected.
 */
class WebSocketOrFallBack extends WebSocketTransport {
  private heard = false;
  private closing = false;

  protected override onPacket(packet: Packet) {
    this.heard = true;
    super.onPacket(packet);
  }

  override doClose() {
    this.closing = true;
    super.doClose();
  }

  protected override onClose(details?: CloseDetails) {
    if (!this.heard && !this.closing) {
      this.closing = true;
      this.onError("websocket closed before the handshake", details?.description, details?.context);
      return;
    }
    super.onClose(details);
  }
}

/**
 * How every page connects to the portal's socket.io server: a WebSocket from the start, and
 * long-polling only where a WebSocket cannot be opened or is dropped before the handshake (a
 * proxy that refuses them). Starting on long-polling and upgrading would cost extra round trips
 * before the first update, and a page that closes its connection early could leave a poll behind
 * that the server no longer knows.
 */
export const SOCKET_OPTIONS = {
  withCredentials: true,
  transports: [WebSocketOrFallBack, XHR],
  tryAllTransports: true,
} satisfies Partial<ManagerOptions & SocketOptions>;
