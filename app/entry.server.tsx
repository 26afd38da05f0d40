import { Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { CONFIRMED_PARAM } from "./components/ui/confirm-button";
import { redirectWithFlash } from "./server/flash.server";
import { logger } from "./server/logger.server";

/**
 * A guard against a render that never finishes, not a deadline for a slow one: the timer starts
 * when rendering starts, but the loader data is written into the page in steps that each wait
 * for the event loop. During a burst (hundreds of registrations at once) that wait can exceed
 * five seconds, and aborting then answered a completed registration with status 500 and a page
 * whose data was cut short.
 */
const ABORT_DELAY_MS = 30_000;

/**
 * The context with a route manifest of only the routes this page matched (root first). The server
 * renders nothing else, while React Router builds and matches every route it is given again on
 * each render: with all of the portal's routes that is a large part of a page's time. The browser
 * is not affected: it loads the whole manifest from its own file (lazy route discovery is off, see
 * docs/decisions/0027-start-page-throughput.md).
 */
function withMatchedRoutes(context: EntryContext): EntryContext {
  if (context.future.v3_lazyRouteDiscovery) return context;
  const routes: EntryContext["manifest"]["routes"] = {};
  for (const match of context.staticHandlerContext.matches) {
    const route = context.manifest.routes[match.route.id];
    if (route) routes[match.route.id] = route;
  }
  return { ...context, manifest: { ...context.manifest, routes } };
}

/**
 * React 18's server renderer (up to 18.3.1) writes a whole 2048-byte buffer when a multi-byte
 * character does not fit at its end, zero bytes of the unfilled tail included: "Bedömning" could
 * reach the browser as "Bed\0ömning". No page has a zero byte of its own (PostgreSQL text cannot
 * hold one), so every zero byte is that padding and is dropped.
 */
function withoutNulBytes(body: Buffer<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return body.includes(0) ? new Uint8Array(body.filter((byte) => byte !== 0)) : body;
}

/**
 * A confirmation posted without JavaScript (see `ConfirmButton`): back to the page with a GET, the
 * action's message (what was done, or why it was refused; the message a script would have shown
 * beside the button) as the page's status message. An action that threw (403, say) renders its
 * error page as usual.
 */
function afterConfirmation(request: Request, remixContext: EntryContext) {
  if (request.method !== "POST") return null;
  const url = new URL(request.url);
  if (!url.searchParams.has(CONFIRMED_PARAM)) return null;
  const outcome = Object.values(remixContext.staticHandlerContext.actionData ?? {})[0] as { ok?: unknown; message?: unknown } | undefined;
  if (typeof outcome?.ok !== "boolean" || typeof outcome.message !== "string") return null;
  url.searchParams.delete(CONFIRMED_PARAM);
  return redirectWithFlash(url.pathname + url.search, outcome.message);
}

/**
 * Renders the whole page before answering. The portal's pages have no deferred data, so nothing
 * is gained by streaming; collecting the HTML into one body spares a Node → web → Node stream
 * round trip per response, and the abort timer is cleared as soon as the page is done.
 */
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const confirmed = afterConfirmation(request, remixContext);
  if (confirmed) return confirmed;
  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={withMatchedRoutes(remixContext)} url={request.url} abortDelay={ABORT_DELAY_MS} />, {
      onAllReady() {
        shellRendered = true;
        const chunks: Buffer[] = [];
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              chunks.push(chunk);
              callback();
            },
            final(callback) {
              clearTimeout(timer);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              resolve(new Response(withoutNulBytes(Buffer.concat(chunks)), { status, headers: responseHeaders }));
              callback();
            },
          }),
        );
      },
      onShellError(error: unknown) {
        clearTimeout(timer);
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        // Errors before the shell is ready reject above and are logged by the request handler.
        if (shellRendered) logger.error({ err: error }, "render failed");
      },
    });
    const timer = setTimeout(abort, ABORT_DELAY_MS);
  });
}
