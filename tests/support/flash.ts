import { DomUtils, parseDocument } from "htmlparser2";

/** The Set-Cookie line for the one-time message (app/server/flash.server.ts) in a response, if any. */
export function flashSetCookie(response: Response) {
  return response.headers.getSetCookie().find((line) => line.startsWith("sv_flash="));
}

/** The flash cookie as a browser sends it back after a redirect that set it (`sv_flash=…`). */
export function flashCookieOf(response: Response) {
  const line = flashSetCookie(response);
  if (!line) throw new Error("the response sets no flash cookie");
  return line.split(";")[0];
}

/**
 * The page's status message (the Announcer, app/components/ui/announcer.tsx) as the server drew
 * it, which is what a browser without JavaScript shows: its text, or null when it is hidden.
 */
export function statusMessage(html: string) {
  const region = DomUtils.findOne((element) => (element.attribs.class ?? "").split(" ").includes("announcer"), parseDocument(html).children);
  if (!region) throw new Error("the page has no status message region");
  if (region.attribs.role !== "status") throw new Error(`the status message region has role=${region.attribs.role}`);
  if (region.attribs.hidden !== undefined) return null;
  const message = DomUtils.findOne((element) => element.name === "span", region.children);
  return message ? DomUtils.textContent(message) : null;
}

