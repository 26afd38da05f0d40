import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { organisations, signInTokens, users } from "../../../db/schema";
import { consumeRateLimit } from "../../auth/rate-limit.server";
import { deriveSecret, hashSecret } from "../../auth/secrets.server";
import { createSession } from "../../auth/session.server";
import { formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { recordAudit } from "../audit/audit.server";
import { emailSchema } from "../email-address";
import { dispatchEmails, queueEmail } from "../mail/mail.server";

const SIGN_IN_TTL_MS = 15 * 60 * 1000;
const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_CODE_ATTEMPTS = 5;

export { emailSchema };

export const codeSchema = z
  .string({ error: "Ange koden från mejlet." })
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{8}$/, "Koden består av åtta siffror."));

/** The link secret and the code are derived from the token id with the server key, never stored. */
function secretsFor(tokenId: string) {
  const linkSecret = encodeBase32LowerCaseNoPadding(deriveSecret("sign-in-link", tokenId));
  const codeNumber = new DataView(deriveSecret("sign-in-code", tokenId, 8).buffer).getBigUint64(0) % 100_000_000n;
  return { linkSecret, code: codeNumber.toString().padStart(8, "0") };
}

export function signInLink(tokenId: string) {
  return `${config().baseUrl}/logga-in/lank?token=${tokenId}.${secretsFor(tokenId).linkSecret}`;
}

/** Creates a single-use sign-in token (stored hashed) and queues its mail in the same transaction. */
export async function issueSignInToken(
  tx: Queryable,
  user: { id: string; email: string },
  options: { purpose: "sign_in" | "invitation"; invitedBy?: string; organisationName?: string },
) {
  const id = crypto.randomUUID();
  const { linkSecret, code } = secretsFor(id);
  const ttl = options.purpose === "invitation" ? INVITATION_TTL_MS : SIGN_IN_TTL_MS;
  await tx.insert(signInTokens).values({
    id,
    userId: user.id,
    purpose: options.purpose,
    linkHash: hashSecret(linkSecret),
    codeHash: hashSecret(code),
    expiresAt: new Date(Date.now() + ttl),
  });
  return queueEmail(tx, {
    template: "sign-in",
    to: user.email,
    subject: options.purpose === "invitation" ? "Inbjudan till Samverkansportalen" : "Logga in i Samverkansportalen",
    props: { tokenId: id, invitedBy: options.invitedBy, organisationName: options.organisationName },
    idempotencyKey: `sign-in:${id}`,
  });
}

export type SignInEmailStored = { tokenId: string; invitedBy?: string; organisationName?: string };

export async function loadSignInEmail(db: Db, stored: SignInEmailStored) {
  const [row] = await db
    .select({ name: users.name, expiresAt: signInTokens.expiresAt })
    .from(signInTokens)
    .innerJoin(users, eq(users.id, signInTokens.userId))
    .where(eq(signInTokens.id, stored.tokenId));
  if (!row) return null;
  return {
    name: row.name,
    link: signInLink(stored.tokenId),
    code: secretsFor(stored.tokenId).code,
    expiresAt: formatDateTime(row.expiresAt),
    invitedBy: stored.invitedBy,
    organisationName: stored.organisationName,
  };
}

/**
 * Sends a sign-in link and code to a known, active or invited address. The answer is the same
 * whether or not the address is known, so that the form does not reveal who has an account.
 */
export async function requestSignIn(db: Db, input: { email: string; ip: string }) {
  await consumeRateLimit(db, "signInIp", input.ip);
  await consumeRateLimit(db, "signInAddress", input.email);
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.email, input.email), sql`${users.status} in ('active', 'invited')`));
  if (!user) return;
  const emailId = await db.transaction((tx) => issueSignInToken(tx, user, { purpose: "sign_in" }));
  await dispatchEmails([emailId]);
}

export type SignInFailure = "invalid" | "used" | "expired" | "inactive";

export const signInFailureMessages: Record<SignInFailure, string> = {
  invalid: "Länken eller koden stämmer inte. Kontrollera att du använder hela länken från det senaste mejlet.",
  used: "Länken eller koden har redan använts. Varje inloggningslänk fungerar bara en gång.",
  expired: "Länken eller koden har gått ut. Den gäller i 15 minuter (inbjudningar i 7 dagar).",
  inactive: "Kontot är inte aktivt. Kontakta en administratör i din organisation.",
};

type Consumed = { ok: true; token: string; userId: string } | { ok: false; reason: SignInFailure };

/** Marks the token used (exactly once, also under concurrent clicks) and opens a session. */
async function consumeToken(db: Db, tokenId: string, userAgent: string): Promise<Consumed> {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(signInTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(signInTokens.id, tokenId), isNull(signInTokens.usedAt), gt(signInTokens.expiresAt, new Date())))
      .returning({ userId: signInTokens.userId, purpose: signInTokens.purpose });
    if (!used) return { ok: false, reason: "used" } as const;
    const [user] = await tx
      .select({ id: users.id, name: users.name, status: users.status })
      .from(users)
      .where(eq(users.id, used.userId));
    if (!user || (user.status !== "active" && user.status !== "invited")) return { ok: false, reason: "inactive" } as const;
    await tx
      .update(users)
      .set({ status: "active", lastSignInAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, user.id));
    if (user.status === "invited") {
      await recordAudit(tx, {
        actor: { userId: user.id, name: user.name, isSystemAdmin: false, memberships: [] },
        action: "person.activate",
        entityType: "person",
        entityId: user.id,
        summary: `${user.name} loggade in första gången och kontot aktiverades`,
        before: { status: "invited" },
        after: { status: "active" },
      });
    }
    const session = await createSession(tx, user.id, userAgent);
    return { ok: true, token: session.token, userId: user.id } as const;
  });
}

function classify(row: { usedAt: Date | null; expiresAt: Date } | undefined): SignInFailure | null {
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= Date.now()) return "expired";
  return null;
}

export async function signInWithLink(db: Db, token: string, userAgent: string): Promise<Consumed> {
  const match = /^([0-9a-f-]{36})\.([a-z2-7]{20,64})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const [, tokenId, secret] = match;
  const [row] = await db.select().from(signInTokens).where(eq(signInTokens.id, tokenId));
  if (!row || !constantTimeEqual(hashSecret(secret), new Uint8Array(row.linkHash))) return { ok: false, reason: "invalid" };
  const failure = classify(row);
  if (failure) return { ok: false, reason: failure };
  return consumeToken(db, tokenId, userAgent);
}

/** The code typed on another device: checked against the address's newest open token. */
export async function signInWithCode(db: Db, input: { email: string; code: string; ip: string; userAgent: string }): Promise<Consumed> {
  await consumeRateLimit(db, "codeAttempts", input.email);
  const [row] = await db
    .select({ token: signInTokens })
    .from(signInTokens)
    .innerJoin(users, eq(users.id, signInTokens.userId))
    .where(eq(users.email, input.email))
    .orderBy(desc(signInTokens.createdAt))
    .limit(1);
  const token = row?.token;
  const failure = classify(token);
  if (!token || failure) return { ok: false, reason: failure ?? "invalid" };
  const [counted] = await db
    .update(signInTokens)
    .set({ attempts: sql`${signInTokens.attempts} + 1` })
    .where(eq(signInTokens.id, token.id))
    .returning({ attempts: signInTokens.attempts });
  if (counted.attempts > MAX_CODE_ATTEMPTS) return { ok: false, reason: "expired" };
  if (!constantTimeEqual(hashSecret(input.code), new Uint8Array(token.codeHash))) return { ok: false, reason: "invalid" };
  return consumeToken(db, token.id, input.userAgent);
}

export async function organisationName(db: Queryable, id: string) {
  const [row] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return row?.name;
}
