import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "../format";
import { requireId } from "../domain/http-errors";
import { readOutboxEmail } from "../domain/mail/outbox.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Mejl i utkorgen – Samverkansportalen" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const { row, rendered, links } = await readOutboxEmail(db(), requireId(params.id));
  return {
    id: row.id,
    to: row.toAddress,
    createdAt: formatDateTime(row.createdAt),
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    links,
    attachments: rendered.attachments.map((file, index) => ({ index, filename: file.filename, contentType: file.contentType, size: file.encoding === "base64" ? Buffer.from(file.content, "base64").length : Buffer.byteLength(file.content, "utf8") })),
  };
}

export default function OutboxMailPage() {
  const mail = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p>
        <Link to="/dev/mail">← Tillbaka till utkorgen</Link>
      </p>
      <h1>{mail.subject}</h1>
      <p className="muted">
        Till {mail.to} · {mail.createdAt}
      </p>
      {mail.links.length ? (
        <section aria-labelledby="links-heading" className="card">
          <h2 id="links-heading">Länkar i mejlet</h2>
          <ul>
            {mail.links.map((link) => (
              <li key={link.href}>
                <a href={link.href}>{link.text}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {mail.attachments.length ? (
        <section aria-labelledby="attachments-heading" className="card">
          <h2 id="attachments-heading">Bilagor</h2>
          <ul>
            {mail.attachments.map((file) => (
              <li key={file.index}>
                <a href={`/dev/mail/${mail.id}/bilagor/${file.index}`} download={file.filename}>
                  {file.filename}
                </a>{" "}
                <span className="muted">
                  ({file.contentType.split(";")[0]}, {file.size} byte)
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>Som HTML</h2>
      <iframe title={`Mejlet ${mail.subject}`} className="mail-frame" srcDoc={mail.html} sandbox="" />
      <h2>Som text</h2>
      <pre className="card" style={{ whiteSpace: "pre-wrap" }}>{mail.text}</pre>
    </div>
  );
}
