import type PgBoss from "pg-boss";
import type { Database, Db } from "../../db/client";
import type { CollabHub } from "../../realtime/collab/hub";
import type { Config } from "./config.server";
import { singleton } from "./singleton.server";

/** Pushes an event to everyone subscribed to a live room (no-op until the socket server is up). */
export type Publish = (room: string, event: string, payload: unknown) => void;

export type Portal = {
  config: Config;
  database: Database;
  db: Db;
  queue: PgBoss;
  publish: Publish;
  /** Decides every socket in a live room again (on every instance); those no longer allowed leave it and are told. */
  refreshLiveAccess: (room: string) => Promise<void>;
  /** Closes every live connection in a room, on every instance (e.g. a person's after sign-out). */
  disconnect: (room: string) => void;
  /** The co-edited notes documents: server-made changes and access changes reach connected clients. */
  collab: CollabHub;
};

const holder = () => singleton("portal", () => ({ current: undefined as Portal | undefined }));

export function setPortal(portal: Portal | undefined) {
  holder().current = portal;
}

/** The running portal's database, queue and live channel; set by the server entry at start. */
export function portal(): Portal {
  const current = holder().current;
  if (!current) throw new Error("The portal has not been started (startPortal).");
  return current;
}

export type { CollabHub };

export function db(): Db {
  return portal().db;
}

/**
 * Closes the live connections in a room when a portal runs in this process; from the admin
 * command there is none, and sockets elsewhere find the ended session at their next subscription.
 */
export function disconnectLive(room: string) {
  holder().current?.disconnect(room);
}

/**
 * Re-decides who may stay in a live room after its access changed, when a portal runs in this
 * process (from the admin command there is none; sockets elsewhere are decided again at their
 * next subscription).
 */
export async function refreshLiveAccess(room: string) {
  await holder().current?.refreshLiveAccess(room);
}
