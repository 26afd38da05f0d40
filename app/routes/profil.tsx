import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { ConfirmButton } from "../components/ui/confirm-button";
import { Field, FormError, FormSuccess } from "../components/ui/field";
import { calendarFeedUrl, FEED_HISTORY_DAYS } from "../domain/calendar/calendar-feed.server";
import { formatDateTime } from "../format";
import { getProfile, profileSchema, roleLabels, updateProfile } from "../domain/people/people.server";
import { parseForm } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Min profil – Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { person, sessions } = await getProfile(db(), user);
  const feed = await calendarFeedUrl(db(), user);
  return {
    calendarFeed: feed ? { url: feed.url, createdAt: formatDateTime(feed.createdAt) } : null,
    feedHistoryDays: FEED_HISTORY_DAYS,
    person: {
      name: person.name,
      email: person.email,
      title: person.title,
      phone: person.phone,
      notificationSettings: person.notificationSettings,
    },
    memberships: user.memberships.map((m) => ({ name: m.organisationName, role: roleLabels[m.role] })),
    sessions: sessions.map((s) => ({
      current: s.id === context.session?.id,
      userAgent: s.userAgent || "Okänd webbläsare",
      createdAt: formatDateTime(s.createdAt),
      lastUsed: formatDateTime(s.lastVerifiedAt),
    })),
  };
}

const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());
const formSchema = profileSchema.extend({
  meetingReminders: checkbox,
  actionDigest: checkbox,
  mentions: checkbox,
  phone: profileSchema.shape.phone.default(""),
  title: profileSchema.shape.title.default(""),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const parsed = await parseForm(request, formSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, saved: false }, { status: 400 });
  await updateProfile(db(), user, parsed.data);
  return { fieldErrors: {} as Record<string, string>, saved: true };
}

export default function ProfilePage() {
  const { person, memberships, sessions, calendarFeed, feedHistoryDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formAction === "/profil";
  return (
    <div className="stack">
      <h1>Min profil</h1>
      <div className="grid">
        <section className="card" aria-labelledby="uppgifter">
          <h2 id="uppgifter">Mina uppgifter</h2>
          {result?.saved ? <FormSuccess>Dina uppgifter är sparade.</FormSuccess> : null}
          {result && !result.saved ? <FormError message="Kontrollera de markerade fälten." /> : null}
          <Form method="post" noValidate>
            <Field label="Namn" name="name" autoComplete="name" defaultValue={person.name} error={result?.fieldErrors?.name} required />
            <Field label="E-postadress" name="email-readonly" value={person.email} readOnly hint="Ändras av en administratör i din organisation." />
            <Field label="Titel" name="title" autoComplete="organization-title" defaultValue={person.title} error={result?.fieldErrors?.title} />
            <Field label="Telefon" name="phone" type="tel" autoComplete="tel" defaultValue={person.phone} error={result?.fieldErrors?.phone} />
            <fieldset>
              <legend>E-postaviseringar</legend>
              <label className="checkbox">
                <input type="checkbox" name="meetingReminders" defaultChecked={person.notificationSettings.meetingReminders} />
                Påminnelser om möten
              </label>
              <label className="checkbox">
                <input type="checkbox" name="actionDigest" defaultChecked={person.notificationSettings.actionDigest} />
                Veckosammanställning av mina åtgärder
              </label>
              <label className="checkbox">
                <input type="checkbox" name="mentions" defaultChecked={person.notificationSettings.mentions} />
                När någon nämner mig
              </label>
            </fieldset>
            <button type="submit" className="button" aria-disabled={saving}>
              {saving ? "Sparar…" : "Spara"}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="organisationer">
          <h2 id="organisationer">Mina organisationer</h2>
          {memberships.length ? (
            <ul className="list-plain">
              {memberships.map((m) => (
                <li key={m.name}>
                  {m.name} <span className="muted">– {m.role}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Du är inte medlem i någon organisation.</p>
          )}
          <h2>Mina personuppgifter</h2>
          <p>Ladda ner allt portalen har sparat om dig som en JSON-fil.</p>
          <a className="button button--secondary" href="/profil/export" download>
            Ladda ner mina uppgifter
          </a>
        </section>
      </div>
      <section className="card" aria-labelledby="kalender">
        <h2 id="kalender">Mina möten i min kalender</h2>
        <p>
          Prenumerera på en kalenderlänk i Outlook, Google Kalender eller Apples kalender, så visas alla möten du är inbjuden till där och
          uppdateras av sig själva. Möten som slutade för mer än {feedHistoryDays} dagar sedan tas inte med.
        </p>
        {calendarFeed ? (
          <>
            <div className="field">
              <label htmlFor="kalenderlank">
                Din kalenderlänk
                <span className="hint">
                  Skapad {calendarFeed.createdAt}. Hemlig: den som har länken ser dina möten. Dela den inte.
                </span>
              </label>
              <input id="kalenderlank" readOnly value={calendarFeed.url} onFocus={(event) => event.currentTarget.select()} />
            </div>
            <ConfirmButton
              label="Skapa ny länk"
              title="Skapa en ny kalenderlänk?"
              description="Den nuvarande länken slutar fungera direkt. Kalendrar som prenumererar på den behöver få den nya länken."
              confirmLabel="Ja, skapa ny länk"
              action="/profil/kalenderlank"
              fields={{ intent: "renew" }}
            />
          </>
        ) : (
          <CreateFeedButton />
        )}
      </section>
      <section className="card" aria-labelledby="inloggningar">
        <h2 id="inloggningar">Mina inloggningar</h2>
        <ul className="list-plain">
          {sessions.map((s, index) => (
            <li key={index}>
              {s.userAgent}
              {s.current ? <strong> (den här enheten)</strong> : null}
              <br />
              <span className="muted">
                Inloggad {s.createdAt}, senast använd {s.lastUsed}
              </span>
            </li>
          ))}
        </ul>
        <Form method="post" action="/logga-ut">
          <button type="submit" name="intent" value="everywhere" className="button button--secondary">
            Logga ut på alla enheter
          </button>
        </Form>
      </section>
    </div>
  );
}

function CreateFeedButton() {
  const fetcher = useFetcher();
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action="/profil/kalenderlank">
      <button type="submit" className="button button--secondary" aria-disabled={busy}>
        {busy ? "Skapar…" : "Skapa kalenderlänk"}
      </button>
    </fetcher.Form>
  );
}
