import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentBytes } from "../../emails/templates";
import { notFound, requireId } from "../domain/http-errors";
import { readOutboxEmail } from "../domain/mail/outbox.server";
import { db } from "../server/portal.server";

/** One attachment of a mail in the local outbox, rendered from the stored props like the mail itself. */
export async function loader({ params }: LoaderFunctionArgs) {
  const { rendered } = await readOutboxEmail(db(), requireId(params.id));
  const index = /^\d{1,2}$/.test(params.index ?? "") ? Number(params.index) : -1;
  const file = rendered.attachments[index];
  if (!file) throw notFound("Bilagan finns inte.");
  return new Response(attachmentBytes(file), {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "no-store",
    },
  });
}
