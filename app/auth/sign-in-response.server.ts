import { data, redirect } from "@remix-run/node";
import { signInFailureMessages, type SignInFailure } from "../domain/auth/sign-in.server";
import { safeRedirectTarget } from "./guards.server";
import { sessionCookie } from "./session.server";

type Outcome = { ok: true; token: string } | { ok: false; reason: SignInFailure };

/** A successful sign-in sets the cookie and goes on; a failure explains itself in Swedish. */
export function signInResponse(outcome: Outcome, target: unknown) {
  if (outcome.ok) {
    return redirect(safeRedirectTarget(target), { headers: { "Set-Cookie": sessionCookie(outcome.token) } });
  }
  return data(
    { failure: outcome.reason, message: signInFailureMessages[outcome.reason], fieldErrors: {} as Record<string, string> },
    { status: outcome.reason === "invalid" ? 400 : 410 },
  );
}
