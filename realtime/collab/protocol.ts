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

/** One client's entry in an awareness update: its id, the state's clock, and the state (null: gone). */
export type AwarenessEntry = { clientId: number; clock: number; state: Record<string, unknown> | null };

export type ClientMessage =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; entries: AwarenessEntry[] };

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
      const entries = readAwarenessEntries(decoding.readVarUint8Array(decoder));
      if (!entries) return null;
      parsed = { kind: "awareness", entries };
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

/** The entries of an awareness update, or null unless every one decodes (states are JSON objects or null). */
function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 1000) return null;
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) return null;
    entries.push({ clientId, clock, state: state as AwarenessEntry["state"] });
  }
  if (decoding.hasContent(decoder)) return null;
  return entries;
}

/** An awareness update as y-protocols encodes one (the inverse of readAwarenessEntries). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
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
