import http from "node:http";
import type { AddressInfo } from "node:net";

/** An attachment as Resend receives it: base64 content, snake_case fields. */
export type StubAttachment = { filename?: string; content_type?: string; content?: string };
export type StubRequest = { idempotencyKey: string | null; to: string[]; subject: string; text: string; attachments?: StubAttachment[] };

/**
 * A local stand-in for the Resend HTTP API (POST /emails). Like Resend, a second request with
 * an idempotency key it has seen returns the first answer and delivers nothing new.
 */
export async function startResendStub(options: { delayMs?: number; failFirst?: number } = {}) {
  const requests: StubRequest[] = [];
  const deliveries = new Map<string, StubRequest>();
  let failuresLeft = options.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ name: "not_found", message: "Not found", statusCode: 404 }));
        return;
      }
      const payload = JSON.parse(body) as { to: string[]; subject: string; text: string; attachments?: StubAttachment[] };
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const request = { idempotencyKey: key, to: payload.to, subject: payload.subject, text: payload.text, attachments: payload.attachments ?? [] };
      requests.push(request);
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ name: "internal_server_error", message: "Temporary failure", statusCode: 500 }));
        return;
      }
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (key && !deliveries.has(key)) deliveries.set(key, request);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `stub-${key ?? requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
