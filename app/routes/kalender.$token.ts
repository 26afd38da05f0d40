import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFeed, FeedRateLimited } from "../domain/calendar/calendar-feed.server";
import { db } from "../server/portal.server";

/**
 * A person's calendar subscription, fetched by calendar programs without a session. An unknown,
 * revoked or malformed token and a deactivated person all get the same bare 404.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  let feed: Awaited<ReturnType<typeof calendarFeed>>;
  try {
    feed = await calendarFeed(db(), params.token ?? "");
  } catch (error) {
    if (error instanceof FeedRateLimited) {
      return new Response("För många hämtningar. Försök igen senare.", {
        status: 429,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(error.retryAfterSeconds) },
      });
    }
    throw error;
  }
  if (!feed) return new Response("Finns inte.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  return new Response(feed.body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="samverkansportalen.ics"',
      // Personal: calendar programs may keep it a while, shared caches never.
      "Cache-Control": `private, max-age=${feed.cacheSeconds}`,
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
    },
  });
}
