import { io, type Socket } from "socket.io-client";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { awarenessFrame, MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, syncFrame, SYNC_UPDATE } from "../../realtime/collab/protocol";

export type Answer = { ok: boolean; error?: string; readOnly?: boolean };

type SocketOptions = {
  reconnection?: boolean;
  /** "polling" stays on HTTP long-polling, where a browser starts before it upgrades. */
  transport?: "websocket" | "polling";
};

/** Opens a raw `/collab` socket with the headers a browser would send; no automatic reconnection. */
export function openCollabSocket(url: string, cookie?: string, options: SocketOptions = {}) {
  return io(`${url}/collab`, {
    extraHeaders: cookie ? { cookie } : {},
    transports: [options.transport ?? "websocket"],
    upgrade: false,
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
}

/** Resolves with "connected" or the connect_error message (e.g. "unauthorized"). */
export function connectionOutcome(socket: Socket) {
  return new Promise<string>((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(error.message));
  });
}

/**
 * A scripted co-editing client speaking the protocol the way the browser's provider does: it
 * joins, syncs both ways, sends its own changes as updates with an acknowledgement, and applies
 * what the server sends. `acked` counts the updates the server has confirmed as stored.
 */
export class CollabClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readOnly = false;
  acked = 0;
  refused: string[] = [];
  private syncedResolve!: () => void;
  synced = new Promise<void>((resolve) => (this.syncedResolve = resolve));
  private pending = new Set<Promise<Answer>>();

  constructor(
    readonly socket: Socket,
    readonly docName: string,
  ) {
    socket.on("y", (name: string, message: ArrayBuffer | Uint8Array) => {
      if (name !== this.docName) return;
      this.receive(new Uint8Array(message as ArrayBuffer));
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.send(syncFrame(SYNC_UPDATE, update));
    });
    this.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === this) return;
      const changed = [...added, ...updated, ...removed];
      if (this.socket.connected) this.socket.emit("y", this.docName, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
    });
  }

  static async connect(url: string, cookie: string, docName: string, options: SocketOptions = {}): Promise<CollabClient> {
    const socket = openCollabSocket(url, cookie, options);
    const outcome = await connectionOutcome(socket);
    if (outcome !== "connected") throw new Error(`collab socket refused: ${outcome}`);
    const client = new CollabClient(socket, docName);
    const answer = await client.join();
    if (!answer.ok) throw new Error(`join refused: ${answer.error}`);
    await client.synced;
    return client;
  }

  async join(): Promise<Answer> {
    const answer = (await this.socket.timeout(30_000).emitWithAck("join", this.docName)) as Answer;
    if (answer.ok) {
      this.readOnly = Boolean(answer.readOnly);
      this.socket.emit("y", this.docName, syncFrame(SYNC_STEP_1, Y.encodeStateVector(this.doc)));
    }
    return answer;
  }

  /** Sends a framed message and waits for the server's answer. */
  send(message: Uint8Array): Promise<Answer> {
    const sent = (this.socket.timeout(60_000).emitWithAck("y", this.docName, message) as Promise<Answer>).then(
      (answer) => {
        if (answer.ok) this.acked++;
        else this.refused.push(answer.error ?? "?");
        return answer;
      },
      () => ({ ok: false, error: "timeout" }) as Answer,
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
    return sent;
  }

  /** Makes a change locally; resolves with the server's answer to the update it produced. */
  change(edit: (doc: Y.Doc) => void): Promise<Answer> {
    let answer: Promise<Answer> | undefined;
    const once = (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      answer = [...this.pending].at(-1);
    };
    this.doc.on("update", once);
    this.doc.transact(() => edit(this.doc));
    this.doc.off("update", once);
    return answer ?? Promise.resolve({ ok: true });
  }

  /** Waits until every update sent so far has been answered. */
  async settled() {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private receive(message: Uint8Array) {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) {
        this.socket.emit("y", this.docName, syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(this.doc, payload)));
      } else {
        Y.applyUpdate(this.doc, payload, this);
        if (step === SYNC_STEP_2) this.syncedResolve();
      }
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }

  close() {
    this.awareness.destroy();
    this.socket.disconnect();
  }
}

/** The paragraphs' and headings' text of a notes document, in order. */
export function notesLines(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment("default")
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : child instanceof Y.XmlElement ? child.toString() : "")).join("") : ""));
}
