import type { NextFunction, Request, Response } from "express";
import type { Config } from "./config.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function refuse(res: Response, status: number, error: string, message: string) {
  res.status(status).type("application/json").send(JSON.stringify({ error, message }));
}

/**
 * CSRF defence after Lucia's guide: a write must come from our own origin, told by the Origin
 * header or, where a browser leaves it out, by Sec-Fetch-Site.
 */
export function originCheck(config: Config) {
  const allowed = new Set([new URL(config.baseUrl).origin]);
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const host = req.get("host");
    const sameHost = origin !== undefined && host !== undefined && safeHost(origin) === host;
    if (origin && (allowed.has(origin) || sameHost)) return next();
    if (!origin && req.get("sec-fetch-site") === "same-origin") return next();
    refuse(res, 403, "forbidden_origin", "Begäran kom inte från portalen och stoppades. Ladda om sidan och försök igen.");
  };
}

function safeHost(origin: string) {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Refuses bodies over the limit before anyone reads them. */
export function bodyLimit(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.get("content-length") ?? 0);
    if (declared > config.MAX_BODY_BYTES) {
      return refuse(res, 413, "too_large", "Det du skickade är för stort.");
    }
    if (SAFE_METHODS.has(req.method) || req.get("content-length")) return next();
    // A chunked body without a declared length is counted as it arrives.
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > config.MAX_BODY_BYTES && !res.headersSent) {
        refuse(res, 413, "too_large", "Det du skickade är för stort.");
        req.destroy();
      }
    });
    next();
  };
}

/** Paths with encoded slashes, dot segments or NUL bytes never reach a route. */
export function pathCheck(req: Request, res: Response, next: NextFunction) {
  const raw = req.originalUrl.split("?")[0];
  if (/%2f|%5c|%00|\\|\0/i.test(raw) || /(^|\/)\.\.?(\/|$)/.test(raw) || /%2e%2e/i.test(raw)) {
    return refuse(res, 400, "bad_path", "Adressen är ogiltig.");
  }
  try {
    decodeURIComponent(raw);
  } catch {
    return refuse(res, 400, "bad_path", "Adressen är ogiltig.");
  }
  next();
}

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
  next();
}
