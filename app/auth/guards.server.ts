import { redirect, type AppLoadContext } from "@remix-run/node";
import type { ValidSession } from "./session.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    session: ValidSession | null;
    ip: string;
  }
}

/** The signed-in person, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(context: AppLoadContext, request: Request) {
  if (context.session) return context.session.user;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" ? "/logga-in" : `/logga-in?till=${encodeURIComponent(back)}`);
}

export function optionalUser(context: AppLoadContext) {
  return context.session?.user ?? null;
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeRedirectTarget(value: unknown, fallback = "/") {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
