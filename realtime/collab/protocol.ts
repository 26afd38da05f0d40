import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** The message types of y-websocket's framing, which the protocol uses as it is. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export type ProtocolError = "read_only" | "forbidden" | "too_large" | "malformed" | "rate_limited";

export type ClientMessage =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array; clientIds: number[] };

/** Reads one framed message completely, or returns null when anything about it is wrong. */
export function parseClientMessage(message: Uint8Array): ClientMessage | null {
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    let parsed: ClientMessage;
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) {
        Y.decodeStateVector(payload);
        parsed = { kind: "step1", stateVector: payload };
      } else if (step === SYNC_STEP_2 || step === SYNC_UPDATE) {
        parsed = { kind: "update", update: payload };
      } else {
        return null;
      }
    } else if (type === MESSAGE_AWARENESS) {
      const payload = decoding.readVarUint8Array(decoder);
      const clientIds = readAwarenessClients(payload);
      if (!clientIds) return null;
      parsed = { kind: "awareness", update: payload, clientIds };
    } else {
      return null;
    }
    // Trailing bytes mean the sender frames differently from us: refuse rather than guess.
    if (decoding.hasContent(decoder)) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** The client ids of an awareness update, after checking that every entry decodes (states are JSON). */
function readAwarenessClients(update: Uint8Array): number[] | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 1000) return null;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
    if (state !== null && typeof state !== "object") return null;
  }
  if (decoding.hasContent(decoder)) return null;
  return ids;
}

/**
 * Checks a Yjs update before it touches a document: it must decode, and it must continue each
 * writer's history where the document stands (a gap means an update was skipped or reordered).
 * Returns "empty" for an update that carries nothing.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): "ok" | "empty" | "malformed" {
  try {
    const decoded = Y.decodeUpdate(update);
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return "empty";
    // Where the update starts for each writer, compared with the document's own clocks (no
    // re-encoding of the document's state vector per update).
    let client = -1;
    const seen = new Set<number>();
    for (const struct of decoded.structs) {
      if (struct.id.client === client) continue;
      client = struct.id.client;
      if (seen.has(client)) continue;
      seen.add(client);
      if (struct.id.clock > Y.getState(doc.store, client)) return "malformed";
    }
    return "ok";
  } catch {
    return "malformed";
  }
}

export function syncFrame(step: number, payload: Uint8Array) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function awarenessFrame(update: Uint8Array) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
