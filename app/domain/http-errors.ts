/** Domain commands throw these; Remix shows them as Swedish error pages, sockets and jobs map the status. */
export function notFound(message = "Sidan eller uppgiften finns inte, eller så har du inte tillgång till den.") {
  return Response.json({ error: "not_found", message }, { status: 404 });
}

export function badRequest(message: string, fieldErrors?: Record<string, string>) {
  return Response.json({ error: "bad_request", message, fieldErrors }, { status: 400 });
}

export function conflict(message: string, fieldErrors?: Record<string, string>) {
  return Response.json({ error: "conflict", message, fieldErrors }, { status: 409 });
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route parameters that are not ids are answered like any missing record. */
export function requireId(value: string | undefined) {
  if (!value || !uuidPattern.test(value)) throw notFound();
  return value.toLowerCase();
}
