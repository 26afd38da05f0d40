/**
 * Lean clients for `npm run bench:collab`: each speaks its server's wire format directly over one
 * WebSocket (`ws`), with nothing else per message than the protocol asks for. On a machine where
 * the clients share the cores with the server under test, a client library's own cost per message
 * (socket.io-client's packet objects, timers and debug calls; the Hocuspocus provider's message
 * classes) is time the server waits for a core, so it decides the p99 as much as the server does.
 * These clients cost both servers' loads the same little. `BENCH_COLLAB_CLIENT=library` measures
 * with socket.io-client and @hocuspocus/provider instead.
 *
 * Neither joins awareness: the loads measure document updates only.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, syncFrame, SYNC_UPDATE } from "../../realtime/collab/protocol";

type Answer = { ok: boolean; error?: string };

/** What the bench needs of a connected client: its document, and its updates the server confirmed or refused. */
export type LeanClient = { doc: Y.Doc; acked(): number; refused: string[]; close(): void };

const NAMESPACE = "/collab";

/**
 * The portal's `/collab` protocol (docs/realtime-protocol.md) in socket.io's wire format: engine.io
 * 4 packets on a WebSocket, a binary event as its header packet followed by the bytes. Every update
 * asks for the acknowledgement after commit, as the browser's provider does.
 */
export function connectLeanPortalClient(url: string, cookie: string, docName: string) {
  return new Promise<LeanClient>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie }, perMessageDeflate: false });
    const doc = new Y.Doc();
    const refused: string[] = [];
    let acked = 0;
    const answers = new Map<number, (answer: Answer) => void>();
    const origin = {};
    let nextId = 1;
    let attachmentFollows = false;
    let synced = false;

    const withAnswer = (callback: (answer: Answer) => void) => {
      const id = nextId++;
      answers.set(id, callback);
      return id;
    };
    const sendFrame = (frame: Uint8Array, id: number | "" = "") => {
      ws.send(`451-${NAMESPACE},${id}["y",${JSON.stringify(docName)},{"_placeholder":true,"num":0}]`);
      ws.send(frame);
    };
    const receive = (frame: Uint8Array) => {
      const decoder = decoding.createDecoder(frame);
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) return sendFrame(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(doc, payload)));
      Y.applyUpdate(doc, payload, origin);
      if (step === SYNC_STEP_2 && !synced) {
        synced = true;
        resolve({ doc, acked: () => acked, refused, close: () => ws.close() });
      }
    };

    ws.on("error", reject);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        // The only binary events the server sends are `y` messages of the document joined.
        if (attachmentFollows) receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        attachmentFollows = false;
        return;
      }
      const packet = data.toString();
      if (packet === "2") return ws.send("3"); // engine.io's heartbeat
      if (packet.startsWith("0")) return ws.send(`40${NAMESPACE},`); // open: connect to the namespace
      if (packet.startsWith(`44${NAMESPACE},`)) return reject(new Error(`collab socket refused: ${packet}`));
      if (packet.startsWith(`40${NAMESPACE},`)) {
        const id = withAnswer((answer) => {
          if (!answer.ok) return reject(new Error(`join refused: ${answer.error}`));
          sendFrame(syncFrame(SYNC_STEP_1, Y.encodeStateVector(doc)));
        });
        return ws.send(`42${NAMESPACE},${id}${JSON.stringify(["join", docName])}`);
      }
      if (packet.startsWith(`451-${NAMESPACE},`)) {
        attachmentFollows = true;
        return;
      }
      if (packet.startsWith(`43${NAMESPACE},`)) {
        const body = packet.slice(`43${NAMESPACE},`.length);
        const bracket = body.indexOf("[");
        const id = Number(body.slice(0, bracket));
        const [answer] = JSON.parse(body.slice(bracket)) as [Answer];
        answers.get(id)?.(answer);
        answers.delete(id);
      }
    });
    doc.on("update", (update: Uint8Array, from: unknown) => {
      if (from === origin) return;
      sendFrame(
        syncFrame(SYNC_UPDATE, update),
        withAnswer((answer) => {
          if (answer.ok) acked++;
          else refused.push(answer.error ?? "?");
        }),
      );
    });
  });
}

/** @hocuspocus/server's messages: the document's name, the message type, then y-protocols' sync message. */
const HOCUSPOCUS_SYNC = 0;
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_SYNC_STATUS = 8;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;

/** @hocuspocus/server's protocol as its provider speaks it: an (empty) token, then sync both ways. */
export function connectLeanHocuspocusClient(url: string, docName: string) {
  return new Promise<LeanClient>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const doc = new Y.Doc();
    const origin = {};
    let synced = false;
    let acked = 0;
    /** Hocuspocus confirms a sync step 2 too; those confirmations come first, in order. */
    let step2Confirmations = 0;
    const send = (type: number, write: (encoder: encoding.Encoder) => void) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, docName);
      encoding.writeVarUint(encoder, type);
      write(encoder);
      ws.send(encoding.toUint8Array(encoder));
    };
    const sendSync = (step: number, payload: Uint8Array) =>
      send(HOCUSPOCUS_SYNC, (encoder) => {
        encoding.writeVarUint(encoder, step);
        encoding.writeVarUint8Array(encoder, payload);
      });

    ws.on("error", reject);
    ws.on("open", () => {
      send(HOCUSPOCUS_AUTH, (encoder) => {
        encoding.writeVarUint(encoder, AUTH_TOKEN);
        encoding.writeVarString(encoder, "");
      });
      sendSync(SYNC_STEP_1, Y.encodeStateVector(doc));
    });
    ws.on("message", (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type === HOCUSPOCUS_AUTH && decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED) return reject(new Error("hocuspocus refused the client"));
      if (type === HOCUSPOCUS_SYNC_STATUS && decoding.readVarUint(decoder) === 1) {
        if (step2Confirmations > 0) step2Confirmations--;
        else acked++; // an update applied
      }
      if (type !== HOCUSPOCUS_SYNC) return; // authenticated, sync status, awareness queries
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) {
        step2Confirmations++;
        return sendSync(SYNC_STEP_2, Y.encodeStateAsUpdate(doc, payload));
      }
      Y.applyUpdate(doc, payload, origin);
      if (step === SYNC_STEP_2 && !synced) {
        synced = true;
        resolve({ doc, acked: () => acked, refused: [], close: () => ws.close() });
      }
    });
    doc.on("update", (update: Uint8Array, from: unknown) => {
      if (from !== origin) sendSync(SYNC_UPDATE, update);
    });
  });
}
