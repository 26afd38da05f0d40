import type { Db, Tx } from "../../../db/client";
import { portal } from "../../server/portal.server";
import { meetingRoom } from "../meetings/labels";
import { appendNotesUpdate } from "./state.server";

/** The live notes server's entry points used by approval and versions. */
type NotesCollab = {
  applyServerUpdate(meetingId: string, update: Uint8Array, userId: string | null): Promise<void>;
  refreshAccess(meetingId: string): Promise<void>;
};

function collab(): NotesCollab | undefined {
  return (portal() as { collab?: NotesCollab }).collab;
}

/**
 * Applies a change made by the server (a restored version) to the live document, so connected
 * editors receive it, and stores it durably; with no live notes server it is only stored.
 */
export async function applyNotesChange(db: Db | Tx, meetingId: string, documentId: string, update: Uint8Array, userId: string | null) {
  const live = collab();
  if (live) await live.applyServerUpdate(meetingId, update, userId);
  else await appendNotesUpdate(db, documentId, update, userId);
}

/** After the status changed: connected editors are re-decided (read-only once approved) and open pages refresh. */
export async function notesStatusChanged(meetingId: string) {
  await collab()?.refreshAccess(meetingId);
  portal().publish(meetingRoom(meetingId), "notes:changed", {});
}
