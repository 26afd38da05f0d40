import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { config } from "../server/config.server";
import { singleton } from "../server/singleton.server";

/** A random string with 120 bits of entropy, in lower-case base32 (safe in URLs and cookies). */
export function randomToken(bytes = 15) {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export function secretMatches(secret: string, storedHash: Uint8Array) {
  return constantTimeEqual(hashSecret(secret), storedHash);
}

/**
 * The server's key for values it derives rather than stores (sign-in links and codes).
 * APP_SECRET when set; otherwise one generated once and kept in the data directory.
 */
export function appSecret(): string {
  return singleton("app-secret", () => {
    const configured = config().APP_SECRET;
    if (configured) return configured;
    const file = path.resolve(config().DATA_DIR, "app-secret");
    try {
      return fs.readFileSync(file, "utf8").trim();
    } catch {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const generated = crypto.randomBytes(32).toString("hex");
      fs.writeFileSync(file, generated, { mode: 0o600, flag: "wx" });
      return fs.readFileSync(file, "utf8").trim();
    }
  });
}

export function deriveSecret(purpose: string, id: string, bytes = 20): Uint8Array {
  return new Uint8Array(crypto.createHmac("sha256", appSecret()).update(`${purpose}:${id}`).digest()).slice(0, bytes);
}
