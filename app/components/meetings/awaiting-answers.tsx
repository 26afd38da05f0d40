import { Link, useFetcher } from "@remix-run/react";
import { answerLabels } from "../../domain/meetings/labels";

type Invitation = { id: string; title: string; when: string; networkName: string };

/**
 * The start page's "Inbjudningar att svara på": answer Ja / Nej / Kanske without leaving the page.
 * One form state for the card, so that the confirmation stays when the answered invitation leaves the list.
 */
export function AwaitingAnswers({ invitations }: { invitations: Invitation[] }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <section className="card" aria-labelledby="att-svara-pa">
      <h2 id="att-svara-pa">Inbjudningar att svara på</h2>
      <div aria-live="polite">
        {result ? (
          <p className={result.ok ? "muted" : "field-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        ) : null}
      </div>
      {invitations.length ? (
        <ul className="list-plain">
          {invitations.map((invitation) => (
            <li key={invitation.id}>
              <Link to={`/moten/${invitation.id}`}>{invitation.title}</Link>
              <br />
              <span className="muted">
                {invitation.when} · {invitation.networkName}
              </span>
              <fetcher.Form method="post" action={`/moten/${invitation.id}`} className="actions" aria-label={`Svara på ${invitation.title}`}>
                <input type="hidden" name="intent" value="respond" />
                {(["ja", "nej", "kanske"] as const).map((answer) => (
                  <button key={answer} type="submit" name="response" value={answer} className="button button--secondary" aria-disabled={busy}>
                    {answerLabels[answer]}
                    <span className="visually-hidden">{` på ${invitation.title}`}</span>
                  </button>
                ))}
              </fetcher.Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Du har inga obesvarade inbjudningar.</p>
      )}
    </section>
  );
}
