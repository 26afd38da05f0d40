import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { uuidPattern } from "../http-errors";

/** A poll link still opens (read-only, showing the outcome) for 30 days after the poll closed for answers. */
const POLL_LINK_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

export function pollLinkExpiry(closesAt: Date) {
  return new Date(closesAt.getTime() + POLL_LINK_GRACE_MS);
}

type PollClaim = { pollId: string; participantId: string; expires: Date };

function signature(pollId: string, participantId: string, expiresSeconds: number) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("poll-answer", `${pollId}:${participantId}:${expiresSeconds}`));
}

/**
 * `<poll>.<participant>.<expiry>.<HMAC>`: one person's answers to one poll, signed with the server
 * key and derived again whenever a mail is rendered, never stored.
 */
export function pollToken(claim: PollClaim) {
  const expiresSeconds = Math.floor(claim.expires.getTime() / 1000);
  return [claim.pollId, claim.participantId, expiresSeconds, signature(claim.pollId, claim.participantId, expiresSeconds)].join(".");
}

export function pollLink(claim: PollClaim) {
  return `${config().baseUrl}/tidsforslag/svar/${pollToken(claim)}`;
}

export type VerifiedPollToken = { ok: true; pollId: string; participantId: string; expires: Date } | { ok: false; reason: "invalid" | "expired" };

/** Checks a token's form and signature (in constant time), then its expiry. */
export function verifyPollToken(token: string, now = Date.now()): VerifiedPollToken {
  if (token.length > 200) return { ok: false, reason: "invalid" };
  const parts = token.split(".");
  if (parts.length !== 4) return { ok: false, reason: "invalid" };
  const [pollId, participantId, expiresText, given] = parts;
  if (!uuidPattern.test(pollId) || !uuidPattern.test(participantId)) return { ok: false, reason: "invalid" };
  if (!/^\d{1,12}$/.test(expiresText)) return { ok: false, reason: "invalid" };
  const expiresSeconds = Number(expiresText);
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(signature(pollId, participantId, expiresSeconds)))) return { ok: false, reason: "invalid" };
  if (expiresSeconds * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, pollId: pollId.toLowerCase(), participantId: participantId.toLowerCase(), expires: new Date(expiresSeconds * 1000) };
}
