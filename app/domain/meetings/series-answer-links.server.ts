import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { uuidPattern } from "../http-errors";
import type { MeetingAnswer, VerifiedAnswer } from "./answer-links.server";

type SeriesAnswerClaim = { seriesId: string; inviteeId: string; answer: MeetingAnswer; expires: Date };

function signature(seriesId: string, inviteeId: string, answer: string, expiresSeconds: number) {
  // Its own derivation label: a series token never verifies as a single meeting's token, nor the reverse.
  return encodeBase32LowerCaseNoPadding(deriveSecret("meeting-series-answer", `${seriesId}:${inviteeId}:${answer}:${expiresSeconds}`));
}

/** `<series>.<series invitee>.<answer>.<expiry>.<HMAC>`, like a meeting's answer link but for every coming meeting of a series. */
export function seriesAnswerToken(claim: SeriesAnswerClaim) {
  const expiresSeconds = Math.floor(claim.expires.getTime() / 1000);
  return [claim.seriesId, claim.inviteeId, claim.answer, expiresSeconds, signature(claim.seriesId, claim.inviteeId, claim.answer, expiresSeconds)].join(".");
}

export function seriesAnswerLink(claim: SeriesAnswerClaim) {
  return `${config().baseUrl}/svar/serie/${seriesAnswerToken(claim)}`;
}

export type VerifiedSeriesAnswer = { ok: true; seriesId: string; inviteeId: string; answer: MeetingAnswer; expires: Date } | Extract<VerifiedAnswer, { ok: false }>;

/** Checks a token's form and signature (in constant time), then its expiry. */
export function verifySeriesAnswerToken(token: string, now = Date.now()): VerifiedSeriesAnswer {
  if (token.length > 200) return { ok: false, reason: "invalid" };
  const parts = token.split(".");
  if (parts.length !== 5) return { ok: false, reason: "invalid" };
  const [seriesId, inviteeId, answer, expiresText, given] = parts;
  if (!uuidPattern.test(seriesId) || !uuidPattern.test(inviteeId)) return { ok: false, reason: "invalid" };
  if (answer !== "ja" && answer !== "nej" && answer !== "kanske") return { ok: false, reason: "invalid" };
  if (!/^\d{1,12}$/.test(expiresText)) return { ok: false, reason: "invalid" };
  const expiresSeconds = Number(expiresText);
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(signature(seriesId, inviteeId, answer, expiresSeconds)))) return { ok: false, reason: "invalid" };
  if (expiresSeconds * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, seriesId: seriesId.toLowerCase(), inviteeId: inviteeId.toLowerCase(), answer, expires: new Date(expiresSeconds * 1000) };
}
