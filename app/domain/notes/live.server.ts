import { portal } from "../../server/portal.server";
import { meetingRoom } from "../meetings/labels";

/**
 * Applies a change made by the server (a restored version) to the live document, so connected
 * editors receive it, and stores it durably. `change` computes the update from the document's
 * current state (see CollabHub.applyServerChange). Call it outside any transaction that holds
 * the document row, and end any transaction opened in `change`: the notes server stores the
 * update with its own connection.
 */
export async function applyNotesChange(meetingId: string, userId: string | null, change: (current: Uint8Array) => Promise<Uint8Array | null>) {
  await portal().collab.applyServerChange(meetingId, userId, change);
}

/** After the status changed: connected editors are re-decided (read-only once approved) and open pages refresh. */
export async function notesStatusChanged(meetingId: string) {
  await portal().collab.refreshAccess(meetingId);
  portal().publish(meetingRoom(meetingId), "notes:changed", {});
}
