import icon from "../assets/icon.svg?raw";

/**
 * Browsers and tools ask for /favicon.ico whether or not a page names its icon (pages link the
 * same icon as a hashed asset from root.tsx). The address is not content-hashed, so it is cached
 * for a week rather than for good.
 */
export function loader() {
  return new Response(icon, {
    headers: {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=604800",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
