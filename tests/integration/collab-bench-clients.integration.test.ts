import { Server } from "@hocuspocus/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { notesDocName, readNotesState } from "../../app/domain/notes/state.server";
import { notesDocuments } from "../../db/schema";
import { connectLeanHocuspocusClient, connectLeanPortalClient, type LeanClient } from "../bench/collab-lean-clients";
import { createNotesMeeting, createOutsider, NOTES_PEOPLE } from "../support/collab-fixture";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

/**
 * The lean clients of `npm run bench:collab` write each server's wire format by hand. The bench's
 * figures stand on them, so they are held to both protocols here: changes reach the other client,
 * the server confirms them, and the portal's refusals reach the client.
 */

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = {} as Record<"coordinator" | "member" | "reader" | "outsider", string>;
const open: LeanClient[] = [];

const track = (client: LeanClient) => (open.push(client), client);

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.coordinator = await portal.signInAs(NOTES_PEOPLE.coordinator);
  cookies.member = await portal.signInAs(NOTES_PEOPLE.member);
  cookies.reader = await portal.signInAs(NOTES_PEOPLE.reader);
  cookies.outsider = await portal.signInAs(await createOutsider(db()));
});
afterAll(async () => {
  for (const client of open) client.close();
  await portal?.close();
});

describe("the bench's lean portal client", () => {
  it("relays a change to the other client, and the server confirms it once stored", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte för bänkens klienter");
    const docName = notesDocName(meetingId);
    const writer = track(await connectLeanPortalClient(portal.url, cookies.coordinator, docName));
    const peer = track(await connectLeanPortalClient(portal.url, cookies.member, docName));
    writer.doc.getMap<number>("bench").set("writer/0", 1);
    await waitFor(() => peer.doc.getMap<number>("bench").get("writer/0") === 1, "the change at the peer");
    await waitFor(() => writer.acked() === 1, "the writer's update confirmed");
    expect(writer.refused).toEqual([]);
    const [{ id }] = await db().select({ id: notesDocuments.id }).from(notesDocuments).where(eq(notesDocuments.meetingId, meetingId));
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await readNotesState(db(), id));
    expect(stored.getMap<number>("bench").get("writer/0")).toBe(1);
  });

  it("hears a reader's update refused as read-only, and an outsider's join refused", async () => {
    const meetingId = await createNotesMeeting(db(), "Möte som läses");
    const docName = notesDocName(meetingId);
    const reader = track(await connectLeanPortalClient(portal.url, cookies.reader, docName));
    reader.doc.getMap<number>("bench").set("reader/0", 1);
    await waitFor(() => reader.refused.length === 1, "the reader's refusal");
    expect(reader.refused).toEqual(["read_only"]);
    expect(reader.acked()).toBe(0);
    await expect(connectLeanPortalClient(portal.url, cookies.outsider, docName)).rejects.toThrow("join refused: forbidden");
  });
});

describe("the bench's lean Hocuspocus client", () => {
  it("relays a change to the other client, and Hocuspocus confirms it", async () => {
    const server = new Server({ port: 0, quiet: true });
    await server.listen();
    try {
      const url = `ws://127.0.0.1:${server.address.port}`;
      const writer = await connectLeanHocuspocusClient(url, "doc-0");
      const peer = await connectLeanHocuspocusClient(url, "doc-0");
      writer.doc.getMap<number>("bench").set("writer/0", 1);
      await waitFor(() => peer.doc.getMap<number>("bench").get("writer/0") === 1, "the change at the peer");
      await waitFor(() => writer.acked() === 1, "the writer's update confirmed");
      writer.close();
      peer.close();
    } finally {
      await server.destroy();
    }
  });
});
