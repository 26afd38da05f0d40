import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { TableRegion } from "../components/ui/table-region";
import { formatDateTime } from "../format";
import { listOutbox } from "../domain/mail/outbox.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Utkorg (utveckling) – Samverkansportalen" }];

export async function loader(_args: LoaderFunctionArgs) {
  const mails = await listOutbox(db());
  return { mails: mails.map((mail) => ({ ...mail, createdAt: formatDateTime(mail.createdAt) })) };
}

export default function OutboxPage() {
  const { mails } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // New mails arrive within seconds of the form that causes them; keep the list fresh.
  useEffect(() => {
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 3000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <div>
      <h1>Utkorg</h1>
      <div className="alert alert--warn">
        Ingen e-posttjänst är konfigurerad (RESEND_API_KEY saknas), så portalens mejl hamnar här i stället för att
        skickas. Utkorgen finns bara i utvecklings- och demoläge.
      </div>
      {mails.length === 0 ? (
        <p className="empty">Utkorgen är tom. Begär en inloggningslänk så dyker mejlet upp här.</p>
      ) : (
        <TableRegion label="Mejl i utkorgen">
          <table className="responsive-table">
            <caption>Senaste mejlen, nyast först</caption>
            <thead>
              <tr>
                <th scope="col">Till</th>
                <th scope="col">Ämne</th>
                <th scope="col">Skapat</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr key={mail.id}>
                  <td data-label="Till">{mail.toAddress}</td>
                  <td data-label="Ämne">
                    <Link to={`/dev/mail/${mail.id}`}>{mail.subject}</Link>
                  </td>
                  <td data-label="Skapat">{mail.createdAt}</td>
                  <td data-label="Status">{mail.status === "sent" ? "Levererat till utkorgen" : "I kö"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
