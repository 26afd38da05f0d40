import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { notesDocuments, notesUpdates, users } from "../../db/schema";
import { caretColour } from "../../app/domain/notes/notes-page.server";
import { ensureNotesDocument, notesDocName, readNotesState } from "../../app/domain/notes/state.server";
import { awarenessFrame, encodeAwarenessEntries, syncFrame, SYNC_STEP_1, SYNC_UPDATE } from "../../realtime/collab/protocol";
import { CollabClient, connectionOutcome, notesLines, openCollabSocket, type Answer } from "../support/collab-client";
import { createNotesMeeting, createOutsider, NOTES_PEOPLE } from "../support/collab-fixture";
import { rows } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

const MAX_MESSAGE_BYTES = 64 * 1024;

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = {} as Record<"coordinator" | "member" | "reader" | "outsider", string>;
const clients: CollabClient[] = [];

async function connect(who: keyof typeof cookies, meetingId: string, options?: Parameters<typeof CollabClient.connect>[3]) {
  const client = await CollabClient.connect(portal.url, cookies[who], notesDocName(meetingId), options);
  clients.push(client);
  return client;
}

function paragraph(doc: Y.Doc, text: string) {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([element]);
}

async function documentId(meetingId: string) {
  const [row] = await db().select({ id: notesDocuments.id }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
  return row.id;
}

async function storedLines(meetingId: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await readNotesState(db(), await documentId(meetingId)));
  return notesLines(doc);
}

beforeAll(async () => {
  portal = await startTestPortal({
    COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
    COLLAB_IDLE_SECONDS: "1",
    COLLAB_COMPACT_AFTER: "40",
    COLLAB_CONTENT_DELAY_MS: "100",
  });
  cookies.coordinator = await portal.signInAs(NOTES_PEOPLE.coordinator);
  cookies.member = await portal.signInAs(NOTES_PEOPLE.member);
  cookies.reader = await portal.signInAs(NOTES_PEOPLE.reader);
  cookies.outsider = await portal.signInAs(await createOutsider(db()));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await portal?.close();
});

describe("co-editing protocol on /collab", () => {
  it("refuses a connection without a session as unauthorized and greets a signed-in one with the protocol version", async () => {
    const anonymous = openCollabSocket(portal.url);
    expect(await connectionOutcome(anonymous)).toBe("unauthorized");
    anonymous.close();
    const socket = openCollabSocket(portal.url, cookies.member);
    const hello = new Promise((resolve) => socket.once("hello", resolve));
    expect(await connectionOutcome(socket)).toBe("connected");
    expect(await hello).toEqual({ protocol: 1 });
    socket.close();
  });

  it("ten people opening a new document in the same moment see the agenda once", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte som tio öppnar samtidigt");
    const people = Array.from({ length: 10 }, (_, i): "coordinator" | "member" => (i % 2 === 0 ? "coordinator" : "member"));
    const opened = await Promise.all(people.map((who) => connect(who, meetingId)));
    const expected = ["Minnesanteckningar: Möte som tio öppnar samtidigt", "1. Lägesbild", "2. Trygghetsvandring i Husby", "3. Övriga frågor"];
    for (const client of opened) {
      const lines = notesLines(client.doc);
      for (const heading of expected) expect(lines.filter((line) => line === heading), heading).toHaveLength(1);
      expect(lines).toEqual(notesLines(opened[0].doc));
    }
    const documents = await db().select().from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
    expect(documents).toHaveLength(1);
    expect(documents[0].plainText).toContain("## 2. Trygghetsvandring i Husby");
    expect(await storedLines(meetingId)).toEqual(notesLines(opened[0].doc));
  });

  it("relays a writer's update to the others and acknowledges it only once it is stored", async () => {
    const meetingId = await createNotesMeeting(db());
    const [amina, erik] = [await connect("coordinator", meetingId), await connect("member", meetingId)];
    expect([amina.readOnly, erik.readOnly]).toEqual([false, false]);
    const answer = await amina.change((doc) => paragraph(doc, "Polisen rapporterar lugnare helger."));
    expect(answer).toEqual({ ok: true });
    // Acknowledged means committed: the stored state has it now, without waiting.
    expect(await storedLines(meetingId)).toContain("Polisen rapporterar lugnare helger.");
    await waitFor(() => notesLines(erik.doc).includes("Polisen rapporterar lugnare helger."), "the update to reach the other writer", 5000);
    // The plain-text copy for search and export follows shortly.
    await waitFor(async () => {
      const [row] = await db().select({ text: notesDocuments.plainText, json: notesDocuments.contentJson }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
      return row.text.includes("Polisen rapporterar lugnare helger.") && JSON.stringify(row.json).includes("Polisen rapporterar");
    }, "the plain-text copy", 5000);
  });

  it("while someone keeps writing, the plain-text copy is refreshed every five content delays, not after every change, and follows the last change once they stop", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    const id = await documentId(meetingId);
    const copy = async () => (await db().select({ text: notesDocuments.plainText, at: notesDocuments.updatedAt }).from(notesDocuments).where(eq(notesDocuments.id, id)))[0];
    const writes = new Set<number>();
    let writing = true;
    const watching = (async () => {
      while (writing) {
        writes.add((await copy()).at.getTime());
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const before = (await copy()).at.getTime();
    // A change every 40 ms for 1.5 s: never a pause of one content delay (100 ms).
    let firstSeenWhileWriting = false;
    const started = Date.now();
    for (let i = 0; i < 38; i++) {
      expect(await amina.change((doc) => paragraph(doc, `Rad ${i}`))).toEqual({ ok: true });
      if ((await copy()).text.includes("Rad 0")) firstSeenWhileWriting = true;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const elapsed = Date.now() - started;
    writing = false;
    await watching;
    writes.delete(before);
    expect(firstSeenWhileWriting, "the copy caught up while the writing went on").toBe(true);
    // One refresh per 500 ms of writing at most (plus the one under way when it ended), however
    // long the acknowledgements took; a refresh 100 ms after each round would give about five times as many.
    expect(writes.size).toBeGreaterThanOrEqual(1);
    expect(writes.size, `${writes.size} refreshes in ${elapsed} ms`).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    await waitFor(async () => (await copy()).text.includes("Rad 37"), "the copy to follow the last change after the pause", 5000);
  });

  it("relays both ways between a writer on WebSocket and one still on HTTP long-polling, where a browser starts", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    const erik = await connect("member", meetingId, { transport: "polling" });
    expect(erik.socket.io.engine.transport.name).toBe("polling");
    expect(await amina.change((doc) => paragraph(doc, "Trygghetsvandring i Husby på torsdag."))).toEqual({ ok: true });
    await waitFor(() => notesLines(erik.doc).includes("Trygghetsvandring i Husby på torsdag."), "Amina's change to reach Erik on long-polling", 5000);
    expect(await erik.change((doc) => paragraph(doc, "Fältassistenterna deltar."))).toEqual({ ok: true });
    await waitFor(() => notesLines(amina.doc).includes("Fältassistenterna deltar."), "Erik's change to reach Amina", 5000);
    expect(notesLines(erik.doc)).toEqual(notesLines(amina.doc));
  });

  it("a burst of changes from two writers reaches everyone, and no writer is sent its own changes back", async () => {
    const meetingId = await createNotesMeeting(db());
    const [amina, erik, reader] = [await connect("coordinator", meetingId), await connect("member", meetingId), await connect("member", meetingId)];
    const echoes: string[] = [];
    for (const [who, client] of [["Amina", amina], ["Erik", erik]] as const) {
      client.socket.on("y", (_name: string, message: ArrayBuffer | Uint8Array) => {
        const decoder = decoding.createDecoder(new Uint8Array(message as ArrayBuffer));
        if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== SYNC_UPDATE) return;
        const { structs } = Y.decodeUpdate(decoding.readVarUint8Array(decoder));
        if (structs.some((struct) => struct.id.client === client.doc.clientID)) echoes.push(who);
      });
    }
    // Sent without waiting, so that the server reads several at a time and sends them on together.
    const answers: Array<Promise<Answer>> = [];
    for (let i = 0; i < 40; i++) {
      answers.push(amina.change((doc) => paragraph(doc, `Amina ${i}`)));
      answers.push(erik.change((doc) => paragraph(doc, `Erik ${i}`)));
    }
    expect(new Set((await Promise.all(answers)).map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ ok: true })]));
    const written = (client: CollabClient) => notesLines(client.doc).filter((line) => /^(Amina|Erik) \d+$/.test(line)).length;
    await waitFor(() => [amina, erik, reader].every((client) => written(client) === 80), "every change at every client", 10_000);
    expect(notesLines(amina.doc)).toEqual(notesLines(reader.doc));
    expect(notesLines(erik.doc)).toEqual(notesLines(reader.doc));
    expect(await storedLines(meetingId)).toEqual(notesLines(reader.doc));
    expect(echoes).toEqual([]);
  });

  it("lets someone who only sees the meeting through sharing join read-only and refuses their updates", async () => {
    const meetingId = await createNotesMeeting(db());
    const lena = await connect("reader", meetingId);
    expect(lena.readOnly).toBe(true);
    const before = await storedLines(meetingId);
    const answer = await lena.change((doc) => paragraph(doc, "Får inte sparas"));
    expect(answer).toEqual({ ok: false, error: "read_only" });
    expect(await storedLines(meetingId)).toEqual(before);
    const fresh = await connect("member", meetingId);
    expect(notesLines(fresh.doc)).not.toContain("Får inte sparas");
  });

  it("refuses an outsider with forbidden, and an unknown or malformed document with not_found", async () => {
    const meetingId = await createNotesMeeting(db());
    const socket = openCollabSocket(portal.url, cookies.outsider);
    expect(await connectionOutcome(socket)).toBe("connected");
    expect(await socket.emitWithAck("join", notesDocName(meetingId))).toEqual({ ok: false, error: "forbidden" });
    expect(await socket.emitWithAck("join", notesDocName("00000000-0000-4000-8000-000000000000"))).toEqual({ ok: false, error: "not_found" });
    expect(await socket.emitWithAck("join", "meeting:nonsense:notes")).toEqual({ ok: false, error: "not_found" });
    // Without joining, nothing can be written either.
    const update = new Y.Doc();
    paragraph(update, "Inbrytning");
    expect(await socket.emitWithAck("y", notesDocName(meetingId), syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(update)))).toEqual({ ok: false, error: "forbidden" });
    socket.close();
    expect((await db().select().from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId))).length).toBe(0);
  });

  it("makes approved minutes read-only for everyone at once, also for those already in the document", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    const accessChange = new Promise((resolve) => amina.socket.once("access", (...args: unknown[]) => resolve(args)));
    await db().update(notesDocuments).set({ status: "approved" }).where(eq(notesDocuments.meetingId, meetingId));
    await portal.portal.collab.refreshAccess(meetingId);
    expect(await accessChange).toEqual([notesDocName(meetingId), { ok: true, readOnly: true }]);
    expect(await amina.change((doc) => paragraph(doc, "Efter justering"))).toEqual({ ok: false, error: "read_only" });
    const erik = await connect("member", meetingId);
    expect(erik.readOnly).toBe(true);
    expect(await storedLines(meetingId)).not.toContain("Efter justering");
  });

  it("applies a server-made change to the live document and stores it", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    const source = new Y.Doc();
    Y.applyUpdate(source, Y.encodeStateAsUpdate(amina.doc));
    const before = Y.encodeStateVector(source);
    paragraph(source, "Återställd från en tidigare version");
    await portal.portal.collab.applyServerChange(meetingId, null, async () => Y.encodeStateAsUpdate(source, before));
    expect(await storedLines(meetingId)).toContain("Återställd från en tidigare version");
    await waitFor(() => notesLines(amina.doc).includes("Återställd från en tidigare version"), "the server's change to reach the client", 5000);
  });

  it("drops a connection's caret when it closes: no ghosts", async () => {
    const meetingId = await createNotesMeeting(db());
    const [amina, erik] = [await connect("coordinator", meetingId), await connect("member", meetingId)];
    amina.awareness.setLocalState({ user: { name: "Amina Hassan", color: "#0b6e4f" } });
    await waitFor(() => erik.awareness.getStates().get(amina.doc.clientID), "Amina's caret at Erik", 5000);
    // Someone joining later sees who is there.
    const late = await connect("member", meetingId);
    await waitFor(() => late.awareness.getStates().get(amina.doc.clientID), "Amina's caret at a later joiner", 5000);
    amina.socket.disconnect();
    await waitFor(() => !erik.awareness.getStates().has(amina.doc.clientID), "Amina's caret to go", 5000);
  });

  it("shows every caret under its own person's name, and refuses taking over someone else's", async () => {
    const meetingId = await createNotesMeeting(db());
    const docName = notesDocName(meetingId);
    const [amina, erik] = [await connect("coordinator", meetingId), await connect("member", meetingId)];
    const caretAt = (client: CollabClient, of: CollabClient) => client.awareness.getStates().get(of.doc.clientID) as { user: Record<string, unknown>; cursor: unknown } | undefined;
    // Erik's client says it is Amina: the others still see Erik, with his organisation and colour.
    erik.awareness.setLocalState({ user: { id: "someone-else", name: "Amina Hassan", organisation: "Stockholms stad", color: "#000000" }, cursor: null });
    await waitFor(() => caretAt(amina, erik), "Erik's caret at Amina", 5000);
    const [erikUser] = await db().select({ id: users.id }).from(users).where(eq(users.email, NOTES_PEOPLE.member));
    expect(caretAt(amina, erik)!.user).toMatchObject({ id: erikUser.id, name: "Erik Sandberg", color: caretColour(erikUser.id) });
    expect(caretAt(amina, erik)!.user.organisation).not.toBe("Stockholms stad");

    // A message in Amina's client id from Erik's connection is refused, and her caret stays hers.
    amina.awareness.setLocalState({ user: { name: "Amina Hassan" }, cursor: { anchor: 3 } });
    await waitFor(() => (caretAt(erik, amina)?.cursor as { anchor?: number } | null)?.anchor === 3, "Amina's caret at Erik", 5000);
    const forged = encodeAwarenessEntries([{ clientId: amina.doc.clientID, clock: 1000, state: { user: { name: "Erik Sandberg" }, cursor: { anchor: 9 } } }]);
    expect(await erik.socket.timeout(10_000).emitWithAck("y", docName, awarenessFrame(forged))).toEqual({ ok: false, error: "forbidden" });
    const late = await connect("reader", meetingId);
    await waitFor(() => caretAt(late, amina), "Amina's caret at a later joiner", 5000);
    expect(caretAt(late, amina)).toMatchObject({ user: { name: "Amina Hassan" }, cursor: { anchor: 3 } });
  });

  it("closes the notes connection when its session signs out", async () => {
    const meetingId = await createNotesMeeting(db());
    const cookie = await portal.signInAs(NOTES_PEOPLE.member);
    const erik = await CollabClient.connect(portal.url, cookie, notesDocName(meetingId));
    clients.push(erik);
    const closed = new Promise((resolve) => erik.socket.once("disconnect", resolve));
    expect((await portal.post("/logga-ut", { intent: "this" }, { cookie })).status).toBe(302);
    expect(await closed).toBe("io server disconnect");
  });

  it("compaction while clients write loses nothing", async () => {
    const meetingId = await createNotesMeeting(db());
    const writers = [await connect("coordinator", meetingId), await connect("member", meetingId)];
    const id = await documentId(meetingId);
    let compacting = true;
    const { compactNotesDocument } = await import("../../app/domain/notes/state.server");
    const compactions = (async () => {
      let merged = 0;
      while (compacting) {
        merged += await compactNotesDocument(db(), id);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return merged;
    })();
    // Each writer sends in small bursts, waiting for the acknowledgements, so that compactions
    // (the test's own and the server's every 40 stored updates) fall between and during writes.
    const answers = (
      await Promise.all(
        writers.map(async (writer, w) => {
          const mine: Answer[] = [];
          for (let i = 0; i < 150; i += 5) {
            const burst = Array.from({ length: 5 }, (_, k) => writer.change((doc) => doc.getArray<string>("marks").push([`${w}:${i + k}`])));
            mine.push(...(await Promise.all(burst)));
          }
          return mine;
        }),
      )
    ).flat();
    compacting = false;
    const mergedByTest = await compactions;
    expect(answers.every((answer) => answer.ok)).toBe(true);
    const [document] = await db().select({ through: notesDocuments.snapshotThroughUpdateId }).from(notesDocuments).where(eq(notesDocuments.id, id));
    expect(document.through).toBeGreaterThan(0);
    expect(mergedByTest).toBeGreaterThan(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await readNotesState(db(), id));
    const marks = new Set(stored.getArray<string>("marks").toArray());
    expect(marks.size).toBe(300);
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from ${notesUpdates} where document_id = ${id}`);
    expect(n).toBeLessThan(300);
  });

  it("unloads a document nobody has open and serves it again with everything", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    await amina.change((doc) => paragraph(doc, "Sparas innan dokumentet lämnar minnet"));
    const loaded = portal.portal.collab.loadedDocuments();
    amina.close();
    await waitFor(() => portal.portal.collab.loadedDocuments() < loaded, "the idle document to be unloaded", 10_000);
    const erik = await connect("member", meetingId);
    expect(notesLines(erik.doc)).toContain("Sparas innan dokumentet lämnar minnet");
  });

  it("refreshes a plain-text copy left behind (as by a crash before it was written) when the document leaves memory, not as it opens", async () => {
    const meetingId = await createNotesMeeting(db());
    const { id } = await ensureNotesDocument(db(), meetingId);
    const copy = async () => (await db().select({ text: notesDocuments.plainText }).from(notesDocuments).where(eq(notesDocuments.id, id)))[0].text;
    // The stored state has the agenda; the copy says something else, as if the process had
    // ended after a commit and before the copy followed.
    await db().update(notesDocuments).set({ plainText: "Inaktuell kopia" }).where(eq(notesDocuments.id, id));
    const amina = await connect("coordinator", meetingId);
    // Opening does not rewrite the copy (many documents open at once at the start of a meeting).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await copy()).toBe("Inaktuell kopia");
    amina.close();
    await waitFor(async () => (await copy()).includes("## 2. Trygghetsvandring i Husby"), "the copy to be refreshed as the idle document is unloaded", 10_000);
  });

  it("answers 1,000 malformed, oversized, unauthorised and out-of-order messages with the protocol's errors and keeps the document", async () => {
    const meetingId = await createNotesMeeting(db());
    const amina = await connect("coordinator", meetingId);
    const lena = await connect("reader", meetingId);
    const docName = notesDocName(meetingId);
    const id = await documentId(meetingId);
    const before = await readNotesState(db(), id);
    const [{ n: rowsBefore }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from ${notesUpdates} where document_id = ${id}`);

    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));
    const otherDoc = new Y.Doc();
    otherDoc.getArray("x").push(["a"]);
    otherDoc.getArray("x").push(["b"]);
    const sv = Y.encodeStateVector(otherDoc);
    otherDoc.getArray("x").push(["c"]);
    const gapUpdate = Y.encodeStateAsUpdate(otherDoc, sv);
    const valid = new Y.Doc();
    paragraph(valid, "Från någon som bara får läsa");
    const validUpdate = Y.encodeStateAsUpdate(valid);

    type Case = { send: () => Promise<Answer>; expected: string };
    const emit = (client: CollabClient, ...args: unknown[]) => client.socket.timeout(10_000).emitWithAck("y", ...args) as Promise<Answer>;
    const kinds: Array<() => Case> = [
      () => ({ send: () => emit(amina, docName, bytes(1 + Math.floor(random() * 64))), expected: "malformed" }),
      () => ({ send: () => emit(amina, docName, syncFrame(SYNC_UPDATE, bytes(2 + Math.floor(random() * 40)))), expected: "malformed" }),
      () => ({ send: () => emit(amina, docName, "not bytes"), expected: "malformed" }),
      () => ({ send: () => emit(amina, 42, syncFrame(SYNC_UPDATE, validUpdate)), expected: "malformed" }),
      () => ({ send: () => emit(amina, docName, new Uint8Array(MAX_MESSAGE_BYTES + 1)), expected: "too_large" }),
      () => ({ send: () => emit(amina, notesDocName("00000000-0000-4000-8000-000000000000"), syncFrame(SYNC_UPDATE, validUpdate)), expected: "forbidden" }),
      () => ({ send: () => emit(lena, docName, syncFrame(SYNC_UPDATE, validUpdate)), expected: "read_only" }),
      () => ({ send: () => emit(amina, docName, syncFrame(SYNC_UPDATE, gapUpdate)), expected: "malformed" }),
      () => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 9);
        encoding.writeVarUint8Array(encoder, bytes(8));
        return { send: () => emit(amina, docName, encoding.toUint8Array(encoder)), expected: "malformed" };
      },
      () => ({ send: () => emit(amina, docName, awarenessFrame(bytes(12))), expected: "malformed" }),
      () => ({ send: () => emit(amina, docName, syncFrame(SYNC_STEP_1, Uint8Array.of(200, 200, 200))), expected: "malformed" }),
    ];
    const cases = Array.from({ length: 1000 }, (_, i) => kinds[i % kinds.length]());
    const answers: Array<{ answer: Answer; expected: string }> = [];
    for (let i = 0; i < cases.length; i += 50) {
      const chunk = cases.slice(i, i + 50);
      answers.push(...(await Promise.all(chunk.map(async (c) => ({ answer: await c.send(), expected: c.expected })))));
    }
    expect(answers).toHaveLength(1000);
    for (const { answer, expected } of answers) {
      expect(answer.ok).toBe(false);
      // Under a burst the rate limit may answer first; it is one of the protocol's errors too.
      expect([expected, "rate_limited"]).toContain(answer.error);
    }
    expect(answers.filter(({ answer, expected }) => answer.error === expected).length).toBeGreaterThan(900);

    // The server is up, the connections too, and nothing changed.
    expect(amina.socket.connected).toBe(true);
    expect(Buffer.from(await readNotesState(db(), id)).equals(Buffer.from(before))).toBe(true);
    const [{ n: rowsAfter }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from ${notesUpdates} where document_id = ${id}`);
    expect(rowsAfter).toBe(rowsBefore);
    const fresh = await connect("member", meetingId);
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(amina.doc));
    expect(notesLines(fresh.doc)).not.toContain("Från någon som bara får läsa");
    expect(await amina.change((doc) => paragraph(doc, "Fortfarande skrivbart"))).toEqual({ ok: true });
  });
});

describe("a server-made change (a restored version) on a server that stores slowly", () => {
  let slow: TestPortal;
  const open: CollabClient[] = [];
  beforeAll(async () => {
    // Commits 400 ms apart: a change is in the live document well before it is stored.
    slow = await startTestPortal({ COLLAB_COMMIT_GATHER_MS: "400" });
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await slow?.close();
  });

  it("is computed from the live document, with changes not yet stored, so a restore removes what was typed a moment before", async () => {
    const meetingId = await createNotesMeeting(slow.portal.db);
    const coordinator = await slow.signInAs(NOTES_PEOPLE.coordinator);
    const writer = await CollabClient.connect(slow.url, coordinator, notesDocName(meetingId));
    const watcher = await CollabClient.connect(slow.url, await slow.signInAs(NOTES_PEOPLE.member), notesDocName(meetingId));
    open.push(writer, watcher);
    const acknowledged = writer.change((doc) => paragraph(doc, "Skrivet precis före"));
    await waitFor(() => notesLines(watcher.doc).includes("Skrivet precis före"), "the change at the other editor", 5000);
    let seen: string[] = [];
    await slow.portal.collab.applyServerChange(meetingId, null, async (current) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, current);
      seen = notesLines(doc);
      return null;
    });
    expect(seen).toContain("Skrivet precis före");
    expect(await acknowledged).toEqual({ ok: true });
  });
});
