import fs from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, PGLITE_THREAD_NICE, type Database } from "../../db/client";
import { reusedStatement } from "../../db/prepared";
import { meetings, notesDocuments, notesUpdates, organisations, users } from "../../db/schema";
import { appendNotesUpdates, compactNotesDocument, readNotesState } from "../../app/domain/notes/state.server";
import { createNotesMeeting } from "../support/collab-fixture";
import { seedDemoData } from "../../db/seed";

// The portal's own PGlite runs on a thread of its own (PGLITE_THREAD=worker). These tests open
// one in memory on both test runs: what they check is the embedded database, not the server.
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: "memory://", pgliteThread: "worker" });
  await migrateDatabase(database, async (db) => void (await seedDemoData(db)));
});
afterAll(async () => {
  await database?.close();
});

const organisationByName = reusedStatement<{ id: string; name: string }>("thread_organisation_by_name", (db) =>
  db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.name, sql.placeholder("name"))),
);

describe("PGlite on a thread of its own", () => {
  it("returns what drizzle returns on the main thread: binary data, dates, JSON and reused statements", async () => {
    const meetingId = await createNotesMeeting(database.db, "Möte på egen tråd");
    const [meeting] = await database.db.select().from(meetings).where(eq(meetings.id, meetingId));
    expect(meeting.startsAt).toBeInstanceOf(Date);
    const [document] = await database.db
      .insert(notesDocuments)
      .values({ meetingId, snapshot: new Uint8Array([1, 2, 3]), plainText: "Lägesbild", contentJson: { type: "doc", content: [] } })
      .returning();
    expect(document.snapshot).toEqual(new Uint8Array([1, 2, 3]));
    expect(document.contentJson).toEqual({ type: "doc", content: [] });
    const [organisation] = await database.db.insert(organisations).values({ name: "Trådens förening", type: "civilsamhalle" }).returning();
    expect(await organisationByName(database.db, { name: "Trådens förening" })).toEqual([{ id: organisation.id, name: "Trådens förening" }]);
  });

  it("keeps PostgreSQL's error code, so a duplicate still gets its own message", async () => {
    const meetingId = await createNotesMeeting(database.db, "Möte med dubblett");
    await database.db.insert(notesDocuments).values({ meetingId });
    const error: { code?: string; cause?: { code?: string } } | undefined = await database.db
      .insert(notesDocuments)
      .values({ meetingId })
      .then(
        () => undefined,
        (caught: unknown) => caught as { code?: string; cause?: { code?: string } },
      );
    expect(error?.code ?? error?.cause?.code).toBe("23505");
  });

  it("undoes a failed transaction, and a statement from outside waits until the transaction has ended", async () => {
    const before = (await database.db.select().from(organisations)).length;
    let insideSaw = -1;
    let outsideSaw = -1;
    const failing = database.db.transaction(async (tx) => {
      await tx.insert(organisations).values({ name: "Tillfällig förening", type: "civilsamhalle" });
      // A read from outside the transaction, sent while it is open: it must not see the insert.
      const outside = database.db
        .select()
        .from(organisations)
        .then((rows) => (outsideSaw = rows.length));
      await new Promise((resolve) => setTimeout(resolve, 50));
      insideSaw = (await tx.select().from(organisations)).length;
      expect(outsideSaw).toBe(-1);
      void outside;
      throw new Error("avbruten");
    });
    await expect(failing).rejects.toThrow("avbruten");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(insideSaw).toBe(before + 1);
    expect(outsideSaw).toBe(before);
    expect((await database.db.select().from(organisations)).length).toBe(before);
  });

  it("leaves the event loop free while a long statement runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await database.db.execute(sql`select count(*) from generate_series(1, 2000000)`);
    const took = performance.now() - started;
    clearInterval(timer);
    // On the main thread the timer could not fire at all while the statement ran.
    expect(took).toBeGreaterThan(50);
    expect(ticks).toBeGreaterThan(took / 5 / 4);
  });

  it.skipIf(process.platform !== "linux")("runs at a lower priority than the event loop's thread, which keeps its own", () => {
    const niceOf = (task: string) => {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const own = niceOf(String(process.pid));
    const tasks = fs.readdirSync("/proc/self/task");
    expect(tasks.filter((task) => niceOf(task) === own + PGLITE_THREAD_NICE).length).toBeGreaterThanOrEqual(1);
    expect(niceOf(String(process.pid))).toBe(own);
  });

  it("stores a group of notes updates in order, in one statement, and compaction keeps every one", async () => {
    const meetingId = await createNotesMeeting(database.db, "Möte med gruppcommit");
    const [document] = await database.db.insert(notesDocuments).values({ meetingId }).returning();
    const { Doc, encodeStateAsUpdate, applyUpdate } = await import("yjs");
    const writer = new Doc();
    const updates: Uint8Array[] = [];
    writer.on("update", (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 30; i++) writer.getArray<number>("list").push([i]);
    // Views into a larger buffer, as updates arrive from a socket.
    const pooled = updates.map((update) => {
      const buffer = new Uint8Array(update.byteLength + 64);
      buffer.set(update, 32);
      return buffer.subarray(32, 32 + update.byteLength);
    });
    await appendNotesUpdates(database.db, pooled.slice(0, 20).map((update) => ({ documentId: document.id, update, userId: null })));
    expect(await compactNotesDocument(database.db, document.id)).toBe(20);
    await appendNotesUpdates(database.db, pooled.slice(20).map((update) => ({ documentId: document.id, update, userId: null })));
    const rows = await database.db.select({ data: notesUpdates.data }).from(notesUpdates).where(eq(notesUpdates.documentId, document.id)).orderBy(notesUpdates.id);
    expect(rows.map((row) => row.data)).toEqual(updates.slice(20));
    const reader = new Doc();
    applyUpdate(reader, await readNotesState(database.db, document.id));
    expect(reader.getArray<number>("list").toArray()).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(encodeStateAsUpdate(reader)).toEqual(encodeStateAsUpdate(writer));
  });
  it("stores updates of several documents and authors with their own document, author and order, and refuses an id that is not one", async () => {
    const documents: string[] = [];
    for (const title of ["Möte A", "Möte B"]) {
      const [document] = await database.db.insert(notesDocuments).values({ meetingId: await createNotesMeeting(database.db, title) }).returning();
      documents.push(document.id);
    }
    const [author] = await database.db.select({ id: users.id }).from(users).limit(1);
    const batch = [0, 1, 2, 3].map((i) => ({ documentId: documents[i % 2], update: new Uint8Array([i, 0, i]), userId: i === 2 ? null : author.id }));
    await appendNotesUpdates(database.db, batch);
    const stored = await database.db
      .select({ documentId: notesUpdates.documentId, data: notesUpdates.data, userId: notesUpdates.userId })
      .from(notesUpdates)
      .where(inArray(notesUpdates.documentId, documents))
      .orderBy(notesUpdates.id);
    expect(stored).toEqual(batch.map(({ documentId, update, userId }) => ({ documentId, data: update, userId })));

    await expect(appendNotesUpdates(database.db, [{ documentId: documents[0], update: new Uint8Array([9]), userId: "'); delete from notes_updates; --" }])).rejects.toThrow();
    const after = await database.db.select({ id: notesUpdates.id }).from(notesUpdates).where(inArray(notesUpdates.documentId, documents));
    expect(after).toHaveLength(4);
  });
});
