/** Liveness probe and the benchmark's floor: an empty route through the same server and Remix. */
export function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
