import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "../auth/guards.server";
import { liveStatusText, useLiveRoom } from "../components/live";
import { useAnnounce } from "../components/ui/announcer";
import { FormOutcome } from "../components/ui/field";
import { TableRegion } from "../components/ui/table-region";
import { uuidPattern } from "../domain/http-errors";
import { countEmailsByStatus, listEmails, retryEmail } from "../domain/mail/mail.server";
import { MAIL_ROOM } from "../domain/mail/rooms";
import { authorize } from "../domain/policy";
import { formatDateTime } from "../format";
import { asFormResult } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "E-postkö – Samverkansportalen" }];

const statusLabels = { queued: "I kö", sending: "Skickas", sent: "Skickat", dead: "Kunde inte levereras" } as const;
type Status = keyof typeof statusLabels;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "system.manageMail", { type: "system" });
  const requested = new URL(request.url).searchParams.get("status");
  const status = requested && requested in statusLabels ? (requested as Status) : undefined;
  const [mails, counts] = await Promise.all([listEmails(db(), user, { status }), countEmailsByStatus(db())]);
  return {
    status: status ?? "",
    counts,
    mails: mails.map((mail) => ({ ...mail, createdAt: formatDateTime(mail.createdAt), sentAt: mail.sentAt ? formatDateTime(mail.sentAt) : null })),
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData().catch(() => null);
  const id = form?.get("emailId");
  if (typeof id !== "string" || !uuidPattern.test(id)) return data({ ok: false, message: "Ogiltigt mejl.", fieldErrors: {} }, { status: 400 });
  return asFormResult(async () => {
    const retried = await retryEmail(db(), user, id.toLowerCase());
    return { ok: true, message: `Mejlet till ${retried.toAddress} har lagts i kön igen.`, fieldErrors: {} };
  });
}

function RetryButton({ id }: { id: string }) {
  const fetcher = useFetcher<typeof action>();
  const announce = useAnnounce();
  // The row leaves the dead letters once the mail is queued, so the page's status message tells it.
  const done = fetcher.state === "idle" && fetcher.data?.ok ? fetcher.data.message : undefined;
  useEffect(() => {
    if (done) {
      announce.say(done);
      announce.focusLost();
    }
  }, [done, fetcher.data, announce]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="emailId" value={id} />
      <button type="submit" className="button button--secondary" aria-disabled={fetcher.state !== "idle"}>
        {fetcher.state !== "idle" ? "Lägger i kö…" : "Försök igen"}
      </button>
      {fetcher.data && !fetcher.data.ok ? <p className="field-error">{fetcher.data.message}</p> : null}
    </fetcher.Form>
  );
}

export default function MailAdminPage() {
  const { mails, counts, status } = useLoaderData<typeof loader>();
  // A retry posted without JavaScript: the page drawn again with its outcome.
  const posted = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const live = useLiveRoom(MAIL_ROOM, { "mail:changed": () => revalidator.revalidate() });
  return (
    <div className="stack">
      <h1>E-postkö</h1>
      <p className="muted" role="status" aria-live="polite">
        {liveStatusText[live]}
      </p>
      <FormOutcome result={posted} />
      <nav aria-label="Filtrera på status" className="actions">
        <Link to="/admin/e-post" aria-current={!status ? "page" : undefined}>
          Alla
        </Link>
        {(Object.keys(statusLabels) as Status[]).map((key) => (
          <Link key={key} to={`?${new URLSearchParams({ ...Object.fromEntries(params), status: key })}`} aria-current={status === key ? "page" : undefined}>
            {statusLabels[key]} ({counts[key] ?? 0})
          </Link>
        ))}
      </nav>
      {mails.length === 0 ? (
        <p className="empty">Inga mejl{status ? " med den statusen" : ""}.</p>
      ) : (
        <TableRegion label="Utskick">
          <table className="responsive-table">
            <caption className="visually-hidden">Mejl, nyast först</caption>
            <thead>
              <tr>
                <th scope="col">Till</th>
                <th scope="col">Ämne</th>
                <th scope="col">Status</th>
                <th scope="col">Försök</th>
                <th scope="col">Skapat</th>
                <th scope="col">Åtgärd</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr key={mail.id}>
                  <td data-label="Till">{mail.toAddress}</td>
                  <td data-label="Ämne">{mail.subject}</td>
                  <td data-label="Status">
                    <span className={`badge ${mail.status === "sent" ? "badge--ok" : mail.status === "dead" ? "badge--error" : "badge--warn"}`}>
                      {statusLabels[mail.status]}
                    </span>
                    {mail.lastError ? <span className="hint">{mail.lastError}</span> : null}
                  </td>
                  <td data-label="Försök">{mail.attempts}</td>
                  <td data-label="Skapat">{mail.createdAt}</td>
                  <td data-label="Åtgärd">{mail.status === "dead" ? <RetryButton id={mail.id} /> : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
