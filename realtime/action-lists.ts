import type { Namespace, RemoteSocket, Socket } from "socket.io";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "../db/client";
import { validateSessionToken, type SessionUser } from "../app/auth/session.server";
import { createActionItem, editActionItem, LIST_NOT_FOUND } from "../app/domain/actions/action-lists.server";
import {
  actionListRoom,
  CREATE_EVENT,
  EDIT_EVENT,
  FOCUS_EVENT,
  PRESENCE_EVENT,
  WHO_EVENT,
  type EditAnswer,
  type Presence,
  type PresencePayload,
} from "../app/domain/actions/rooms";
import { isItemField } from "../app/domain/actions/fields";
import { uuidPattern } from "../app/domain/http-errors";
import { FORBIDDEN_MESSAGE } from "../app/domain/policy";
import { logger } from "../app/server/logger.server";

type ListSocket = Socket & { data: { user: SessionUser; token: string; sessionId: string; presence?: { listId: string; itemId: string | null; field: string | null } } };

// Generous: a person typing in a table sends one edit per field left, a reconnect a queued batch.
const editLimiter = new RateLimiterMemory({ points: 600, duration: 10 });

/**
 * Edits and presence of action lists over the `/live` socket. Every edit goes through the same
 * domain command as the forms (`editActionItem`), which checks the policy and the field's
 * version; presence is only relayed to sockets that joined the list's room through the policy.
 */
export function handleActionListEvents(socket: ListSocket, live: Namespace, db: Db) {
  const answer = (ack: unknown) => (typeof ack === "function" ? (ack as (value: unknown) => void) : () => undefined);

  /** The session may have ended since the handshake: check it again before any write. */
  async function currentUser(): Promise<SessionUser | null> {
    const session = await validateSessionToken(db, socket.data.token);
    if (!session) {
      socket.disconnect(true);
      return null;
    }
    socket.data.user = session.user;
    return session.user;
  }

  async function limited() {
    try {
      await editLimiter.consume(socket.id);
      return false;
    } catch {
      return true;
    }
  }

  socket.on(EDIT_EVENT, async (message: unknown, ack: unknown) => {
    const reply = answer(ack);
    try {
      if (await limited()) return reply({ ok: false, error: "rate_limited", message: "För många ändringar på kort tid. Vänta en stund." } satisfies EditAnswer);
      const user = await currentUser();
      if (!user) return reply({ ok: false, error: "unauthorized", message: "Du är utloggad. Logga in igen." } satisfies EditAnswer);
      if (!message || typeof message !== "object") return reply({ ok: false, error: "invalid", message: "Ändringen kunde inte läsas." } satisfies EditAnswer);
      const { itemId, field, value, version } = message as Record<string, unknown>;
      if (typeof field !== "string") return reply({ ok: false, error: "invalid", message: "Ändringen saknar fält." } satisfies EditAnswer);
      reply(await editActionItem(db, user, { itemId: itemId as string, changes: { [field]: { value, version: version as number } } }));
    } catch (error) {
      logger.error({ err: error }, "action item edit failed");
      reply({ ok: false, error: "invalid", message: "Ändringen kunde inte sparas. Försök igen." } satisfies EditAnswer);
    }
  });

  socket.on(CREATE_EVENT, async (message: unknown, ack: unknown) => {
    const reply = answer(ack);
    try {
      if (await limited()) return reply({ ok: false, error: "rate_limited", message: "För många ändringar på kort tid. Vänta en stund." });
      const user = await currentUser();
      if (!user) return reply({ ok: false, error: "unauthorized", message: "Du är utloggad. Logga in igen." });
      const input = (message && typeof message === "object" ? message : {}) as Record<string, unknown>;
      const item = await createActionItem(db, user, input as never);
      reply({ ok: true, item });
    } catch (error) {
      if (error instanceof Response && [400, 403, 404].includes(error.status)) {
        const body = (await error.json().catch(() => ({}))) as { message?: string; fieldErrors?: Record<string, string> };
        const kind = error.status === 400 ? "invalid" : error.status === 403 ? "forbidden" : "not_found";
        return reply({ ok: false, error: kind, message: body.message ?? (error.status === 403 ? FORBIDDEN_MESSAGE : LIST_NOT_FOUND), fieldErrors: body.fieldErrors });
      }
      logger.error({ err: error }, "action item create failed");
      reply({ ok: false, error: "invalid", message: "Åtgärden kunde inte läggas till. Försök igen." });
    }
  });

  socket.on(FOCUS_EVENT, (message: unknown) => {
    if (!message || typeof message !== "object") return;
    const { listId, itemId, field } = message as Record<string, unknown>;
    if (typeof listId !== "string" || !uuidPattern.test(listId)) return;
    const room = actionListRoom(listId.toLowerCase());
    // Only someone admitted to the list's room may say they are editing in it.
    if (!socket.rooms.has(room)) return;
    const row = typeof itemId === "string" && uuidPattern.test(itemId) ? itemId.toLowerCase() : null;
    // Only a field of an item is relayed: anything else names the row alone.
    const column = row && isItemField(field) ? field : null;
    socket.data.presence = { listId: listId.toLowerCase(), itemId: row, field: column };
    live.to(room).emit(PRESENCE_EVENT, presenceOf(socket));
  });

  socket.on(WHO_EVENT, async (message: unknown, ack: unknown) => {
    const reply = answer(ack);
    const listId = message && typeof message === "object" ? (message as Record<string, unknown>).listId : undefined;
    if (typeof listId !== "string" || !uuidPattern.test(listId)) return reply({ ok: false, error: "invalid", message: LIST_NOT_FOUND });
    const room = actionListRoom(listId.toLowerCase());
    if (!socket.rooms.has(room)) return reply({ ok: false, error: "forbidden", message: FORBIDDEN_MESSAGE });
    try {
      const sockets = await live.in(room).fetchSockets();
      const editors: Presence[] = [];
      for (const other of sockets) {
        const data = other.data as ListSocket["data"];
        if (data.presence?.listId === listId.toLowerCase() && data.presence.itemId) {
          editors.push({ socketId: other.id, userId: data.user.userId, name: data.user.name, itemId: data.presence.itemId, field: data.presence.field });
        }
      }
      reply({ ok: true, editors });
    } catch (error) {
      logger.warn({ err: error }, "presence lookup failed");
      reply({ ok: true, editors: [] });
    }
  });

  socket.on("disconnect", () => {
    const presence = socket.data.presence;
    if (!presence) return;
    socket.data.presence = { ...presence, itemId: null, field: null };
    live.to(actionListRoom(presence.listId)).emit(PRESENCE_EVENT, presenceOf(socket));
  });

  function presenceOf(from: ListSocket): PresencePayload {
    const presence = from.data.presence!;
    return { listId: presence.listId, socketId: from.id, userId: from.data.user.userId, name: from.data.user.name, itemId: presence.itemId, field: presence.field };
  }
}

/**
 * A socket taken out of a list's room (its person lost access) stops being shown as editing a
 * row there; `action-list:who` no longer counts it, as it is not in the room.
 */
export function forgetPresence(live: Namespace, room: string, socket: RemoteSocket<never, unknown>) {
  const data = socket.data as Partial<ListSocket["data"]>;
  const presence = data.presence;
  if (!presence || !data.user || actionListRoom(presence.listId) !== room || !presence.itemId) return;
  const payload: PresencePayload = { listId: presence.listId, socketId: socket.id, userId: data.user.userId, name: data.user.name, itemId: null, field: null };
  live.to(room).emit(PRESENCE_EVENT, payload);
}
