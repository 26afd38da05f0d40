import { asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import type { Queryable } from "../../../db/client";
import { agendaItems, meetingInvitees, meetings } from "../../../db/schema";
import { meetingWhen } from "../meetings/meetings.server";

/** tiptap's Collaboration extension keeps the ProseMirror document in this fragment. */
export const NOTES_FRAGMENT = "default";

function paragraph(text: string) {
  const element = new Y.XmlElement("paragraph");
  if (text) element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function heading(level: number, text: string) {
  const element = new Y.XmlElement("heading");
  element.setAttribute("level", level as unknown as string);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

function bulletList(items: string[]) {
  const list = new Y.XmlElement("bulletList");
  list.insert(
    0,
    items.map((text) => {
      const item = new Y.XmlElement("listItem");
      item.insert(0, [paragraph(text)]);
      return item;
    }),
  );
  return list;
}

/**
 * The first state of a meeting's notes as one Yjs update: the meeting's title, date and place,
 * the invitees, and a heading with an empty paragraph under it for each agenda item.
 */
export async function buildStartingContent(db: Queryable, meetingId: string): Promise<Uint8Array> {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) throw new Error(`no meeting ${meetingId}`);
  const agenda = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
  const invitees = await db
    .select({ name: meetingInvitees.name, response: meetingInvitees.response })
    .from(meetingInvitees)
    .where(eq(meetingInvitees.meetingId, meetingId))
    .orderBy(asc(meetingInvitees.name));

  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const blocks: Y.XmlElement[] = [heading(1, `Minnesanteckningar: ${meeting.title}`), paragraph(`Datum: ${meetingWhen(meeting.startsAt, meeting.endsAt)}`)];
  if (meeting.place) blocks.push(paragraph(`Plats: ${meeting.place}`));
  blocks.push(heading(2, "Deltagare"));
  const attending = invitees.filter((invitee) => invitee.response !== "nej").map((invitee) => invitee.name);
  blocks.push(attending.length > 0 ? bulletList(attending) : paragraph(""));
  if (agenda.length === 0) {
    blocks.push(heading(2, "Anteckningar"), paragraph(""));
  }
  agenda.forEach((item, index) => {
    const presenter = item.presenter ? ` (${item.presenter})` : "";
    blocks.push(heading(2, `${index + 1}. ${item.title}${presenter}`), paragraph(""));
  });
  fragment.insert(0, blocks);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
