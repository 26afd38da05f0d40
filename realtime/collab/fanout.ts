import type { Namespace, Socket } from "socket.io";
import * as ws from "ws";

type Frame = Buffer[];
type Transport = { name: string; writable: boolean; supportsBinary?: boolean };
type Connection = {
  transport: Transport;
  write(data: string | Buffer, options: { wsPreEncodedFrame?: Frame }): void;
  flush(): void;
};

/** ws's own framing of one unmasked, final, uncompressed message (what a server sends). */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Frame } };
const frame = (data: Buffer, opcode: 1 | 2): Frame => Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true });

/** The TCP connection under a socket's WebSocket transport (none while it polls over HTTP). */
function tcpOf(socket: Socket): { cork(): void; uncork(): void } | undefined {
  const transport = socket.conn.transport as unknown as { name?: string; socket?: { _socket?: { cork(): void; uncork(): void } } };
  return transport.name === "websocket" ? transport.socket?._socket : undefined;
}

/**
 * Emits one event to many sockets of a namespace, exactly as `socket.emit` would put it on the
 * wire (socket.io's packet, and for a binary argument its attachment as a second WebSocket
 * message), but cheaper per recipient:
 * - the packet and its WebSocket frames are encoded once for every recipient;
 * - each recipient's messages reach its transport together, and with its TCP connection corked
 *   they leave in one write. Through `emit`, the attachment waits for the first message's write
 *   to complete and leaves in a write of its own.
 * A recipient on HTTP long-polling gets the same packets through engine.io's ordinary path.
 */
export function fanOut(nsp: Namespace, recipients: readonly Socket[], event: string, ...args: unknown[]) {
  const packets = nsp.server.encoder.encode({ type: 2 /* EVENT; BINARY_EVENT when an argument is binary */, nsp: nsp.name, data: [event, ...args] }) as Array<string | Buffer>;
  let frames: Frame[] | undefined;
  const corked: Array<{ uncork(): void }> = [];
  try {
    for (const socket of recipients) {
      if (!socket.connected) continue;
      const connection = socket.conn as unknown as Connection;
      const tcp = tcpOf(socket);
      if (!tcp || connection.transport.supportsBinary === false) {
        for (const packet of packets) connection.write(packet, {});
        continue;
      }
      // engine.io's message packet: "4" and the text, or the bytes as they are.
      frames ??= packets.map((packet) => (typeof packet === "string" ? frame(Buffer.from(`4${packet}`), 1) : frame(toBuffer(packet), 2)));
      tcp.cork();
      corked.push(tcp);
      // Held back while they are queued, the packets go to the transport in one send.
      const { transport } = connection;
      const writable = transport.writable;
      transport.writable = false;
      try {
        for (let i = 0; i < packets.length; i++) connection.write(packets[i], { wsPreEncodedFrame: frames[i] });
      } finally {
        transport.writable = writable;
      }
      if (writable) connection.flush();
    }
  } finally {
    for (const tcp of corked) tcp.uncork();
  }
}

function toBuffer(bytes: Uint8Array | Buffer) {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
