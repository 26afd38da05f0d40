import { Form, Link, useNavigation } from "@remix-run/react";
import { Field, FormError } from "../ui/field";

export type PollFormValues = {
  title?: string;
  description?: string;
  place?: string;
  videoUrl?: string;
  closesOn?: string;
  slots?: Array<{ date: string; start: string; end: string }>;
  inviteNetwork?: boolean;
  memberIds?: string[];
  extraEmails?: string;
};

/** Rebuilds the form's values from a rejected post, so nothing typed is lost. */
export function pollValuesFromPost(raw: Record<string, string | string[]>): PollFormValues {
  const one = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
  const list = (key: string) => ([] as string[]).concat(raw[key] ?? []);
  const dates = list("slotDate");
  const starts = list("slotStart");
  const ends = list("slotEnd");
  return {
    title: one("title"),
    description: one("description"),
    place: one("place"),
    videoUrl: one("videoUrl"),
    closesOn: one("closesOn"),
    slots: dates.map((date, index) => ({ date, start: starts[index] ?? "", end: ends[index] ?? "" })).slice(0, 10),
    inviteNetwork: raw.inviteNetwork === "on",
    memberIds: list("memberIds").slice(0, 500),
    extraEmails: one("extraEmails"),
  };
}

const SLOT_ROWS = 10;
const ROWS_SHOWN = 3;

type PollFormProps = {
  values: PollFormValues;
  errors: Record<string, string>;
  message?: string;
  cancelTo: string;
  networkName: string;
  members: Array<{ id: string; name: string; organisations: string }>;
};

/** The new time poll: 2–10 proposed times in Stockholm time, who is asked, and the last answer day. */
export function PollForm({ values, errors, message, cancelTo, networkName, members }: PollFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const slots = [...(values.slots ?? []).filter((slot) => slot.date || slot.start || slot.end)];
  while (slots.length < SLOT_ROWS) slots.push({ date: "", start: "", end: "" });
  const shown = Math.max(ROWS_SHOWN, (values.slots ?? []).filter((slot) => slot.date || slot.start || slot.end).length);
  const chosen = new Set(values.memberIds ?? []);
  const slotRow = (slot: { date: string; start: string; end: string }, index: number) => (
    <li key={index}>
      <fieldset className="form-row">
        <legend>Tid {index + 1}</legend>
        <Field label="Datum" name="slotDate" id={`slot-date-${index}`} type="date" defaultValue={slot.date} />
        <Field label="Börjar" name="slotStart" id={`slot-start-${index}`} type="time" defaultValue={slot.start} />
        <Field label="Slutar" name="slotEnd" id={`slot-end-${index}`} type="time" defaultValue={slot.end} />
      </fieldset>
    </li>
  );
  const areaError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`field-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <>
      <FormError message={message} />
      <Form method="post" noValidate className="meeting-form">
        <Field label="Rubrik" name="title" required defaultValue={values.title} error={errors.title} autoComplete="off" />
        <fieldset aria-describedby={["slots-hint", errors.slots ? "field-slots-error" : null].filter(Boolean).join(" ")}>
          <legend>Föreslagna tider</legend>
          <p className="hint" id="slots-hint">
            Föreslå 2–10 tider i svensk tid (Europe/Stockholm). Tomma rader hoppas över.
          </p>
          {areaError("slots")}
          <ol className="agenda-rows">{slots.slice(0, shown).map(slotRow)}</ol>
          {shown < SLOT_ROWS ? (
            <details>
              <summary>Fler tider</summary>
              <ol className="agenda-rows" start={shown + 1}>
                {slots.slice(shown).map((slot, offset) => slotRow(slot, shown + offset))}
              </ol>
            </details>
          ) : null}
        </fieldset>
        <Field
          label="Sista svarsdag"
          name="closesOn"
          type="date"
          required
          hint="Svar tas emot till och med den dagen. Den som inte har svarat får en påminnelse dagen innan."
          defaultValue={values.closesOn}
          error={errors.closesOn}
        />
        <Field label="Plats" name="place" hint="Adress eller lokal. Ange en plats, en videolänk eller båda." defaultValue={values.place} error={errors.place} />
        <Field label="Videolänk" name="videoUrl" type="url" inputMode="url" placeholder="https://" defaultValue={values.videoUrl} error={errors.videoUrl} />
        <div className="field">
          <label htmlFor="field-description">
            Beskrivning
            <span className="hint" id="field-description-hint">
              Skriv inte personuppgifter om enskilda eller säkerhetsskyddsklassificerade uppgifter här.
            </span>
          </label>
          <textarea
            id="field-description"
            name="description"
            rows={3}
            defaultValue={values.description}
            aria-describedby={["field-description-hint", errors.description ? "field-description-error" : null].filter(Boolean).join(" ")}
            aria-invalid={errors.description ? true : undefined}
          />
          {areaError("description")}
        </div>
        <fieldset>
          <legend>Vilka tillfrågas?</legend>
          <label className="checkbox">
            <input type="checkbox" name="inviteNetwork" defaultChecked={values.inviteNetwork ?? true} />
            Alla medlemmar i {networkName}
          </label>
          {members.length ? (
            <details open={chosen.size > 0}>
              <summary>Eller välj medlemmar</summary>
              <p className="hint">Används när rutan ovan inte är ikryssad.</p>
              {areaError("memberIds")}
              <ul className="list-plain">
                {members.map((member) => (
                  <li key={member.id}>
                    <label className="checkbox">
                      <input type="checkbox" name="memberIds" value={member.id} defaultChecked={chosen.has(member.id)} />
                      {member.name}
                      {member.organisations ? <span className="hint"> {member.organisations}</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <div className="field">
            <label htmlFor="field-extraEmails">
              Fler e-postadresser
              <span className="hint" id="field-extraEmails-hint">
                En eller flera adresser, åtskilda med radbrytning, komma eller semikolon. Den som saknar konto svarar via en personlig länk i mejlet.
              </span>
            </label>
            <textarea
              id="field-extraEmails"
              name="extraEmails"
              rows={3}
              defaultValue={values.extraEmails}
              aria-describedby={["field-extraEmails-hint", errors.extraEmails ? "field-extraEmails-error" : null].filter(Boolean).join(" ")}
              aria-invalid={errors.extraEmails ? true : undefined}
            />
            {areaError("extraEmails")}
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Skickar…" : "Skicka tidsförslaget"}
          </button>
          <Link to={cancelTo}>Avbryt</Link>
        </div>
      </Form>
    </>
  );
}
