import type { Namespace, Socket } from "socket.io";
import * as ws from "ws";
import { logger } from "../../app/server/logger.server";

type Frame = Buffer[];
type Tcp = { cork(): void; uncork(): void; write(data: Buffer): boolean; writable: boolean; destroyed: boolean };
/** ws's WebSocket, with the parts of its sender that say whether a frame is still queued there. */
type WsSocket = { readyState: number; _socket?: Tcp; _sender?: { _queue: unknown[]; _state: number } };
type Transport = { name: string; writable: boolean; supportsBinary?: boolean; socket?: WsSocket };
type Connection = {
  readyState: string;
  transport: Transport;
  writeBuffer: unknown[];
  write(data: string | Buffer, options: { wsPreEncodedFrame?: Frame }): void;
  flush(): void;
};
const WS_OPEN = 1;

/** ws's own framing of one unmasked, final, uncompressed message (what a server sends). */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Frame } };
const frame = (data: Buffer, opcode: 1 | 2): Frame => Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true });

/** The TCP connection under a socket's WebSocket transport (none while it polls over HTTP). */
function tcpOf(connection: Connection): Tcp | undefined {
  return connection.transport.name === "websocket" ? connection.transport.socket?._socket : undefined;
}

/**
 * Whether bytes written to the connection now reach the client after everything sent to it
 * before: nothing waits in engine.io's queue or in ws's (both hand what they send to the TCP
 * connection in order, so only what they still hold could be overtaken).
 */
function nothingQueued(connection: Connection, tcp: Tcp) {
  const ws = connection.transport.socket;
  return (
    connection.readyState === "open" &&
    connection.writeBuffer.length === 0 &&
    ws?.readyState === WS_OPEN &&
    ws._sender !== undefined &&
    ws._sender._queue.length === 0 &&
    ws._sender._state === 0 &&
    tcp.writable &&
    !tcp.destroyed
  );
}

/** Each packet as engine.io's message frame: "4" and the text, or the bytes as they are. */
const framesOf = (packets: Array<string | Buffer>): Frame[] =>
  packets.map((packet) => (typeof packet === "string" ? frame(Buffer.from(`4${packet}`), 1) : frame(toBuffer(packet), 2)));

/** The TCP connection a socket's packets may be written to directly now, if any (see nothingQueued). */
function directTcp(connection: Connection): Tcp | undefined {
  const tcp = tcpOf(connection);
  return tcp && connection.transport.supportsBinary !== false && nothingQueued(connection, tcp) ? tcp : undefined;
}

/**
 * Emits one event to many sockets of a namespace, exactly as `socket.emit` would put it on the
 * wire (socket.io's packet, and for a binary argument its attachment as a second WebSocket
 * message), but cheaper per recipient:
 * - the packet and its WebSocket frames are encoded once for every recipient, as one buffer;
 * - a recipient on WebSocket with nothing queued ahead of it gets that buffer in one write to
 *   its TCP connection, with no per-recipient work in engine.io or ws (packet objects,
 *   callbacks, buffered writes: most of what a change cost the event loop and its collector);
 * - one with something queued gets the frames through engine.io, behind what waits there, in
 *   one write as well (its TCP connection corked). Through `emit`, the attachment waits for the
 *   first message's write to complete and leaves in a write of its own.
 * A recipient on HTTP long-polling gets the same packets through engine.io's ordinary path.
 * A recipient whose connection fails to take them is logged and skipped: the others still get
 * them, and no caller fails (one sends inside a change's transaction). A member that missed a
 * change gets it at its next sync.
 */
export function fanOut(nsp: Namespace, recipients: readonly Socket[], event: string, ...args: unknown[]) {
  const packets = nsp.server.encoder.encode({ type: 2 /* EVENT; BINARY_EVENT when an argument is binary */, nsp: nsp.name, data: [event, ...args] }) as Array<string | Buffer>;
  let frames: Frame[] | undefined;
  let wire: Buffer | undefined;
  const corked: Tcp[] = [];
  const send = (socket: Socket) => {
    const connection = socket.conn as unknown as Connection;
    const direct = directTcp(connection);
    if (direct) {
      frames ??= framesOf(packets);
      wire ??= Buffer.concat(frames.flat());
      direct.write(wire);
      return;
    }
    const tcp = tcpOf(connection);
    if (!tcp || connection.transport.supportsBinary === false) {
      for (const packet of packets) connection.write(packet, {});
      return;
    }
    frames ??= framesOf(packets);
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
  };
  try {
    for (const socket of recipients) {
      if (!socket.connected) continue;
      try {
        send(socket);
      } catch (error) {
        logger.error({ err: error, socketId: socket.id, event }, "sending to a co-editing member failed");
      }
    }
  } finally {
    for (const tcp of corked) tcp.uncork();
  }
}

type Packet = { type: number; nsp: string; id?: number; data?: unknown[] };

/**
 * Lets a socket send its own packets (acknowledgements, replies) the way `fanOut` sends to
 * members: encoded and framed here and written straight to its TCP connection when nothing is
 * queued ahead of them, and through socket.io and engine.io as before otherwise (something
 * queued, HTTP long-polling, a closed connection). An update's acknowledgement is about one in
 * five of the packets the notes send while five people write. The bytes on the wire are the same.
 */
export function sendOwnPacketsDirectly(socket: Socket) {
  const target = socket as unknown as { packet(packet: Packet, options?: object): void };
  const viaEngine = target.packet;
  target.packet = (packet, options) => {
    const connection = socket.conn as unknown as Connection;
    const tcp = directTcp(connection);
    if (!tcp) return viaEngine.call(socket, packet, options);
    packet.nsp = socket.nsp.name;
    tcp.write(Buffer.concat(framesOf(socket.nsp.server.encoder.encode(packet) as Array<string | Buffer>).flat()));
  };
}

function toBuffer(bytes: Uint8Array | Buffer) {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
