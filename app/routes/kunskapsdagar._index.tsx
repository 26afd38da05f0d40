import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { optionalUser } from "../auth/guards.server";
import { creatableOwners, listOrganiserKunskapsdagar, listUpcomingKunskapsdagar } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { kunskapsdagStatusLabels, seatsText } from "../domain/kunskapsdagar/labels";
import { registrationWindow } from "../domain/kunskapsdagar/registration-window";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { formatDateTime } from "../format";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [
  { title: "Kunskapsdagar – Samverkansportalen" },
  { name: "description", content: "Kommande kunskapsdagar om hur det brottsförebyggande arbetet i Stockholm är organiserat. Öppna för personal hos alla aktörer." },
];

/**
 * The public list of coming kunskapsdagar. Signed-in organisers also see the days they run, drafts
 * included; the section is left out for someone who neither runs a day nor may create one.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const user = optionalUser(context);
  const upcoming = await listUpcomingKunskapsdagar(db());
  const canCreate = user ? (await creatableOwners(db(), user)).owners.length > 0 : false;
  const days = user ? (await listOrganiserKunskapsdagar(db(), user)).map((day) => ({ id: day.id, title: day.title, when: formatDateTime(day.startsAt), status: day.status })) : [];
  const organiser = canCreate || days.length > 0 ? { canCreate, days } : null;
  return {
    upcoming: upcoming.map((day) => {
      const seatsLeft = Math.max(0, day.capacity - day.confirmed);
      return {
        id: day.id,
        title: day.title,
        when: meetingWhen(day.startsAt, day.endsAt),
        startsAtIso: day.startsAt.toISOString(),
        place: day.place || (day.videoUrl ? "Via video" : ""),
        seats: seatsText({ seatsLeft, waitlisted: day.waitlisted }),
        registration: registrationWindow(day),
      };
    }),
    organiser,
  };
}

export default function KunskapsdagarPage() {
  const { upcoming, organiser } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Kunskapsdagar</h1>
      <p>
        Kunskapsdagarna handlar om hur det brottsförebyggande och trygghetsskapande arbetet i Stockholm är organiserat. De är öppna för
        personal hos alla aktörer. Du behöver inget konto för att anmäla dig.
      </p>
      <section aria-labelledby="kommande">
        <h2 id="kommande">Kommande kunskapsdagar</h2>
        {upcoming.length === 0 ? (
          <p className="empty">Det finns inga kommande kunskapsdagar just nu. Titta gärna in igen senare.</p>
        ) : (
          <ul className="list-plain">
            {upcoming.map((day) => (
              <li key={day.id} className="card">
                <h3>
                  <Link to={`/kunskapsdagar/${day.id}`}>{day.title}</Link>
                </h3>
                <p>
                  <time dateTime={day.startsAtIso}>{day.when}</time>
                  {day.place ? (
                    <>
                      <br />
                      {day.place}
                    </>
                  ) : null}
                  <br />
                  {day.registration.open ? day.seats : day.registration.reason}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {organiser ? (
        <section aria-labelledby="arrangor">
          <h2 id="arrangor">För arrangörer</h2>
          {organiser.canCreate ? (
            <p>
              <Link className="button" to="/kunskapsdagar/ny">
                Ny kunskapsdag
              </Link>
            </p>
          ) : null}
          {organiser.days.length === 0 ? (
            <p className="empty">Du arrangerar inga kommande kunskapsdagar.</p>
          ) : (
            <ul>
              {organiser.days.map((day) => (
                <li key={day.id}>
                  <Link to={`/kunskapsdagar/${day.id}/hantera`}>{day.title}</Link> <span className="muted">({kunskapsdagStatusLabels[day.status]}, {day.when})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
