import { eq, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../db/client";
import { sessions } from "../../db/schema";
import type { Actor, OrganisationRole } from "../domain/policy";
import { config } from "../server/config.server";
import { hashSecret, randomToken, secretMatches } from "./secrets.server";

export const SESSION_COOKIE = "sv_session";
/** A session used within this long is not written again (throttled refresh). */
const REFRESH_INTERVAL_MS = 60 * 60 * 1000;

export type SessionUser = Omit<Actor, "memberships"> & {
  email: string;
  title: string;
  memberships: ReadonlyArray<{ organisationId: string; organisationName: string; role: OrganisationRole }>;
};

export type ValidSession = { id: string; user: SessionUser; refreshed: boolean };

function inactivityMs() {
  return config().SESSION_INACTIVITY_HOURS * 60 * 60 * 1000;
}

/** Creates a session and returns its cookie token, `id.secret`; only the secret's hash is stored. */
export async function createSession(db: Queryable, userId: string, userAgent = "") {
  const id = randomToken();
  const secret = randomToken(20);
  await db.insert(sessions).values({ id, userId, secretHash: hashSecret(secret), userAgent: userAgent.slice(0, 300) });
  return { id, token: `${id}.${secret}` };
}

type SessionRow = {
  id: string;
  secret_hash: Uint8Array;
  last_verified_at: string | Date;
  user_id: string;
  name: string;
  email: string;
  title: string;
  is_system_admin: boolean;
  memberships: Array<{ organisationId: string; organisationName: string; role: OrganisationRole }>;
};

/**
 * Checks a cookie token: the session exists, its secret matches in constant time, the person
 * is active, and it has been used within the inactivity window. Refreshes at most once an hour.
 */
export async function validateSessionToken(db: Db, token: string | undefined): Promise<ValidSession | null> {
  if (!token) return null;
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[a-z2-7]{1,64}$/.test(parts[0]) || !/^[a-z2-7]{1,64}$/.test(parts[1])) return null;
  const [id, secret] = parts;
  const result = await db.execute(sql`
    select s.id, s.secret_hash, s.last_verified_at, u.id as user_id, u.name, u.email, u.title, u.is_system_admin,
      coalesce((select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name, 'role', m.role) order by o.name)
        from memberships m join organisations o on o.id = m.organisation_id where m.user_id = u.id), '[]'::json) as memberships
    from sessions s join users u on u.id = s.user_id
    where s.id = ${id} and u.status = 'active'`);
  const row = (result as unknown as { rows: SessionRow[] }).rows[0];
  if (!row) return null;
  const secretHash = row.secret_hash instanceof Uint8Array ? row.secret_hash : new Uint8Array(row.secret_hash as ArrayLike<number>);
  if (!secretMatches(secret, secretHash)) return null;
  const now = Date.now();
  const lastVerified = new Date(row.last_verified_at).getTime();
  if (now - lastVerified >= inactivityMs()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let refreshed = false;
  if (now - lastVerified >= REFRESH_INTERVAL_MS) {
    await db.update(sessions).set({ lastVerifiedAt: new Date(now) }).where(eq(sessions.id, id));
    refreshed = true;
  }
  return {
    id,
    refreshed,
    user: {
      userId: row.user_id,
      name: row.name,
      email: row.email,
      title: row.title,
      isSystemAdmin: row.is_system_admin,
      memberships: row.memberships,
    },
  };
}

export async function invalidateSession(db: Queryable, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateAllSessions(db: Queryable, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export function sessionCookie(token: string) {
  const maxAge = Math.floor(inactivityMs() / 1000);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${maxAge}`;
}

export function clearedSessionCookie() {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export function readSessionToken(cookieHeader: string | null | undefined) {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}
