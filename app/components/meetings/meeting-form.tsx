import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { DEFAULT_REMINDER_OFFSETS, REMINDER_CHOICES } from "../../domain/meetings/reminder-choices";
import { Field, FormError } from "../ui/field";
import { AgendaRows, MAX_AGENDA_ROWS } from "./agenda-rows";

export type MeetingFormValues = {
  title?: string;
  date?: string;
  startTime?: string;
  endTime?: string;
  place?: string;
  videoUrl?: string;
  description?: string;
  agenda?: Array<{ title: string; presenter: string; minutes: string }>;
  inviteNetwork?: boolean;
  extraEmails?: string;
  /** Minutes before the start, as the checkboxes post them; undefined for the defaults. */
  reminders?: string[];
  /** The stored meeting's version when the edit form was opened. */
  version?: string;
};

/** Rebuilds the form's values from a rejected post, so nothing typed is lost. */
export function valuesFromPost(raw: Record<string, string | string[]>): MeetingFormValues {
  const one = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
  const list = (key: string) => ([] as string[]).concat(raw[key] ?? []);
  const titles = list("agendaTitle");
  const presenters = list("agendaPresenter");
  const minutes = list("agendaMinutes");
  return {
    title: one("title"),
    date: one("date"),
    startTime: one("startTime"),
    endTime: one("endTime"),
    place: one("place"),
    videoUrl: one("videoUrl"),
    description: one("description"),
    agenda: titles.map((title, index) => ({ title, presenter: presenters[index] ?? "", minutes: minutes[index] ?? "" })).slice(0, MAX_AGENDA_ROWS),
    inviteNetwork: raw.inviteNetwork === "on",
    extraEmails: one("extraEmails"),
    reminders: raw.reminders === undefined ? undefined : list("reminders").filter(Boolean),
    version: one("version") || undefined,
  };
}

/** The form's fields in page order, which the error summary follows. */
const FIELD_ORDER = [
  "title",
  "date",
  "startTime",
  "endTime",
  "repeat",
  "repeatEnd",
  "repeatCount",
  "repeatUntil",
  "scope",
  "place",
  "videoUrl",
  "description",
  "agenda",
  "extraEmails",
  "reminders",
] as const;

type MeetingFormProps = {
  mode: "create" | "edit";
  values: MeetingFormValues;
  errors: Record<string, string>;
  message?: string;
  cancelTo: string;
  networkName: string;
  /** Fields shown after the time, such as the repetition of a new series. */
  children?: ReactNode;
};

/** The meeting form for planning and changing a meeting; times are Stockholm time. */
export function MeetingForm({ mode, values, errors, message, cancelTo, networkName, children }: MeetingFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const chosenReminders = values.reminders ?? DEFAULT_REMINDER_OFFSETS.map(String);
  const areaError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`field-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <>
      <FormError message={message} fieldErrors={errors} fieldOrder={FIELD_ORDER} />
      <Form method="post" noValidate className="meeting-form">
        {values.version ? <input type="hidden" name="version" value={values.version} /> : null}
        <Field label="Rubrik" name="title" required defaultValue={values.title} error={errors.title} autoComplete="off" />
        <fieldset>
          <legend>Tid</legend>
          <p className="hint">Svensk tid (Europe/Stockholm).</p>
          <div className="form-row">
            <Field label="Datum" name="date" type="date" required defaultValue={values.date} error={errors.date} />
            <Field label="Börjar" name="startTime" type="time" required defaultValue={values.startTime} error={errors.startTime} />
            <Field label="Slutar" name="endTime" type="time" required defaultValue={values.endTime} error={errors.endTime} />
          </div>
        </fieldset>
        {children}
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
            rows={4}
            defaultValue={values.description}
            aria-describedby={["field-description-hint", errors.description ? "field-description-error" : null].filter(Boolean).join(" ")}
            aria-invalid={errors.description ? true : undefined}
          />
          {areaError("description")}
        </div>
        <AgendaRows agenda={values.agenda ?? []} error={errors.agenda} />
        <fieldset>
          <legend>Inbjudna</legend>
          {mode === "create" ? (
            <label className="checkbox">
              <input type="checkbox" name="inviteNetwork" defaultChecked={values.inviteNetwork ?? true} />
              Bjud in alla medlemmar och externa kontakter i {networkName}
            </label>
          ) : (
            <p className="hint">De som redan är inbjudna får ett mejl om ändringen.</p>
          )}
          <div className="field">
            <label htmlFor="field-extraEmails">
              {mode === "create" ? "Fler e-postadresser" : "Bjud in fler (e-postadresser)"}
              <span className="hint" id="field-extraEmails-hint">
                En eller flera adresser, åtskilda med radbrytning, komma eller semikolon. Den som saknar konto kan svara via länken i mejlet.
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
        <fieldset id="field-reminders" aria-describedby={["field-reminders-hint", errors.reminders ? "field-reminders-error" : null].filter(Boolean).join(" ")}>
          <legend>Påminnelser</legend>
          <p className="hint" id="field-reminders-hint">
            Ett mejl till alla inbjudna som har svarat ja eller kanske eller inte har svarat. Samordnarna får dessutom en påminnelse om
            dagordningen tre arbetsdagar före mötet.
          </p>
          {areaError("reminders")}
          {/* Posted even when no box is ticked, so that "no reminders" can be told from an old form. */}
          <input type="hidden" name="reminders" value="" />
          {REMINDER_CHOICES.map((choice) => (
            <label className="checkbox" key={choice.minutes}>
              <input type="checkbox" name="reminders" value={String(choice.minutes)} defaultChecked={chosenReminders.includes(String(choice.minutes))} />
              {choice.label}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Sparar…" : mode === "create" ? "Skapa möte och skicka inbjudningar" : "Spara och skicka ändringen"}
          </button>
          <Link to={cancelTo}>Avbryt</Link>
        </div>
      </Form>
    </>
  );
}
