import type { Db } from "../../../db/client";
import { formatDateTime } from "../../format";
import { requireId } from "../http-errors";
import { meetingWhen } from "../meetings/meetings.server";
import { authorize, type Actor } from "../policy";
import { approvedStatusOf, exportFilename } from "./approval.server";
import { notesToDocx } from "./export/docx.server";
import { notesToMarkdown } from "./export/markdown.server";
import { notesToPdf } from "./export/pdf.server";
import { notesContentOf, readNotesState } from "./state.server";
import { notesOfMeeting, versionContent } from "./versions.server";

export type NotesExportFormat = "pdf" | "docx" | "md";

const CONTENT_TYPES: Record<NotesExportFormat, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
};

/**
 * The notes as a file: the current document, or one version (`?version=<id>`, only this
 * meeting's). The header says whether the content is approved, a draft or a version.
 */
export async function exportNotes(db: Db, actor: Actor, meetingId: string, format: NotesExportFormat, versionId: string | null) {
  const { meeting, network, resource, document } = await notesOfMeeting(db, actor, meetingId);
  authorize(actor, "notes.export", resource);
  let json: unknown;
  let status: string;
  if (versionId !== null) {
    const version = await versionContent(db, document.id, requireId(versionId));
    json = version.contentJson;
    status = `Version "${version.name}", sparad ${formatDateTime(version.createdAt)}`;
  } else {
    json = notesContentOf(await readNotesState(db, document.id)).json;
    if (document.status === "approved") status = await approvedStatusOf(db, document.id);
    else status = document.status === "for_approval" ? `Utkast, skickat för justering (utskrivet ${formatDateTime(new Date())})` : `Utkast, inte justerat (utskrivet ${formatDateTime(new Date())})`;
  }
  const header = { title: meeting.title, when: meetingWhen(meeting.startsAt, meeting.endsAt), networkName: network.name, status };
  const body = format === "pdf" ? await notesToPdf(header, json) : format === "docx" ? await notesToDocx(header, json) : Buffer.from(notesToMarkdown(header, json), "utf8");
  return { body, contentType: CONTENT_TYPES[format], filename: exportFilename(meeting.title, format) };
}

/** The HTTP answer for an export route: a download that is never cached. */
export function exportResponse(file: { body: Buffer; contentType: string; filename: string }) {
  return new Response(new Uint8Array(file.body), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}
