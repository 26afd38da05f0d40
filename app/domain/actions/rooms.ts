import type { ActionItemView, ItemField } from "./fields";

/** The live room of one action list: its items, changes and who is editing which row. */
export const actionListRoom = (listId: string) => `action-list:${listId}`;

/** Server → room: an item was added, changed or removed. */
export const ITEM_EVENT = "action-list:item";
/** Server → room: the list's title, description or sharing changed (the page reloads its data). */
export const LIST_EVENT = "action-list:changed";
/** Server → room: a comment was added to one of the list's items (the whole comment, as the thread shows it). */
export const COMMENT_EVENT = "action-item:comment";
/** Server → room: someone started or stopped editing a row (awareness, not stored). */
export const PRESENCE_EVENT = "action-list:presence";

/** Client → server (with an answer): one field of one item, with the version the writer saw. */
export const EDIT_EVENT = "action-item:edit";
/** Client → server (with an answer): a new item in a list. */
export const CREATE_EVENT = "action-item:create";
/** Client → server: the row and field the person is in now (null when they leave it). */
export const FOCUS_EVENT = "action-list:focus";
/** Client → server (with an answer): who is editing what in a list right now. */
export const WHO_EVENT = "action-list:who";

export type Writer = { userId: string; name: string };

export type ItemEventPayload = {
  listId: string;
  kind: "created" | "changed" | "removed";
  item: ActionItemView;
  fields: ItemField[];
  by: Writer;
};

export type ListEventPayload = { listId: string; by: Writer };

export type CommentEventPayload = {
  listId: string;
  itemId: string;
  comment: { id: string; authorName: string; body: string; createdAt: string; mentioned: string[] };
};

export type Presence = { socketId: string; userId: string; name: string; itemId: string | null; field: string | null };
export type PresencePayload = { listId: string } & Presence;

/** What a writer is told when someone else changed the field since they read it. */
export type FieldConflict = {
  field: ItemField;
  label: string;
  yourValue: unknown;
  currentValue: unknown;
  currentVersion: number;
  changedBy: string | null;
  changedAt: string | null;
};

export type EditAnswer =
  | { ok: true; item: ActionItemView }
  | { ok: false; error: "conflict"; message: string; conflicts: FieldConflict[]; item: ActionItemView }
  | { ok: false; error: "invalid" | "not_found" | "forbidden" | "unauthorized" | "rate_limited"; message: string; fieldErrors?: Record<string, string> };
