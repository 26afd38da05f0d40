import { portal } from "../../server/portal.server";
import { meetingRoom } from "../meetings/labels";

/**
 * Applies a change made by the server (a restored version) to the live document, so connected
 * editors receive it, and stores it durably. Call it outside any transaction that holds the
 * document row: the notes server stores the update with its own connection.
 */
export async function applyNotesChange(meetingId: string, update: Uint8Array, userId: string | null) {
  await portal().collab.applyServerUpdate(meetingId, update, userId);
}

/** After the status changed: connected editors are re-decided (read-only once approved) and open pages refresh. */
export async function notesStatusChanged(meetingId: string) {
  await portal().collab.refreshAccess(meetingId);
  portal().publish(meetingRoom(meetingId), "notes:changed", {});
}
