import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RegistrationFields } from "../components/kunskapsdagar/registration-fields";
import { ConfirmButton } from "../components/ui/confirm-button";
import { FormError, FormSuccess } from "../components/ui/field";
import { badRequest } from "../domain/http-errors";
import { getKunskapsdag } from "../domain/kunskapsdagar/kunskapsdagar.server";
import { registrationStatusLabels } from "../domain/kunskapsdagar/labels";
import { verifyManageToken } from "../domain/kunskapsdagar/manage-links.server";
import { cancelRegistration, confirmOffer, loadManageTarget, registrationFormSchema, updateRegistration } from "../domain/kunskapsdagar/registrations.server";
import { formatDateTime } from "../format";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Din anmälan – Samverkansportalen" }, { name: "robots", content: "noindex" }];

/**
 * The personal link from the confirmation mail. Opening it changes nothing (mail scanners follow
 * links); only the buttons on the page do. The signed token is the authority: no sign-in.
 */
async function verified(token: string | undefined) {
  const result = verifyManageToken(token ?? "");
  if (!result.ok) {
    if (result.reason === "expired") throw Response.json({ error: "expired", message: "Länken har gått ut. Kontakta arrangörerna om du behöver ändra din anmälan." }, { status: 410 });
    throw badRequest("Länken är ogiltig. Kontrollera att du har öppnat hela länken från mejlet.");
  }
  return loadManageTarget(db(), result.registrationId);
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { registration, day, position } = await verified(params.token);
  const { organisations } = await getKunskapsdag(db(), null, day.id).catch(() => ({ organisations: [] as Array<{ id: string; name: string }> }));
  return {
    day: { id: day.id, title: day.title, when: meetingWhen(day.startsAt, day.endsAt), place: day.place, audience: day.audience, questions: day.questions, freeTextQuestion: day.freeTextQuestion },
    registration: {
      status: registration.status,
      offeredUntil: registration.status === "erbjuden" && registration.offeredUntil ? formatDateTime(registration.offeredUntil) : null,
      email: registration.email,
      values: {
        name: registration.name,
        organisationId: registration.organisationId ?? "annan",
        organisationOther: registration.organisationId ? "" : registration.organisationName,
        jobTitle: registration.jobTitle,
        dietaryNeeds: registration.dietaryNeeds,
        accessibilityNeeds: registration.accessibilityNeeds,
        freeText: registration.freeText,
      },
    },
    position,
    cancelled: day.status === "installd",
    changeable: registration.status !== "avbokad" && day.status !== "installd" && day.status !== "genomford" && day.startsAt.getTime() > Date.now(),
    organisations,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { registration } = await verified(params.token);
  const values = await readFormValues(request);
  return asFormResult(async () => {
    switch (values.intent) {
      case "update": {
        const parsed = parseValues(values, registrationFormSchema);
        if (!parsed.ok) return data({ ok: false, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors }, { status: 400 });
        const changed = await updateRegistration(db(), registration.id, parsed.data);
        return { ok: true, message: changed ? "Dina uppgifter är sparade." : "Inget var ändrat.", fieldErrors: {} as Record<string, string> };
      }
      case "confirmOffer": {
        await confirmOffer(db(), registration.id);
        return { ok: true, message: "Tack! Din plats är bekräftad. Du får ett mejl med kalenderfil och QR-kod för incheckningen.", fieldErrors: {} as Record<string, string> };
      }
      case "cancel": {
        const { hadSeat, declinedOffer } = await cancelRegistration(db(), registration.id);
        const message = hadSeat
          ? "Din plats är avbokad. Du får ett mejl om det."
          : declinedOffer
            ? "Du har tackat nej till platsen och står inte längre kvar på väntelistan. Du får ett mejl om det."
            : "Du har lämnat väntelistan.";
        return { ok: true, message, fieldErrors: {} as Record<string, string> };
      }
      default:
        throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
    }
  });
}

/**
 * Giving up the registration, worded for what the person has: a seat, an offered seat (declining
 * it also takes them off the waitlist, as when an offer lapses) or a waitlist place.
 */
const giveUp = {
  bekraftad: {
    heading: "Avboka",
    label: "Avboka min plats",
    title: "Avboka din plats?",
    description: "Platsen går till den som står först på väntelistan. Det går inte att ångra, men du kan anmäla dig igen om det finns plats.",
    confirmLabel: "Ja, avboka",
  },
  erbjuden: {
    heading: "Tacka nej till platsen",
    label: "Tacka nej till platsen",
    title: "Tacka nej till platsen?",
    description:
      "Platsen går direkt vidare till nästa på väntelistan, och du står inte längre kvar på väntelistan. Det går inte att ångra, men du kan anmäla dig igen om det finns plats.",
    confirmLabel: "Ja, tacka nej",
  },
  vantelista: {
    heading: "Lämna väntelistan",
    label: "Lämna väntelistan",
    title: "Lämna väntelistan?",
    description: "Du tas bort från väntelistan. Det går inte att ångra, men du kan anmäla dig igen.",
    confirmLabel: "Ja, lämna väntelistan",
  },
} as const;

export default function ManageRegistrationPage() {
  const { day, registration, position, cancelled, changeable, organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errors = (result && !result.ok ? result.fieldErrors : {}) as Record<string, string>;
  const giving = giveUp[registration.status === "bekraftad" || registration.status === "erbjuden" ? registration.status : "vantelista"];
  return (
    <div className="narrow stack">
      <h1>Din anmälan</h1>
      <section className="card" aria-labelledby="dagen">
        <h2 id="dagen">
          <Link to={`/kunskapsdagar/${day.id}`}>{day.title}</Link>
        </h2>
        <p>
          {day.when}
          {day.place ? (
            <>
              <br />
              {day.place}
            </>
          ) : null}
        </p>
        <p>
          <strong>{registrationStatusLabels[registration.status]}</strong>
          {position ? ` – du står på plats ${position} på väntelistan.` : ""}
          <br />
          <span className="muted">Anmäld med {registration.email}</span>
        </p>
      </section>
      {result?.ok ? <FormSuccess>{result.message}</FormSuccess> : null}
      <FormError message={result && !result.ok ? result.message : null} />
      {changeable && registration.offeredUntil ? (
        <section aria-labelledby="erbjudande" className="card">
          <h2 id="erbjudande">En plats är ledig för dig</h2>
          <p>
            Vi håller platsen åt dig till {registration.offeredUntil}. Bekräfta den innan dess, annars går den vidare till nästa på väntelistan och du står
            inte längre kvar på väntelistan.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="confirmOffer" />
            <button type="submit" className="button" aria-disabled={busy}>
              Bekräfta min plats
            </button>
          </Form>
        </section>
      ) : null}
      {changeable ? (
        <>
          <section aria-labelledby="uppgifter">
            <h2 id="uppgifter">Ändra dina uppgifter</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="update" />
              <RegistrationFields
                values={registration.values}
                errors={errors}
                questions={day.questions}
                freeTextQuestion={day.freeTextQuestion}
                organisations={organisations}
                allowOtherOrganisation={day.audience === "alla"}
                askEmail={false}
              />
              <button type="submit" className="button" aria-disabled={busy}>
                {busy ? "Sparar…" : "Spara ändringarna"}
              </button>
            </Form>
          </section>
          <section aria-labelledby="avboka">
            <h2 id="avboka">{giving.heading}</h2>
            <ConfirmButton label={giving.label} title={giving.title} description={giving.description} confirmLabel={giving.confirmLabel} fields={{ intent: "cancel" }} />
          </section>
        </>
      ) : cancelled ? (
        <p>
          <strong>Kunskapsdagen är inställd.</strong> <Link to={`/kunskapsdagar/${day.id}`}>Till kunskapsdagen</Link>
        </p>
      ) : registration.status === "avbokad" ? (
        <p>
          Anmälan är avbokad. <Link to={`/kunskapsdagar/${day.id}`}>Till kunskapsdagen</Link>
        </p>
      ) : (
        <p>Kunskapsdagen har börjat, så anmälan kan inte ändras längre.</p>
      )}
    </div>
  );
}

