import crypto from "node:crypto";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Redis } from "ioredis";
import type { Namespace, Socket } from "socket.io";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Db } from "../../db/client";
import { readSessionToken, validateSessionToken, type SessionUser } from "../../app/auth/session.server";
import {
  appendNotesUpdates,
  compactNotesDocument,
  ensureNotesDocument,
  notesAccess,
  notesDocName,
  parseNotesDocName,
  notesContentOfDoc,
  readNotesState,
  readNotesStatus,
  storeNotesContent,
  storeNotesContents,
  type PendingNotesUpdate,
} from "../../app/domain/notes/state.server";
import { notesPerson } from "../../app/domain/notes/notes-page.server";
import { NOTES_FRAGMENT } from "../../app/domain/notes/starting-content.server";
import { logger } from "../../app/server/logger.server";
import { personRoom, sessionRoom } from "../rooms";
import { fanOut, sendOwnPacketsDirectly } from "./fanout";
import { mergeThread } from "./merge-thread";
import { awarenessFrame, checkUpdate, encodeAwarenessEntries, parseClientMessage, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE, syncFrame, type ProtocolError } from "./protocol";

export const COLLAB_NAMESPACE = "/collab";
export const COLLAB_PROTOCOL_VERSION = 1;
const RELAY_CHANNEL = "collab:relay";
/** Documents whose plain-text/JSON copies are written in one transaction. */
const CONTENT_CHUNK = 10;
/** A document's copies wait at most this many content delays while it keeps changing. */
const CONTENT_MAX_DELAYS = 5;

export type CollabHub = {
  /** Applies a server-made change (e.g. restoring a version) to the live document and stores it
   *  durably; connected clients receive it. `change` gets the document's current state (the live
   *  document's where this instance holds it, changes not yet stored included; else the stored
   *  one) and returns the update to apply, or null for none. */
  applyServerChange(meetingId: string, userId: string | null, change: (current: Uint8Array) => Promise<Uint8Array | null>): Promise<void>;
  /** Re-decides read-only/forbidden for every socket in the document after a status or access
   *  change (e.g. minutes approved → everyone read-only, updates refused with `read_only`). */
  refreshAccess(meetingId: string): Promise<void>;
  /** How many documents this instance holds in memory (operations and tests). */
  loadedDocuments(): number;
};

export type CollabOptions = {
  db: Db;
  maxMessageBytes: number;
  idleSeconds: number;
  compactAfter: number;
  contentDelayMs: number;
  /** The least time between two group commits (the longer, the more updates each stores). */
  commitGatherMs: number;
  /** Relay updates to other instances through Redis (when there is one). */
  relay: boolean;
  redisUrl?: string;
  /** Messages per second a connection may send, with this much burst. */
  messagesPerSecond?: number;
};

type CollabSocket = Socket & { data: { user: SessionUser; token: string; sessionId: string } };
type Member = { socket: CollabSocket; readOnly: boolean; awarenessIds: Set<number> };

type Reply = (value: unknown) => void;

type LiveDocument = {
  name: string;
  meetingId: string;
  documentId: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  members: Map<string, Member>;
  ready: Promise<void>;
  idleTimer?: NodeJS.Timeout;
  resyncTimer?: NodeJS.Timeout;
  storedSinceCompaction: number;
  compacting: boolean;
  writesInFlight: number;
  /** Changes applied since the last broadcast, with the socket each came from (if a member's). */
  outbox: Array<{ update: Uint8Array; from?: string }>;
  /** A change went out in this turn of the event loop: later ones wait for its end (sendOutbox). */
  sentThisTurn: boolean;
  /** Loaded, and its plain-text/JSON copies not written since: they are refreshed at the latest
   *  when the document is unloaded (they may lag the stored state after a crash). */
  contentUnchecked: boolean;
  /** Changes applied here that the database refused because the notes were no longer open (sent
   *  for approval or approved before this instance heard of it): stored when the notes open again. */
  refused: PendingNotesUpdate[];
  /** The members' access is to be decided anew at the end of this turn (after refusals). */
  accessDue: boolean;
};

/** The notes were sent for approval or approved: the database refused the update. */
class NotesNotOpen extends Error {}

/** Origins of changes that the hub makes itself (as opposed to a member's socket). */
const FROM_LOAD = Symbol("load");
const FROM_DATABASE = Symbol("database");
const FROM_RELAY = Symbol("relay");
const FROM_SERVER = Symbol("server");

const isMember = (origin: unknown): origin is Member => typeof origin === "object" && origin !== null && "socket" in origin;

const RELAY_UPDATE = 0;
const RELAY_AWARENESS = 1;
const RELAY_ACCESS = 2;

/**
 * The `/collab` namespace: Yjs documents in memory, one per open meeting notes document, kept in
 * step with the clients by the y-websocket framing over socket.io. Every client update is
 * stored (group commit) before it is acknowledged; with Redis, updates are relayed to the other
 * instances' copies of the document.
 */
export async function attachCollab(nsp: Namespace, options: CollabOptions) {
  const { db } = options;
  const instanceId = crypto.randomUUID();
  const documents = new Map<string, LiveDocument>();
  const merging = mergeThread();
  let closed = false;

  // ---------------------------------------------------------------------------------------------
  // Group commit: every update waiting to be stored goes into the next transaction.

  type Waiting = PendingNotesUpdate & { resolve(): void; reject(error: unknown): void };
  const waiting: Waiting[] = [];
  let flushing: Promise<void> | null = null;

  function store(update: PendingNotesUpdate) {
    return new Promise<void>((resolve, reject) => {
      waiting.push({ ...update, resolve, reject });
      flushing ??= flush().finally(() => (flushing = null));
    });
  }

  async function flush() {
    let lastCommitMs = 0;
    while (waiting.length > 0) {
      // Between commits, wait `commitGatherMs`, or as long as the last commit took (up to 50 ms)
      // where that is longer, to gather the next batch: a commit's cost hardly grows with its
      // rows. (With PGlite on this thread, PGLITE_THREAD=main, the wait also lets the sockets run.)
      await new Promise((resolve) => setTimeout(resolve, Math.max(Math.min(lastCommitMs, 50), options.commitGatherMs)));
      const started = performance.now();
      let bytes = 0;
      let count = 0;
      while (count < waiting.length && count < 1000 && bytes < 8 * 1024 * 1024) bytes += waiting[count++].update.byteLength;
      const batch = waiting.splice(0, count);
      try {
        const { refused } = await appendNotesUpdates(db, batch);
        for (const item of batch) (refused.has(item.documentId) ? item.reject(new NotesNotOpen()) : item.resolve());
        noteStored(refused.size === 0 ? batch : batch.filter((item) => !refused.has(item.documentId)));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
      lastCommitMs = performance.now() - started;
    }
  }

  function noteStored(batch: PendingNotesUpdate[]) {
    const counts = new Map<string, number>();
    for (const item of batch) counts.set(item.documentId, (counts.get(item.documentId) ?? 0) + 1);
    for (const live of documents.values()) {
      const stored = counts.get(live.documentId);
      if (!stored) continue;
      live.storedSinceCompaction += stored;
      if (live.storedSinceCompaction >= options.compactAfter) void compact(live);
    }
  }

  async function compact(live: LiveDocument) {
    if (live.compacting) return;
    live.compacting = true;
    live.storedSinceCompaction = 0;
    try {
      await compactNotesDocument(db, live.documentId, merging.merge);
    } catch (error) {
      logger.error({ err: error, documentId: live.documentId }, "notes compaction failed");
    } finally {
      live.compacting = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Relay between instances.

  let relay: { pub: Redis; sub: Redis } | undefined;
  if (options.redisUrl && options.relay) {
    const { Redis } = await import("ioredis");
    const pub = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false });
    const sub = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    for (const client of [pub, sub]) client.on("error", (error) => logger.warn({ err: error.message }, "collab relay: redis unavailable"));
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.subscribe(RELAY_CHANNEL);
    sub.on("messageBuffer", (_channel: Buffer, message: Buffer) => receiveRelay(new Uint8Array(message)));
    // After Redis was away, relayed updates may have been lost: catch up from the database,
    // where every instance stored what its own clients sent.
    let lost = false;
    sub.on("close", () => (lost = true));
    sub.on("ready", () => {
      if (!lost) return;
      lost = false;
      for (const live of documents.values()) scheduleResync(live, 0);
    });
    relay = { pub, sub };
  }

  function publish(kind: number, name: string, payload: Uint8Array) {
    if (!relay || closed) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, instanceId);
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, name);
    encoding.writeVarUint8Array(encoder, payload);
    relay.pub.publish(RELAY_CHANNEL, Buffer.from(encoding.toUint8Array(encoder))).catch(() => {
      // Redis is away; the instances catch up from the database when it returns.
    });
  }

  function receiveRelay(message: Uint8Array) {
    try {
      const decoder = decoding.createDecoder(message);
      if (decoding.readVarString(decoder) === instanceId) return;
      const kind = decoding.readVarUint(decoder);
      const name = decoding.readVarString(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (kind === RELAY_ACCESS) {
        void refreshLocalAccess(name);
        return;
      }
      const live = documents.get(name);
      if (!live) return;
      if (kind === RELAY_UPDATE) {
        Y.applyUpdate(live.doc, payload, FROM_RELAY);
        // Something relayed earlier never arrived: fetch what is stored.
        if (live.doc.store.pendingStructs || live.doc.store.pendingDs) scheduleResync(live, 500);
      } else if (kind === RELAY_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(live.awareness, payload, FROM_RELAY);
      }
    } catch (error) {
      logger.warn({ err: error }, "collab relay: unreadable message");
    }
  }

  function scheduleResync(live: LiveDocument, delayMs: number) {
    if (live.resyncTimer) return;
    live.resyncTimer = setTimeout(() => {
      live.resyncTimer = undefined;
      void resync(live).then(() => {
        // Updates the other instance was still committing when we read arrive with a second look.
        if (delayMs === 0) scheduleResync(live, 1500);
      });
    }, delayMs);
  }

  async function resync(live: LiveDocument) {
    if (closed || documents.get(live.name) !== live) return;
    try {
      await live.ready;
      Y.applyUpdate(live.doc, await readNotesState(db, live.documentId), FROM_DATABASE);
    } catch (error) {
      logger.warn({ err: error, documentId: live.documentId }, "collab: catching up from the database failed");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Documents in memory.

  function open(meetingId: string): LiveDocument {
    const name = notesDocName(meetingId);
    const existing = documents.get(name);
    if (existing) return existing;
    const doc = new Y.Doc({ gc: true });
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const live: LiveDocument = {
      name,
      meetingId,
      documentId: "",
      doc,
      awareness,
      members: new Map(),
      ready: Promise.resolve(),
      storedSinceCompaction: 0,
      compacting: false,
      writesInFlight: 0,
      outbox: [],
      sentThisTurn: false,
      accessDue: false,
      contentUnchecked: false,
      refused: [],
    };
    live.ready = (async () => {
      const document = await ensureNotesDocument(db, meetingId);
      live.documentId = document.id;
      Y.applyUpdate(doc, await readNotesState(db, document.id), FROM_LOAD);
    })();
    live.ready.catch(() => {
      if (documents.get(name) === live) unload(live);
    });

    // Peers get a change at once, before it is stored; only its sender's acknowledgement waits
    // for the commit. The first change of a document in a turn of the event loop goes out right
    // away; later ones of the same turn (the loop was busy, and messages queued up meanwhile)
    // are collected until the turn's messages are handled, then sent in one fan-out (sendOutbox).
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (live.members.size > 0) {
        const from = isMember(origin) ? origin.socket.id : undefined;
        if (!live.sentThisTurn) {
          live.sentThisTurn = true;
          setImmediate(sendOutbox, live);
          fanOut(nsp, recipients(live, from ? [from] : []), "y", name, syncFrame(SYNC_UPDATE, update));
        } else live.outbox.push({ update, from });
      }
      if (origin !== FROM_RELAY && origin !== FROM_DATABASE && origin !== FROM_LOAD) publish(RELAY_UPDATE, name, update);
    });
    // The plain-text/JSON copies are of the notes' fragment: only its changes make them stale.
    // Loading does not: the copies were written with the stored changes, unless the process
    // ended before it wrote them, and for that they are checked when the document is unloaded
    // (refreshing every document as it opens held the event loop when many opened at once).
    doc.getXmlFragment(NOTES_FRAGMENT).observeDeep((_events, transaction) => {
      if (transaction.origin === FROM_LOAD) live.contentUnchecked = true;
      else scheduleContent(live);
    });
    awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0) return;
      const update = awarenessProtocol.encodeAwarenessUpdate(awareness, changed);
      if (live.members.size > 0) fanOut(nsp, recipients(live, isMember(origin) ? [origin.socket.id] : []), "y", name, awarenessFrame(update));
      if (origin !== FROM_RELAY) publish(RELAY_AWARENESS, name, update);
    });
    documents.set(name, live);
    return live;
  }

  /**
   * Sends the changes collected in this turn after its first. One change goes to the document's
   * members except its sender. Several are merged into one update: the members that sent none
   * of them get it in one fan-out, and each sender gets the others' changes merged without its
   * own. A fan-out encodes its message once for all its recipients (see fanout.ts) and reaches
   * this instance's members only (other instances get the changes through the relay). Catching
   * up after a pause costs two messages per member, not one per change and member.
   */
  function sendOutbox(live: LiveDocument) {
    live.sentThisTurn = false;
    const batch = live.outbox;
    live.outbox = [];
    if (batch.length === 0 || documents.get(live.name) !== live) return;
    const send = (updates: Uint8Array[]) => syncFrame(SYNC_UPDATE, updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));
    const senders = [...new Set(batch.flatMap((item) => (item.from ? [item.from] : [])))];
    fanOut(nsp, recipients(live, senders), "y", live.name, send(batch.map((item) => item.update)));
    for (const sender of senders) {
      const others = batch.filter((item) => item.from !== sender).map((item) => item.update);
      const member = live.members.get(sender);
      if (others.length > 0 && member) fanOut(nsp, [member.socket], "y", live.name, send(others));
    }
  }

  /** The sockets of a document's members on this instance, but for those given. */
  function recipients(live: LiveDocument, except: string[]) {
    const sockets: Socket[] = [];
    for (const [id, member] of live.members) if (!except.includes(id)) sockets.push(member.socket);
    return sockets;
  }

  // The plain-text/JSON copies of a changed document are written once it has been quiet for
  // `contentDelayMs`, and while people keep writing at the latest CONTENT_MAX_DELAYS times that
  // after its first change not yet written. Documents due about the same time (within a quarter
  // of the delay) are written together, ten to a transaction.
  const contentDue = new Map<LiveDocument, { first: number; last: number }>();
  let contentTimer: NodeJS.Timeout | undefined;
  let contentTimerAt = Infinity;
  const contentDueAt = ({ first, last }: { first: number; last: number }) =>
    Math.min(last + options.contentDelayMs, first + options.contentDelayMs * CONTENT_MAX_DELAYS);

  function scheduleContent(live: LiveDocument) {
    if (!live.documentId || closed) return;
    const now = Date.now();
    const times = contentDue.get(live);
    if (times) times.last = now;
    else {
      contentDue.set(live, { first: now, last: now });
      armContentTimer(now + options.contentDelayMs);
    }
  }

  function armContentTimer(at: number) {
    if (contentTimer && contentTimerAt <= at) return;
    clearTimeout(contentTimer);
    contentTimerAt = at;
    contentTimer = setTimeout(writeDueContent, Math.max(0, at - Date.now()));
  }

  function writeDueContent() {
    contentTimer = undefined;
    contentTimerAt = Infinity;
    const now = Date.now();
    const due: LiveDocument[] = [];
    let next = Infinity;
    for (const [live, times] of contentDue) {
      const at = contentDueAt(times);
      if (at <= now + options.contentDelayMs / 4) {
        due.push(live);
        contentDue.delete(live);
      } else next = Math.min(next, at);
    }
    if (next < Infinity) armContentTimer(next);
    if (due.length > 0) void storeContent(due);
  }

  async function storeContent(due: LiveDocument[]) {
    // A few documents per transaction, with a pause between, so that one round does not hold
    // the database (or, with PGLITE_THREAD=main, the event loop) for long in one piece.
    for (let start = 0; start < due.length; start += CONTENT_CHUNK) {
      if (start > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      // A document holding refused changes waits until they are stored (see storeRefused).
      const chunk = due.slice(start, start + CONTENT_CHUNK).filter((live) => live.refused.length === 0);
      if (chunk.length === 0) continue;
      try {
        // Read from the live documents now (no re-encoding of their state); the writes follow.
        const contents = chunk.map((live) => ({ documentId: live.documentId, content: notesContentOfDoc(live.doc) }));
        await storeNotesContents(db, contents);
        for (const live of chunk) live.contentUnchecked = false;
      } catch (error) {
        logger.error({ err: error, documentIds: chunk.map((live) => live.documentId) }, "storing the notes' text failed");
      }
    }
  }

  function scheduleUnload(live: LiveDocument) {
    clearTimeout(live.idleTimer);
    live.idleTimer = setTimeout(() => {
      live.idleTimer = undefined;
      if (live.members.size > 0) return;
      if (live.writesInFlight > 0) return scheduleUnload(live);
      void (async () => {
        if (contentDue.delete(live) || live.contentUnchecked) await storeContent([live]);
        if (live.members.size === 0 && documents.get(live.name) === live) unload(live);
      })();
    }, options.idleSeconds * 1000);
  }

  function unload(live: LiveDocument) {
    documents.delete(live.name);
    contentDue.delete(live);
    for (const timer of [live.idleTimer, live.resyncTimer]) clearTimeout(timer);
    live.awareness.destroy();
    live.doc.destroy();
  }

  function removeMember(live: LiveDocument, socketId: string) {
    const member = live.members.get(socketId);
    if (!member) return;
    live.members.delete(socketId);
    // No ghost carets: the connection's awareness states go with it.
    const ids = [...member.awarenessIds].filter((id) => live.awareness.states.has(id));
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(live.awareness, ids, "left");
    if (live.members.size === 0) scheduleUnload(live);
  }

  async function refreshLocalAccess(name: string) {
    const live = documents.get(name);
    if (!live) return;
    await storeRefused(live);
    for (const member of [...live.members.values()]) {
      const access = await notesAccess(db, member.socket.data.user, live.meetingId);
      if (access.decision !== "ok") {
        removeMember(live, member.socket.id);
        member.socket.emit("access", name, { ok: false, error: access.decision });
      } else if (access.readOnly !== member.readOnly) {
        member.readOnly = access.readOnly;
        member.socket.emit("access", name, { ok: true, readOnly: access.readOnly });
      }
    }
  }

  /** Every refusal of one commit (they arrive in the same turn) leads to one new decision. */
  function refreshAccessAfterRefusals(live: LiveDocument) {
    if (live.accessDue) return;
    live.accessDue = true;
    setImmediate(() => {
      live.accessDue = false;
      void refreshLocalAccess(live.name);
    });
  }

  /**
   * Stores the changes the database refused while the notes were closed, once they are open again.
   * (Their authors' editors keep them too, and send them at their next join if this copy is gone.)
   */
  async function storeRefused(live: LiveDocument) {
    if (live.refused.length === 0 || (await readNotesStatus(db, live.documentId)) !== "open") return;
    const pending = live.refused.splice(0);
    live.writesInFlight++;
    try {
      await Promise.all(pending.map((update) => store(update)));
      scheduleContent(live);
    } catch (error) {
      // Closed again meanwhile: kept for the next opening (storing one twice changes nothing).
      if (error instanceof NotesNotOpen) live.refused.unshift(...pending);
      else logger.error({ err: error, documentId: live.documentId }, "storing refused notes updates failed");
    } finally {
      live.writesInFlight--;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Connections.

  nsp.use(async (socket, next) => {
    try {
      const token = readSessionToken(socket.handshake.headers.cookie);
      const session = await validateSessionToken(db, token);
      if (!session || !token) return next(new Error("unauthorized"));
      Object.assign(socket.data, { user: session.user, token, sessionId: session.id });
      next();
    } catch (error) {
      logger.error({ err: error }, "collab handshake failed");
      next(new Error("unauthorized"));
    }
  });

  const rate = options.messagesPerSecond ?? 500;

  nsp.on("connection", (raw) => {
    const socket = raw as CollabSocket;
    sendOwnPacketsDirectly(socket);
    // Signing out, deactivation or a changed membership closes these connections too (see realtime/server.ts).
    void socket.join([sessionRoom(socket.data.sessionId), personRoom(socket.data.user.userId)]);
    const joined = new Set<LiveDocument>();
    // A token bucket kept synchronous, so that a connection's messages are handled in order.
    let tokens = rate;
    let refilledAt = Date.now();
    const allow = () => {
      const now = Date.now();
      tokens = Math.min(rate, tokens + ((now - refilledAt) / 1000) * rate);
      refilledAt = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    };

    socket.emit("hello", { protocol: COLLAB_PROTOCOL_VERSION });

    socket.on("join", async (docName: unknown, ack: unknown) => {
      const reply: Reply = typeof ack === "function" ? (ack as Reply) : () => undefined;
      const parsed = parseNotesDocName(docName);
      if (!parsed || closed) return reply({ ok: false, error: "not_found" });
      if (!allow()) return reply({ ok: false, error: "rate_limited" });
      try {
        const session = await validateSessionToken(db, socket.data.token);
        if (!session) {
          reply({ ok: false, error: "forbidden" });
          return socket.disconnect(true);
        }
        socket.data.user = session.user;
        const access = await notesAccess(db, session.user, parsed.meetingId);
        if (access.decision !== "ok") return reply({ ok: false, error: access.decision });
        let live = open(parsed.meetingId);
        // A document being unloaded just now is opened afresh.
        for (let attempt = 0; ; attempt++) {
          clearTimeout(live.idleTimer);
          live.idleTimer = undefined;
          await live.ready;
          if (documents.get(live.name) === live || attempt === 2) break;
          live = open(parsed.meetingId);
        }
        if (!socket.connected || documents.get(live.name) !== live) return reply({ ok: false, error: "not_found" });
        const member = live.members.get(socket.id) ?? { socket, readOnly: access.readOnly, awarenessIds: new Set<number>() };
        member.readOnly = access.readOnly;
        live.members.set(socket.id, member);
        joined.add(live);
        reply({ ok: true, readOnly: access.readOnly });
        socket.emit("y", live.name, syncFrame(SYNC_STEP_1, Y.encodeStateVector(live.doc)));
        if (live.awareness.states.size > 0) {
          socket.emit("y", live.name, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(live.awareness, [...live.awareness.states.keys()])));
        }
      } catch (error) {
        logger.error({ err: error }, "joining notes failed");
        reply({ ok: false, error: "not_found" });
      }
    });

    socket.on("leave", (docName: unknown) => {
      if (typeof docName !== "string") return;
      const live = documents.get(docName);
      if (!live) return;
      joined.delete(live);
      removeMember(live, socket.id);
    });

    socket.on("y", (docName: unknown, message: unknown, ack: unknown) => {
      const reply: Reply = typeof ack === "function" ? (ack as Reply) : () => undefined;
      const refuse = (error: ProtocolError) => reply({ ok: false, error });
      if (typeof docName !== "string" || !(message instanceof Uint8Array)) return refuse("malformed");
      if (message.byteLength > options.maxMessageBytes) return refuse("too_large");
      if (!allow()) return refuse("rate_limited");
      const live = documents.get(docName);
      const member = live?.members.get(socket.id);
      if (!live || !member) return refuse("forbidden");
      const parsed = parseClientMessage(message);
      if (!parsed) return refuse("malformed");

      if (parsed.kind === "step1") {
        socket.emit("y", docName, syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(live.doc, parsed.stateVector)));
        return reply({ ok: true });
      }
      if (parsed.kind === "awareness") {
        // A connection speaks for itself only. It may not take over a caret that someone else
        // holds (here or on another instance: every held state carries the person the server
        // put there), and the name, organisations and colour that the others see are the
        // server's, whatever the client put there.
        const self = notesPerson(socket.data.user);
        for (const { clientId } of parsed.entries) {
          const held = live.awareness.states.get(clientId) as { user?: { id?: unknown } } | undefined;
          if (held && held.user?.id !== self.id) return refuse("forbidden");
        }
        const update = encodeAwarenessEntries(parsed.entries.map((entry) => ({ ...entry, state: entry.state && { ...entry.state, user: self } })));
        try {
          awarenessProtocol.applyAwarenessUpdate(live.awareness, update, member);
        } catch {
          return refuse("malformed");
        }
        for (const { clientId } of parsed.entries) member.awarenessIds.add(clientId);
        return reply({ ok: true });
      }

      const check = checkUpdate(live.doc, parsed.update);
      if (check === "empty") return reply({ ok: true });
      if (member.readOnly) return refuse("read_only");
      if (check === "malformed") return refuse("malformed");
      try {
        Y.applyUpdate(live.doc, parsed.update, member);
      } catch {
        return refuse("malformed");
      }
      live.writesInFlight++;
      const pending = { documentId: live.documentId, update: parsed.update, userId: socket.data.user.userId };
      store(pending).then(
        () => {
          live.writesInFlight--;
          reply({ ok: true });
        },
        (error: unknown) => {
          live.writesInFlight--;
          if (error instanceof NotesNotOpen) {
            // The notes were sent for approval or approved before this instance heard of it: the
            // change is not part of them. It is kept here for when they open again, the sender
            // learns it was refused, and every member here gets their access decided anew.
            live.refused.push(pending);
            refuse("read_only");
            refreshAccessAfterRefusals(live);
            return;
          }
          // Not acknowledged: the client keeps the change and sends it again when it syncs.
          logger.error({ err: error, documentId: live.documentId }, "storing a notes update failed");
        },
      );
    });

    socket.on("disconnect", () => {
      for (const live of joined) removeMember(live, socket.id);
      joined.clear();
    });
  });

  const hub: CollabHub = {
    async applyServerChange(meetingId, userId, change) {
      const { id } = await ensureNotesDocument(db, meetingId);
      const held = documents.get(notesDocName(meetingId));
      if (held) await held.ready;
      const current = held && documents.get(held.name) === held ? Y.encodeStateAsUpdate(held.doc) : await readNotesState(db, id);
      const update = await change(current);
      if (!update) return;
      Y.decodeUpdate(update);
      await store({ documentId: id, update, userId });
      const live = documents.get(notesDocName(meetingId));
      if (live) {
        await live.ready;
        Y.applyUpdate(live.doc, update, FROM_SERVER);
      } else {
        publish(RELAY_UPDATE, notesDocName(meetingId), update);
        await storeNotesContent(db, id, await readNotesState(db, id));
      }
    },
    async refreshAccess(meetingId) {
      const name = notesDocName(meetingId);
      publish(RELAY_ACCESS, name, new Uint8Array());
      await refreshLocalAccess(name);
    },
    loadedDocuments: () => documents.size,
  };

  return {
    hub,
    /** Compacts a loaded document now (tests). */
    compact: async (meetingId: string) => {
      const live = documents.get(notesDocName(meetingId));
      if (live) await compact(live);
    },
    async close() {
      closed = true;
      while (flushing) await flushing;
      clearTimeout(contentTimer);
      contentTimer = undefined;
      contentTimerAt = Infinity;
      await storeContent([...documents.values()].filter((live) => live.documentId && (contentDue.has(live) || live.contentUnchecked)));
      contentDue.clear();
      for (const live of [...documents.values()]) unload(live);
      if (relay) await Promise.allSettled([relay.pub.quit(), relay.sub.quit()]);
      await merging.close();
    },
  };
}
