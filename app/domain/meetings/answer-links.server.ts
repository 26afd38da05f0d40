import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { uuidPattern } from "../http-errors";

export type MeetingAnswer = "ja" | "nej" | "kanske";

/** Answer links work until 30 days after the meeting has ended. */
const ANSWER_LINK_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

export function answerExpiry(endsAt: Date) {
  return new Date(endsAt.getTime() + ANSWER_LINK_GRACE_MS);
}

type AnswerClaim = { meetingId: string; inviteeId: string; answer: MeetingAnswer; expires: Date };

function signature(claim: Omit<AnswerClaim, "expires"> & { expiresSeconds: number }) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("meeting-answer", `${claim.meetingId}:${claim.inviteeId}:${claim.answer}:${claim.expiresSeconds}`));
}

/**
 * `<meeting>.<invitee>.<answer>.<expiry>.<HMAC>`: bound to one invitation of one meeting and one
 * answer, signed with the server key and derived again at send time, never stored.
 */
export function answerToken(claim: AnswerClaim) {
  const expiresSeconds = Math.floor(claim.expires.getTime() / 1000);
  return [claim.meetingId, claim.inviteeId, claim.answer, expiresSeconds, signature({ ...claim, expiresSeconds })].join(".");
}

export function answerLink(claim: AnswerClaim) {
  return `${config().baseUrl}/svar/${answerToken(claim)}`;
}

export type VerifiedAnswer =
  | { ok: true; meetingId: string; inviteeId: string; answer: MeetingAnswer; expires: Date }
  | { ok: false; reason: "invalid" | "expired" };

/** Checks a token's form and signature (in constant time), then its expiry. */
export function verifyAnswerToken(token: string, now = Date.now()): VerifiedAnswer {
  if (token.length > 200) return { ok: false, reason: "invalid" };
  const parts = token.split(".");
  if (parts.length !== 5) return { ok: false, reason: "invalid" };
  const [meetingId, inviteeId, answer, expiresText, given] = parts;
  if (!uuidPattern.test(meetingId) || !uuidPattern.test(inviteeId)) return { ok: false, reason: "invalid" };
  if (answer !== "ja" && answer !== "nej" && answer !== "kanske") return { ok: false, reason: "invalid" };
  if (!/^\d{1,12}$/.test(expiresText)) return { ok: false, reason: "invalid" };
  const expiresSeconds = Number(expiresText);
  const expected = signature({ meetingId, inviteeId, answer, expiresSeconds });
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(expected))) return { ok: false, reason: "invalid" };
  if (expiresSeconds * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, meetingId: meetingId.toLowerCase(), inviteeId: inviteeId.toLowerCase(), answer, expires: new Date(expiresSeconds * 1000) };
}
