import { createCookie, redirect } from "@remix-run/node";
import { deriveSecret, randomToken } from "../auth/secrets.server";

/** A message for the next page only, such as "Mötet är skapat…" after the form has gone to the meeting. */
export type Flash = { message: string; id: string };

const FLASH_COOKIE = "sv_flash";

/**
 * The flash travels in a cookie of its own, signed with a key derived from APP_SECRET, HttpOnly,
 * living a minute: long enough for the browser to follow the redirect, short enough that a flash
 * whose page never loaded is not shown somewhere later. Sessions are rows without room for it.
 */
let cookie: ReturnType<typeof createCookie> | undefined;
function flashCookie() {
  // Made once: its key is derived from APP_SECRET, which does not change while the portal runs.
  return (cookie ??= createCookie(FLASH_COOKIE, {
    httpOnly: true,
    secure: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60,
    secrets: [Buffer.from(deriveSecret("flash-cookie", "v1", 32)).toString("hex")],
  }));
}

/** Goes to `url` and tells `message` there once, in the page's status message (see the root loader). */
export async function redirectWithFlash(url: string, message: string) {
  const flash: Flash = { message, id: randomToken(5) };
  return redirect(url, { headers: { "Set-Cookie": await flashCookie().serialize(flash) } });
}

function isFlash(value: unknown): value is Flash {
  return typeof value === "object" && value !== null && typeof (value as Flash).message === "string" && typeof (value as Flash).id === "string";
}

/**
 * The flash sent with this request, if any, and the header that clears it, so that it is shown
 * once: a reload or the back button does not tell it again. A forged or stale cookie is ignored.
 */
export async function takeFlash(request: Request): Promise<{ flash: Flash | null; headers: HeadersInit }> {
  const cookieHeader = request.headers.get("Cookie");
  if (!cookieHeader?.includes(`${FLASH_COOKIE}=`)) return { flash: null, headers: {} };
  const value: unknown = await flashCookie().parse(cookieHeader);
  return { flash: isFlash(value) ? value : null, headers: { "Set-Cookie": await flashCookie().serialize("", { maxAge: 0 }) } };
}
