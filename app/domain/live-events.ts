/**
 * Server → socket: the socket was taken out of a live room because the person may no longer see
 * what the room shows (e.g. a list no longer shared with their organisation, or removed). The
 * page tells the person in Swedish and stops showing updates.
 */
export const ACCESS_LOST_EVENT = "access-lost";

export type AccessLostPayload = { room: string };
