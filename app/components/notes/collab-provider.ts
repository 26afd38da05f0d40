import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Socket } from "socket.io-client";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

/** Message types of the y-websocket framing used by the `/collab` protocol (docs/realtime-protocol.md). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** An ack that has not come after this long counts as lost; the change is sent again on the next sync. */
const ACK_TIMEOUT_MS = 15_000;

export type SaveState = "saved" | "saving" | "offline" | "failed";
export type ConnectionState = "connecting" | "connected" | "offline" | "unauthorized" | "forbidden" | "not_found";
export type RejectReason = "read_only" | "forbidden" | "too_large" | "malformed" | "rate_limited" | "timeout";

export type ProviderStatus = {
  connection: ConnectionState;
  /** True once the server's state has been merged in during this connection. */
  synced: boolean;
  readOnly: boolean;
  save: SaveState;
  /** Why the last change was refused, until a later change is stored. */
  rejected: RejectReason | null;
};

type Ack = { ok: true; readOnly?: boolean } | { ok: false; error: string };

/**
 * Speaks the portal's co-editing protocol for one Yjs document over a socket.io connection to
 * the `/collab` namespace: join, sync step 1/2, updates with acks and awareness, again after
 * every reconnect. "Saved" means that every local change has been acknowledged by the server,
 * which acknowledges only after the change is committed.
 */
export class CollabProvider {
  readonly awareness: awarenessProtocol.Awareness;
  private status: ProviderStatus = { connection: "connecting", synced: false, readOnly: false, save: "saved", rejected: null };
  private listeners = new Set<(status: ProviderStatus) => void>();
  /** Messages carrying local changes whose ack has not come yet. */
  private inFlight = 0;
  /** Local changes made while not joined; the next sync step 2 carries them to the server. */
  private unsent = false;
  private joined = false;
  private destroyed = false;

  constructor(
    private readonly socket: Socket,
    readonly docName: string,
    readonly doc: Y.Doc,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    doc.on("update", this.onDocumentUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    socket.on("connect", this.onConnect);
    socket.on("disconnect", this.onDisconnect);
    socket.on("connect_error", this.onConnectError);
    socket.on("y", this.onMessage);
    socket.on("access", this.onAccess);
    if (typeof window !== "undefined") window.addEventListener("beforeunload", this.onUnload);
    if (socket.connected) this.onConnect();
  }

  get current() {
    return this.status;
  }

  subscribe(listener: (status: ProviderStatus) => void) {
    this.listeners.add(listener);
    listener(this.status);
    return () => void this.listeners.delete(listener);
  }

  /** Marks the document as possibly holding changes the server has not seen (e.g. kept offline in the browser). */
  markUnsent() {
    this.unsent = true;
    this.refreshSaveState();
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    // Tell the others at once that this caret is gone, rather than letting it time out.
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    if (this.joined) this.socket.emit("leave", this.docName);
    this.doc.off("update", this.onDocumentUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("connect_error", this.onConnectError);
    this.socket.off("y", this.onMessage);
    this.socket.off("access", this.onAccess);
    if (typeof window !== "undefined") window.removeEventListener("beforeunload", this.onUnload);
    this.awareness.destroy();
    this.listeners.clear();
  }

  private set(patch: Partial<ProviderStatus>) {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }

  private refreshSaveState() {
    let save: SaveState;
    if (this.status.rejected && this.status.rejected !== "timeout" && this.status.rejected !== "rate_limited") save = "failed";
    else if (this.status.connection === "offline" || this.status.connection === "unauthorized") save = "offline";
    else if (this.inFlight === 0 && !this.unsent) save = "saved";
    else if (this.status.connection === "connected" && this.joined) save = "saving";
    else save = "offline";
    if (save !== this.status.save) this.set({ save });
  }

  private onConnect = () => {
    this.set({ connection: "connecting", synced: false });
    this.socket.emit("join", this.docName, (answer: Ack) => {
      if (this.destroyed) return;
      if (!answer || answer.ok !== true) {
        const error = answer && answer.ok === false ? answer.error : "forbidden";
        this.set({ connection: error === "not_found" ? "not_found" : "forbidden" });
        this.refreshSaveState();
        return;
      }
      this.joined = true;
      this.set({ connection: "connected", readOnly: answer.readOnly === true });
      // Our step 1: the server answers with whatever we are missing.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      this.send(encoding.toUint8Array(encoder));
      if (this.awareness.getLocalState() !== null) {
        this.send(this.awarenessMessage([this.doc.clientID]));
      }
      this.refreshSaveState();
    });
  };

  private onDisconnect = (reason: string) => {
    // socket.io does not reconnect by itself after the server closed the connection (e.g. on shutdown).
    if (reason === "io server disconnect" && !this.destroyed) setTimeout(() => !this.destroyed && !this.socket.connected && this.socket.connect(), 1000);
    this.joined = false;
    // Carets of the others are only valid while we hear from them.
    const others = [...this.awareness.getStates().keys()].filter((clientId) => clientId !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    // Whatever was in flight may not have been stored; the next sync step 2 carries it again.
    if (this.inFlight > 0) this.unsent = true;
    this.inFlight = 0;
    this.set({ connection: "offline", synced: false });
    this.refreshSaveState();
  };

  private onConnectError = (error: Error) => {
    // A refused handshake is not retried by socket.io itself: without a session it stays refused.
    const unauthorized = error?.message === "unauthorized";
    this.set({ connection: unauthorized ? "unauthorized" : "offline" });
    this.refreshSaveState();
    if (!unauthorized && !this.socket.active && !this.destroyed) {
      setTimeout(() => !this.destroyed && !this.socket.connected && this.socket.connect(), 5000);
    }
  };

  /** The server re-decided our access, e.g. the minutes were approved (read-only) or we were removed. */
  private onAccess = (docName: unknown, answer: Ack) => {
    if (docName !== this.docName || this.destroyed || !answer) return;
    if (answer.ok === true) {
      const reopened = answer.readOnly !== true && (this.status.readOnly || this.status.rejected === "read_only");
      this.set({ readOnly: answer.readOnly === true, ...(reopened ? { rejected: null } : {}) });
      if (reopened && this.joined) {
        // Open for writing again (e.g. the notes were reopened after approval). A change refused
        // meanwhile was not stored: joining anew brings the server's step 1, which our step 2
        // answers with everything it lacks.
        this.unsent = true;
        this.onConnect();
      }
    } else {
      this.joined = false;
      this.set({ connection: answer.error === "not_found" ? "not_found" : "forbidden" });
    }
    this.refreshSaveState();
  };

  private onUnload = () => {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
  };

  private onMessage = (docName: unknown, data: unknown) => {
    if (docName !== this.docName || this.destroyed) return;
    const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    if (!bytes) return;
    try {
      const decoder = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) this.readSync(decoder);
      else if (type === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    } catch (error) {
      // A message we cannot read is skipped; the next sync brings the document up to date.
      console.warn("Could not read a co-editing message", error);
    }
  };

  private readSync(decoder: decoding.Decoder) {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      // The server's step 1: answer with everything it lacks, including changes made offline.
      const stateVector = decoding.readVarUint8Array(decoder);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
      const carriesChanges = this.unsent || this.hasChangesBeyond(stateVector);
      this.unsent = false;
      this.sendChange(encoding.toUint8Array(encoder), carriesChanges);
      return;
    }
    if (syncType === syncProtocol.messageYjsSyncStep2) {
      Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), this);
      this.set({ synced: true });
      return;
    }
    if (syncType === syncProtocol.messageYjsUpdate) {
      Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), this);
    }
  }

  private hasChangesBeyond(stateVector: Uint8Array) {
    const theirs = Y.decodeStateVector(stateVector);
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      if ((theirs.get(client) ?? 0) < clock) return true;
    }
    return false;
  }

  private onDocumentUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.destroyed) return;
    if (!this.joined) {
      this.unsent = true;
      this.refreshSaveState();
      return;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.sendChange(encoding.toUint8Array(encoder), true);
  };

  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this || !this.joined) return;
    const changed = [...added, ...updated, ...removed];
    if (changed.length) this.send(this.awarenessMessage(changed));
  };

  private awarenessMessage(clients: number[]) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(encoder);
  }

  private send(message: Uint8Array) {
    this.socket.emit("y", this.docName, message);
  }

  /**
   * Sends a message with an ack; until every such ack has come the state is "Sparar…". A change
   * refused for a passing reason (rate limit, no answer) is sent again; Yjs applies it only once.
   */
  private sendChange(message: Uint8Array, counts: boolean, attempt = 1) {
    if (!counts) {
      this.send(message);
      return;
    }
    this.inFlight += 1;
    this.refreshSaveState();
    const connection = this.socket.id;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("y", this.docName, message, (timeout: Error | null, answer: Ack) => {
      if (this.destroyed) return;
      // An ack from an earlier connection was written off when that connection closed.
      if (connection !== this.socket.id || !this.joined) return;
      this.inFlight = Math.max(0, this.inFlight - 1);
      const error: RejectReason | null = timeout ? "timeout" : answer && answer.ok === true ? null : ((answer && answer.ok === false ? answer.error : "malformed") as RejectReason);
      if (error === "timeout" || error === "rate_limited") {
        this.set({ rejected: error });
        this.inFlight += 1;
        setTimeout(() => {
          // A closed connection already wrote this change off as unsent.
          if (this.destroyed || !this.joined || connection !== this.socket.id) return;
          this.inFlight -= 1;
          this.sendChange(message, true, attempt + 1);
        }, Math.min(1000 * attempt, 10_000));
      } else if (error) {
        this.set({ rejected: error, readOnly: this.status.readOnly || error === "read_only" });
      } else if (this.status.rejected === "timeout" || this.status.rejected === "rate_limited") {
        this.set({ rejected: null });
      }
      this.refreshSaveState();
    });
  }
}
