import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { deriveSecret } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { uuidPattern } from "../http-errors";

/** A manage link works until 30 days after the day has ended. */
const MANAGE_LINK_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

export function manageExpiry(endsAt: Date) {
  return new Date(endsAt.getTime() + MANAGE_LINK_GRACE_MS);
}

type ManageClaim = { registrationId: string; expires: Date };

function signature(registrationId: string, expiresSeconds: number) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("kunskapsdag-manage", `${registrationId}:${expiresSeconds}`));
}

/** `<registration>.<expiry>.<HMAC>`: bound to one registration, derived at send time and never stored. */
export function manageToken(claim: ManageClaim) {
  const expiresSeconds = Math.floor(claim.expires.getTime() / 1000);
  return [claim.registrationId, expiresSeconds, signature(claim.registrationId, expiresSeconds)].join(".");
}

export function manageLink(claim: ManageClaim) {
  return `${config().baseUrl}/kunskapsdagar/anmalan/${manageToken(claim)}`;
}

export type VerifiedManage = { ok: true; registrationId: string; expires: Date } | { ok: false; reason: "invalid" | "expired" };

/** Checks a token's form and signature (in constant time), then its expiry. */
export function verifyManageToken(token: string, now = Date.now()): VerifiedManage {
  if (token.length > 200) return { ok: false, reason: "invalid" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid" };
  const [registrationId, expiresText, given] = parts;
  if (!uuidPattern.test(registrationId) || !/^\d{1,12}$/.test(expiresText)) return { ok: false, reason: "invalid" };
  const expiresSeconds = Number(expiresText);
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(given), encoder.encode(signature(registrationId, expiresSeconds)))) return { ok: false, reason: "invalid" };
  if (expiresSeconds * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, registrationId: registrationId.toLowerCase(), expires: new Date(expiresSeconds * 1000) };
}
