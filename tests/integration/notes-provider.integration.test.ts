import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CollabProvider, type ProviderStatus } from "../../app/components/notes/collab-provider";
import { notesDocName, readNotesState } from "../../app/domain/notes/state.server";
import { notesDocuments } from "../../db/schema";
import { notesLines, openCollabSocket } from "../support/collab-client";
import { createNotesMeeting, createOutsider, NOTES_PEOPLE } from "../support/collab-fixture";
import { tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

/**
 * The browser's co-editing provider (the one the notes page runs) against the real `/collab`
 * server: its save state says "saved" only once every local change is stored, it keeps changes
 * made while disconnected and sends them when the connection returns, and it reports a refusal
 * instead of pretending the change was saved.
 */

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = {} as Record<"coordinator" | "member" | "reader" | "outsider", string>;
const opened: Opened[] = [];

type Opened = { provider: CollabProvider; doc: Y.Doc; states: ProviderStatus[]; socket: ReturnType<typeof openCollabSocket> };

function open(who: keyof typeof cookies, meetingId: string): Opened {
  const socket = openCollabSocket(portal.url, cookies[who]);
  const doc = new Y.Doc();
  const provider = new CollabProvider(socket, notesDocName(meetingId), doc);
  const states: ProviderStatus[] = [];
  provider.subscribe((status) => states.push(status));
  const result = { provider, doc, states, socket };
  opened.push(result);
  return result;
}

const synced = (one: Opened) => waitFor(() => one.provider.current.synced, "the first sync");
const saved = (one: Opened) => waitFor(() => one.provider.current.save === "saved" && one.provider.current.connection === "connected", "the save state Sparat");

function write(doc: Y.Doc, text: string) {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([element]);
}

async function storedLines(meetingId: string) {
  const [row] = await db().select({ id: notesDocuments.id }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await readNotesState(db(), row.id));
  return notesLines(doc);
}

beforeAll(async () => {
  portal = await startTestPortal({ COLLAB_IDLE_SECONDS: "1", COLLAB_CONTENT_DELAY_MS: "100" });
  cookies.coordinator = await portal.signInAs(NOTES_PEOPLE.coordinator);
  cookies.member = await portal.signInAs(NOTES_PEOPLE.member);
  cookies.reader = await portal.signInAs(NOTES_PEOPLE.reader);
  cookies.outsider = await portal.signInAs(await createOutsider(db()));
});
afterEach(() => {
  for (const { provider, doc, socket } of opened.splice(0)) {
    provider.destroy();
    socket.close();
    doc.destroy();
  }
});
afterAll(async () => {
  await portal?.close();
});

describe("the notes page's co-editing provider", () => {
  it("says Sparar… while a change is on its way and Sparat only once the server has stored it", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte där sparläget syns");
    const writer = open("coordinator", meetingId);
    await synced(writer);
    expect(notesLines(writer.doc)[0]).toBe("Minnesanteckningar: Möte där sparläget syns");
    expect(writer.provider.current).toMatchObject({ connection: "connected", readOnly: false, save: "saved" });

    // The moment the state turns back to "saved", the change must already be in the database.
    const storedWhenSaved = new Promise<string[]>((resolve) => {
      const stop = writer.provider.subscribe((status) => {
        if (status.save !== "saved" || !writer.states.some((earlier) => earlier.save === "saving")) return;
        stop();
        resolve(storedLines(meetingId));
      });
    });
    write(writer.doc, "Belysningen vid torget byts i december.");
    expect(writer.provider.current.save).toBe("saving");
    expect(await storedWhenSaved).toContain("Belysningen vid torget byts i december.");

    // The other writer gets the change, and its own state stays saved: it typed nothing.
    const other = open("member", meetingId);
    await synced(other);
    expect(notesLines(other.doc)).toContain("Belysningen vid torget byts i december.");
    expect(other.states.every((status) => status.save !== "saving")).toBe(true);
  });

  it("keeps what is written while disconnected, says so, and sends it when the connection returns", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte med dålig uppkoppling");
    const writer = open("member", meetingId);
    const reader = open("coordinator", meetingId);
    await Promise.all([synced(writer), synced(reader)]);

    writer.socket.disconnect();
    await waitFor(() => writer.provider.current.connection === "offline", "the provider to notice it is offline");
    write(writer.doc, "Skrivet i polisbilen utan täckning.");
    write(writer.doc, "Och en rad till.");
    expect(writer.provider.current.save).toBe("offline");
    expect(await storedLines(meetingId)).not.toContain("Skrivet i polisbilen utan täckning.");

    writer.socket.connect();
    await saved(writer);
    const lines = await storedLines(meetingId);
    expect(lines).toContain("Skrivet i polisbilen utan täckning.");
    expect(lines).toContain("Och en rad till.");
    await waitFor(() => notesLines(reader.doc).includes("Och en rad till."), "the other writer to get the offline lines");
    // Sent once: the lines are there once each.
    expect(notesLines(reader.doc).filter((line) => line === "Skrivet i polisbilen utan täckning.")).toHaveLength(1);
  });

  it("joins a reader read-only and reports a refused change instead of calling it saved, with the stored notes unchanged", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte som regionen läser");
    const writer = open("coordinator", meetingId);
    await synced(writer);
    await saved(writer);
    const reader = open("reader", meetingId);
    await synced(reader);
    expect(reader.provider.current.readOnly).toBe(true);
    const before = await tableDigest(db(), ["notes_updates"]);

    write(reader.doc, "Det här får inte sparas.");
    await waitFor(() => reader.provider.current.save === "failed", "the refusal");
    expect(reader.provider.current.rejected).toBe("read_only");
    expect(reader.states.some((status) => status.save === "saved" && status.rejected === "read_only")).toBe(false);
    expect(await tableDigest(db(), ["notes_updates"])).toEqual(before);
    expect(notesLines(writer.doc)).not.toContain("Det här får inte sparas.");
  });

  it("turns read-only without a reconnect when the minutes are approved, says so instead of Sparat for a later change, and stores that change when they are opened again", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte som justeras medan någon skriver");
    const writer = open("member", meetingId);
    await synced(writer);
    write(writer.doc, "Sista raden före justeringen.");
    await saved(writer);
    const connection = writer.socket.id;

    await db().update(notesDocuments).set({ status: "approved" }).where(eq(notesDocuments.meetingId, meetingId));
    await portal.portal.collab.refreshAccess(meetingId);
    await waitFor(() => writer.provider.current.readOnly, "the provider to learn that the notes are read-only");
    expect(writer.socket.id).toBe(connection);
    const before = await tableDigest(db(), ["notes_updates"]);

    write(writer.doc, "Skrivet efter justeringen.");
    await waitFor(() => writer.provider.current.save === "failed", "the refusal");
    expect(writer.provider.current.rejected).toBe("read_only");
    expect(await tableDigest(db(), ["notes_updates"])).toEqual(before);

    // The coordinator opens the notes again: the refused change is sent and stored, without a reload.
    await db().update(notesDocuments).set({ status: "open" }).where(eq(notesDocuments.meetingId, meetingId));
    await portal.portal.collab.refreshAccess(meetingId);
    await waitFor(() => !writer.provider.current.readOnly, "the provider to learn that the notes are open");
    await saved(writer);
    expect(writer.socket.id).toBe(connection);
    expect(await storedLines(meetingId)).toContain("Skrivet efter justeringen.");
  });

  it("a change that reaches a server not yet told the notes went for approval is refused, not stored, and is saved once the notes are opened again", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte som skickas för justering medan någon skriver");
    const writer = open("member", meetingId);
    await synced(writer);
    write(writer.doc, "Skrivet före justeringen.");
    await saved(writer);

    // The notes go for approval without this server hearing of it (as when the message between
    // instances is lost): the database has the last word.
    await db().update(notesDocuments).set({ status: "for_approval" }).where(eq(notesDocuments.meetingId, meetingId));
    const before = await tableDigest(db(), ["notes_updates"]);
    write(writer.doc, "Skrivet medan anteckningarna justeras.");
    await waitFor(() => writer.provider.current.save === "failed", "the refusal");
    expect(writer.provider.current.rejected).toBe("read_only");
    await waitFor(() => writer.provider.current.readOnly, "the provider to learn that the notes are read-only");
    expect(await tableDigest(db(), ["notes_updates"])).toEqual(before);
    expect(await storedLines(meetingId)).not.toContain("Skrivet medan anteckningarna justeras.");

    // Opened again: nothing written is lost, and the page says Sparat.
    await db().update(notesDocuments).set({ status: "open" }).where(eq(notesDocuments.meetingId, meetingId));
    await portal.portal.collab.refreshAccess(meetingId);
    await waitFor(() => !writer.provider.current.readOnly, "the provider to learn that the notes are open");
    await saved(writer);
    expect(writer.provider.current.rejected).toBeNull();
    expect(await storedLines(meetingId)).toContain("Skrivet medan anteckningarna justeras.");
    write(writer.doc, "Skrivet efter att anteckningarna öppnats igen.");
    await saved(writer);
    expect(await storedLines(meetingId)).toContain("Skrivet efter att anteckningarna öppnats igen.");
  });

  it("shows the notes page, with its guard-rail note, to those who see the meeting and answers 404 to others", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte vars anteckningar visas");
    const path = `/moten/${meetingId}/anteckningar`;
    const writerPage = await portal.fetch(path, { cookie: cookies.member });
    expect(writerPage.status).toBe(200);
    const html = await writerPage.text();
    expect(html).toContain("Anteckningar: Möte vars anteckningar visas");
    expect(html).toContain("Skriv inte in uppgifter om enskilda personers ärenden");
    expect(html).toContain(`meeting:${meetingId}:notes`);

    const readerPage = await portal.fetch(path, { cookie: cookies.reader });
    expect(readerPage.status).toBe(200);
    expect(await readerPage.text()).toContain("Anteckningar: Möte vars anteckningar visas");

    const outsiderPage = await portal.fetch(path, { cookie: cookies.outsider });
    expect(outsiderPage.status).toBe(404);
    expect(await outsiderPage.text()).not.toContain("Möte vars anteckningar visas");

    const anonymous = await portal.fetch(path, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/logga-in?till=${encodeURIComponent(path)}`);
  });
});
