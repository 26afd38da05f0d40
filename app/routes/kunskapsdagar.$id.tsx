import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { optionalUser } from "../auth/guards.server";
import { RichDescriptionView } from "../components/kunskapsdagar/rich-description-view";
import { RegistrationFields } from "../components/kunskapsdagar/registration-fields";
import { liveStatusText, useLiveRoom } from "../components/live";
import { FormError } from "../components/ui/field";
import { requireId } from "../domain/http-errors";
import { getKunskapsdag } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { kunskapsdagRoom, kunskapsdagStatusLabels, SEATS_EVENT, seatsText, whenSeatFreed, type SeatsPayload } from "../domain/kunskapsdagar/labels";
import { descriptionDoc } from "../domain/kunskapsdagar/rich-description";
import { deletionDate, newRegistrationSchema, registerForKunskapsdag } from "../domain/kunskapsdagar/registrations.server";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { formatDate, formatDateTime } from "../format";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.day.title ?? "Kunskapsdag"} – Samverkansportalen` }];

/** A kunskapsdag's public page with the registration form; readable without an account. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const user = optionalUser(context);
  const found = await getKunskapsdag(db(), user, requireId(params.id));
  const { day } = found;
  return {
    day: {
      id: day.id,
      title: day.title,
      description: descriptionDoc(day),
      when: meetingWhen(day.startsAt, day.endsAt),
      startsAtIso: day.startsAt.toISOString(),
      place: day.place,
      videoUrl: day.videoUrl,
      status: day.status,
      audience: day.audience,
      questions: day.questions,
      freeTextQuestion: day.freeTextQuestion,
      opens: formatDateTime(day.registrationOpensAt),
      closes: formatDateTime(day.registrationClosesAt),
      deletionDate: formatDate(deletionDate(day)),
      whenSeatFreed: whenSeatFreed(day.offerHoldHours),
    },
    programme: found.programme.map(({ id, time, title, speaker }) => ({ id, time, title, speaker })),
    seats: found.seats,
    organisations: found.organisations,
    organisers: found.organisers,
    series: found.day.series,
    seriesDays: found.seriesDays.map((other) => ({ id: other.id, title: other.title, when: meetingWhen(other.startsAt, other.endsAt) })),
    registration: found.registration,
    can: found.can,
  };
}

const RESULT_MESSAGES = {
  bekraftad: "Tack! Du har fått en plats. En bekräftelse med kalenderfil och en länk för att ändra eller avboka är på väg till din e-post.",
  vantelista: (position: number, whenSeatFreed: string) => `Kunskapsdagen är fullbokad. Du står på plats ${position} på väntelistan. ${whenSeatFreed}`,
};

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireId(params.id);
  const raw = await readFormValues(request);
  const values = { ...raw, consent: undefined } as Record<string, string | string[] | undefined>;
  const parsed = parseValues(raw, newRegistrationSchema);
  if (!parsed.ok) return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => {
    const result = await registerForKunskapsdag(db(), id, parsed.data);
    return {
      ok: true as const,
      status: result.status,
      position: result.position,
      message: result.status === "bekraftad" ? RESULT_MESSAGES.bekraftad : RESULT_MESSAGES.vantelista(result.position ?? 0, result.whenSeatFreed),
      fieldErrors: {} as Record<string, string>,
      values: {},
    };
  }, { values });
}

export default function KunskapsdagPage() {
  const { day, programme, seats: initialSeats, organisations, organisers, series, seriesDays, registration, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [liveSeats, setLiveSeats] = useState<SeatsPayload | null>(null);
  const seats = liveSeats && liveSeats.kunskapsdagId === day.id ? liveSeats : initialSeats;
  const live = useLiveRoom(kunskapsdagRoom(day.id), { [SEATS_EVENT]: (payload) => setLiveSeats(payload as SeatsPayload) }, "/public");
  const errors = (result && !result.ok ? result.fieldErrors : {}) as Record<string, string>;
  const values = (result && !result.ok ? result.values : {}) as Record<string, string>;
  return (
    <div className="stack narrow-wide">
      <p>
        <Link to="/kunskapsdagar">← Kunskapsdagar</Link>
      </p>
      <h1>{day.title}</h1>
      {day.status === "utkast" ? (
        <div className="alert alert--warn" role="status">
          Utkast: bara arrangörerna och de organisationer kunskapsdagen delas med ser den här sidan.
        </div>
      ) : null}
      {can.viewRegistrations ? (
        <p>
          <Link to={`/kunskapsdagar/${day.id}/hantera`}>Hantera kunskapsdagen och se anmälningarna</Link>
        </p>
      ) : null}
      <dl className="details">
        <dt>Tid</dt>
        <dd>
          <time dateTime={day.startsAtIso}>{day.when}</time>
        </dd>
        {day.place ? (
          <>
            <dt>Plats</dt>
            <dd>{day.place}</dd>
          </>
        ) : null}
        {day.videoUrl ? (
          <>
            <dt>Video</dt>
            <dd>Länken skickas till dig som har en plats.</dd>
          </>
        ) : null}
        {organisers.length ? (
          <>
            <dt>Arrangörer</dt>
            <dd>{organisers.join(", ")}</dd>
          </>
        ) : null}
        <dt>Anmälan</dt>
        <dd>
          {day.opens} – {day.closes}
        </dd>
        <dt>Platser</dt>
        <dd>
          <span role="status" aria-live="polite" aria-atomic="true" data-seats-left={seats.seatsLeft}>
            {day.status === "genomford" ? kunskapsdagStatusLabels.genomford : seatsText(seats)}
          </span>{" "}
          <span className="muted">({live === "live" ? liveStatusText.live.toLowerCase() : "av " + seats.capacity})</span>
        </dd>
      </dl>
      <RichDescriptionView doc={day.description} />
      <section aria-labelledby="program">
        <h2 id="program">Program</h2>
        {programme.length ? (
          <ol className="list-plain">
            {programme.map((item) => (
              <li key={item.id}>
                <strong>{item.time}</strong> {item.title}
                {item.speaker ? <span className="muted"> – {item.speaker}</span> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">Programmet är inte klart ännu.</p>
        )}
      </section>
      {seriesDays.length ? (
        <section aria-labelledby="serie">
          <h2 id="serie">{`Fler kunskapsdagar i serien ${series}`}</h2>
          <ul className="list-plain">
            {seriesDays.map((other) => (
              <li key={other.id}>
                <Link to={`/kunskapsdagar/${other.id}`}>{other.title}</Link> <span className="muted">– {other.when}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="anmalan" className="card">
        <h2 id="anmalan">Anmälan</h2>
        {result?.ok ? (
          <div className={`alert ${result.status === "bekraftad" ? "alert--ok" : "alert--warn"}`} role="status">
            {result.message}
          </div>
        ) : !registration.open ? (
          <p>{registration.reason}</p>
        ) : (
          <>
            <p>
              {seats.seatsLeft > 0 ? "Fyll i dina uppgifter för att anmäla dig." : `Kunskapsdagen är fullbokad. Du kan anmäla dig till väntelistan. ${day.whenSeatFreed}`}
              {day.audience === "valda" ? " Kunskapsdagen är öppen för personal i organisationerna i listan." : ""}
            </p>
            <FormError message={result && !result.ok ? result.message : null} />
            <Form method="post" noValidate>
              <RegistrationFields
                values={values}
                errors={errors}
                questions={day.questions}
                freeTextQuestion={day.freeTextQuestion}
                organisations={organisations}
                allowOtherOrganisation={day.audience === "alla"}
                askEmail
              />
              <div className="field">
                <label className="checkbox">
                  <input type="checkbox" name="consent" required aria-describedby="samtycke-text" aria-invalid={errors.consent ? true : undefined} />
                  Jag godkänner att mina uppgifter sparas för kunskapsdagen
                </label>
                <p className="hint" id="samtycke-text">
                  Stockholms stad sparar ditt namn, din e-postadress, organisation och dina svar för att administrera kunskapsdagen och skicka
                  bekräftelse och besked om väntelistan. Uppgifterna visas bara för arrangörerna och raderas senast {day.deletionDate}. Därefter
                  sparas bara antalet deltagare per organisation.
                </p>
                {errors.consent ? (
                  <p className="field-error" id="field-consent-error">
                    {errors.consent}
                  </p>
                ) : null}
              </div>
              <button type="submit" className="button" aria-disabled={busy}>
                {busy ? "Skickar…" : seats.seatsLeft > 0 ? "Anmäl mig" : "Ställ mig på väntelistan"}
              </button>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}
