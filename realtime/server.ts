import type http from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import type { Db } from "../db/client";
import { readSessionToken, validateSessionToken, type SessionUser } from "../app/auth/session.server";
import type { Config } from "../app/server/config.server";
import { logger } from "../app/server/logger.server";
import { attachCollab, COLLAB_NAMESPACE } from "./collab/hub";
import { ACCESS_LOST_EVENT, type AccessLostPayload } from "../app/domain/live-events";
import { forgetPresence, handleActionListEvents } from "./action-lists";
import { authorizePublicRoom, authorizeRoom, isPublicRoom, personRoom, sessionRoom } from "./rooms";

export const LIVE_NAMESPACE = "/live";
/** No session needed; only the public rooms of `authorizePublicRoom` (seat counts of published kunskapsdagar). */
export const PUBLIC_NAMESPACE = "/public";
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The Redis adapter sends these commands without handling a refusal; while Redis is away that
 * would be an unhandled rejection, which stops the process. Each instance keeps serving its own
 * clients instead, and the notes catch up when Redis returns (realtime/collab).
 */
function toleratedWhileAway(client: Redis, commands: Array<"publish" | "unsubscribe" | "punsubscribe">) {
  for (const command of commands) {
    const original = (client[command] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => {
      const sent = original(...args);
      sent.catch(() => undefined);
      return sent;
    };
  }
}

type LiveSocket = Socket & { data: { user: SessionUser; token: string; sessionId: string } };

/**
 * socket.io on the portal's own HTTP server. The session cookie is checked at the handshake and
 * again on every subscription (so a changed role counts at once); every room is joined through
 * the policy. Signing out, deactivation or a changed membership closes the person's connections.
 */
export async function attachRealtime(server: http.Server, options: { config: Config; db: Db; dev: boolean }) {
  const allowedOrigin = new URL(options.config.baseUrl).origin;
  const io = new Server(server, {
    // Room above the notes' own limit, so that a slightly larger notes message gets `too_large` instead of a dropped connection.
    maxHttpBufferSize: Math.max(MAX_MESSAGE_BYTES, options.config.COLLAB_MAX_MESSAGE_BYTES + 64 * 1024),
    serveClient: false,
    // Vite's dev server shares the HTTP server and handles its own upgrades.
    destroyUpgrade: !options.dev,
    allowRequest: (req, callback) => {
      // Cross-site WebSocket hijacking: a browser always sends Origin; it must be ours.
      const origin = req.headers.origin;
      const ok = !origin || origin === allowedOrigin || (req.headers.host !== undefined && origin.endsWith(`//${req.headers.host}`));
      callback(ok ? null : "forbidden_origin", ok);
    },
  });

  let redis: { pub: Redis; sub: Redis } | undefined;
  if (options.config.REDIS_URL) {
    const pub = new Redis(options.config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on("error", (error) => logger.warn({ err: error.message }, "redis unavailable"));
    await Promise.all([pub.connect(), sub.connect()]);
    toleratedWhileAway(pub, ["publish"]);
    toleratedWhileAway(sub, ["unsubscribe", "punsubscribe"]);
    io.adapter(createAdapter(pub, sub));
    redis = { pub, sub };
  }

  const live = io.of(LIVE_NAMESPACE);
  live.use(async (socket, next) => {
    try {
      const token = readSessionToken(socket.handshake.headers.cookie);
      const session = await validateSessionToken(options.db, token);
      if (!session || !token) return next(new Error("unauthorized"));
      Object.assign(socket.data, { user: session.user, token, sessionId: session.id });
      next();
    } catch (error) {
      logger.error({ err: error }, "socket handshake failed");
      next(new Error("unauthorized"));
    }
  });

  const limiter = new RateLimiterMemory({ points: 50, duration: 10 });
  live.on("connection", (raw) => {
    const socket = raw as LiveSocket;
    void socket.join([sessionRoom(socket.data.sessionId), personRoom(socket.data.user.userId)]);
    socket.emit("hello", { protocol: 1 });
    handleActionListEvents(socket, live, options.db);
    socket.on("subscribe", async (room: unknown, ack: unknown) => {
      const reply = typeof ack === "function" ? (ack as (value: unknown) => void) : () => undefined;
      try {
        await limiter.consume(socket.id);
      } catch {
        return reply({ ok: false, error: "rate_limited" });
      }
      try {
        const session = await validateSessionToken(options.db, socket.data.token);
        if (!session) {
          reply({ ok: false, error: "unauthorized" });
          return socket.disconnect(true);
        }
        socket.data.user = session.user;
        const decision = await authorizeRoom(options.db, socket.data.user, room);
        if (decision !== "ok") return reply({ ok: false, error: decision });
        await socket.join(room as string);
        // Access may have been withdrawn between the decision and the join, after
        // `refreshAccess` looked at the room: decide again now that the socket is in it.
        if ((await authorizeRoom(options.db, socket.data.user, room)) !== "ok") {
          await socket.leave(room as string);
          return reply({ ok: false, error: "forbidden" });
        }
        reply({ ok: true });
      } catch (error) {
        logger.error({ err: error }, "subscribe failed");
        reply({ ok: false, error: "malformed" });
      }
    });
    socket.on("unsubscribe", async (room: unknown) => {
      // The server's own rooms are not the client's to leave.
      if (typeof room === "string" && room !== sessionRoom(socket.data.sessionId) && room !== personRoom(socket.data.user.userId)) {
        await socket.leave(room);
      }
    });
  });

  // Anonymous visitors of public pages: no session, so nothing but the public rooms can be joined.
  const publicSpace = io.of(PUBLIC_NAMESPACE);
  const publicLimiter = new RateLimiterMemory({ points: 20, duration: 10 });
  publicSpace.on("connection", (socket) => {
    socket.on("subscribe", async (room: unknown, ack: unknown) => {
      const reply = typeof ack === "function" ? (ack as (value: unknown) => void) : () => undefined;
      try {
        await publicLimiter.consume(socket.id);
      } catch {
        return reply({ ok: false, error: "rate_limited" });
      }
      try {
        const decision = await authorizePublicRoom(options.db, room);
        if (decision !== "ok") return reply({ ok: false, error: decision });
        await socket.join(room as string);
        reply({ ok: true });
      } catch (error) {
        logger.error({ err: error }, "public subscribe failed");
        reply({ ok: false, error: "malformed" });
      }
    });
    socket.on("unsubscribe", async (room: unknown) => {
      if (typeof room === "string") await socket.leave(room);
    });
  });

  const collab = await attachCollab(io.of(COLLAB_NAMESPACE), {
    db: options.db,
    maxMessageBytes: options.config.COLLAB_MAX_MESSAGE_BYTES,
    idleSeconds: options.config.COLLAB_IDLE_SECONDS,
    compactAfter: options.config.COLLAB_COMPACT_AFTER,
    contentDelayMs: options.config.COLLAB_CONTENT_DELAY_MS,
    commitGatherMs: options.config.COLLAB_COMMIT_GATHER_MS,
    relay: options.config.COLLAB_RELAY,
    redisUrl: options.config.REDIS_URL,
  });

  let closed = false;
  return {
    io,
    collab,
    publish(room: string, event: string, payload: unknown) {
      // A job that finishes while the portal shuts down has nobody left to tell.
      if (closed) return;
      live.to(room).emit(event, payload);
      if (isPublicRoom(room)) publicSpace.to(room).emit(event, payload);
    },
    /**
     * Decides every socket in a live room again, on every instance, after a change of who may see
     * it (a list's sharing changed, the list was removed). A socket no longer allowed leaves the
     * room at once and is told with `access-lost`; the others stay.
     */
    async refreshAccess(room: string) {
      if (closed) return;
      let sockets: Awaited<ReturnType<typeof live.fetchSockets>>;
      try {
        sockets = await live.in(room).fetchSockets();
      } catch (error) {
        // Another instance did not answer (Redis away): at least this instance's sockets leave now;
        // elsewhere the next subscription is decided with the new access.
        logger.warn({ err: error, room }, "could not reach every instance to refresh a room's access");
        sockets = await live.local.in(room).fetchSockets();
      }
      const decisions = new Map<string, Promise<string>>();
      for (const socket of sockets) {
        const user = (socket.data as LiveSocket["data"]).user;
        // One decision per person: their sockets share the same memberships.
        const key = user.userId;
        if (!decisions.has(key)) decisions.set(key, authorizeRoom(options.db, user, room));
        if ((await decisions.get(key)) === "ok") continue;
        socket.leave(room);
        socket.emit(ACCESS_LOST_EVENT, { room } satisfies AccessLostPayload);
        forgetPresence(live, room, socket);
      }
    },
    disconnect(room: string) {
      live.in(room).disconnectSockets(true);
      io.of(COLLAB_NAMESPACE).in(room).disconnectSockets(true);
    },
    async close() {
      closed = true;
      // Tell clients we are going so they reconnect to another instance, then let go of Redis.
      // Only this instance's sockets: through the Redis adapter a plain disconnectSockets would
      // reach every instance and drop all their clients too.
      live.local.disconnectSockets(true);
      publicSpace.local.disconnectSockets(true);
      io.of(COLLAB_NAMESPACE).local.disconnectSockets(true);
      await collab.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (redis) await Promise.allSettled([redis.pub.quit(), redis.sub.quit()]);
    },
  };
}
