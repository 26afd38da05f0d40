import { Form, Link, useNavigation } from "@remix-run/react";
import { QUESTIONS, questionLabels } from "../../domain/kunskapsdagar/labels";
import { Field, FormError } from "../ui/field";
import { DescriptionEditor } from "./description-editor";

export type KunskapsdagFormValues = {
  ownerOrganisationId?: string;
  title?: string;
  description?: string;
  /** The description as ProseMirror JSON text (written by the editor). */
  descriptionDoc?: string;
  date?: string;
  startTime?: string;
  endTime?: string;
  place?: string;
  videoUrl?: string;
  capacity?: string;
  reminderDaysBefore?: string;
  offerHoldHours?: string;
  series?: string;
  audience?: string;
  audienceOrganisationIds?: string[];
  sharedWithOrganisationIds?: string[];
  registrationOpens?: string;
  registrationCloses?: string;
  questions?: string[];
  freeTextQuestion?: string;
  programme?: Array<{ time: string; title: string; speaker: string }>;
  organiserEmails?: string;
};

/** Rebuilds the form's values from a rejected post, so nothing typed is lost. */
export function kunskapsdagValuesFromPost(raw: Record<string, string | string[]>): KunskapsdagFormValues {
  const one = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
  const list = (key: string) => ([] as string[]).concat(raw[key] ?? []);
  const times = list("programmeTime");
  const titles = list("programmeTitle");
  const speakers = list("programmeSpeaker");
  return {
    ownerOrganisationId: one("ownerOrganisationId"),
    title: one("title"),
    description: one("description"),
    descriptionDoc: one("descriptionDoc"),
    date: one("date"),
    startTime: one("startTime"),
    endTime: one("endTime"),
    place: one("place"),
    videoUrl: one("videoUrl"),
    capacity: one("capacity"),
    reminderDaysBefore: one("reminderDaysBefore"),
    offerHoldHours: one("offerHoldHours"),
    series: one("series"),
    audience: one("audience") || "alla",
    audienceOrganisationIds: list("audienceOrganisationIds"),
    sharedWithOrganisationIds: list("sharedWithOrganisationIds"),
    registrationOpens: one("registrationOpens"),
    registrationCloses: one("registrationCloses"),
    questions: list("questions"),
    freeTextQuestion: one("freeTextQuestion"),
    programme: titles.map((title, index) => ({ time: times[index] ?? "", title, speaker: speakers[index] ?? "" })).slice(0, 40),
    organiserEmails: one("organiserEmails"),
  };
}

const BLANK_PROGRAMME_ROWS = 3;

type Props = {
  mode: "create" | "edit";
  values: KunskapsdagFormValues;
  errors: Record<string, string>;
  message?: string;
  cancelTo: string;
  owners: Array<{ id: string; name: string }>;
  organisations: Array<{ id: string; name: string }>;
};

/** Create and edit form of a kunskapsdag; all times are Stockholm time. */
export function KunskapsdagForm({ mode, values, errors, message, cancelTo, owners, organisations }: Props) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const programme = [...(values.programme ?? []).filter((item) => item.time || item.title || item.speaker)];
  for (let index = 0; index < BLANK_PROGRAMME_ROWS; index++) programme.push({ time: "", title: "", speaker: "" });
  const error = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`field-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  const describedBy = (name: string, hint?: string) => [hint, errors[name] ? `field-${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <FormError message={message} />
      <Form method="post" noValidate className="meeting-form">
        {mode === "create" ? (
          <div className="field">
            <label htmlFor="field-ownerOrganisationId">Ägande organisation</label>
            <select id="field-ownerOrganisationId" name="ownerOrganisationId" defaultValue={values.ownerOrganisationId} aria-invalid={errors.ownerOrganisationId ? true : undefined} aria-describedby={describedBy("ownerOrganisationId")}>
              {owners.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
            {error("ownerOrganisationId")}
          </div>
        ) : null}
        <Field label="Rubrik" name="title" required defaultValue={values.title} error={errors.title} autoComplete="off" />
        <Field
          label="Serie (valfritt)"
          name="series"
          defaultValue={values.series}
          error={errors.series}
          autoComplete="off"
          maxLength={200}
          hint="Samma namn på flera kunskapsdagar i samma organisation gör dem till en serie, t.ex. ”Kunskapsdag om brottsförebyggande arbete – varje termin”."
        />
        <DescriptionEditor text={values.description ?? ""} docJson={values.descriptionDoc} error={errors.description} />
        <fieldset>
          <legend>Tid</legend>
          <p className="hint">Svensk tid (Europe/Stockholm).</p>
          <div className="form-row">
            <Field label="Datum" name="date" type="date" required defaultValue={values.date} error={errors.date} />
            <Field label="Börjar" name="startTime" type="time" required defaultValue={values.startTime} error={errors.startTime} />
            <Field label="Slutar" name="endTime" type="time" required defaultValue={values.endTime} error={errors.endTime} />
          </div>
        </fieldset>
        <Field label="Plats" name="place" hint="Adress eller lokal. Ange en plats, en videolänk eller båda." defaultValue={values.place} error={errors.place} />
        <Field label="Videolänk" name="videoUrl" type="url" inputMode="url" placeholder="https://" defaultValue={values.videoUrl} error={errors.videoUrl} />
        <Field label="Antal platser" name="capacity" type="number" min={1} max={5000} inputMode="numeric" required defaultValue={values.capacity} error={errors.capacity} hint="När platserna är slut hamnar nya anmälningar på väntelistan." />
        <Field
          label="Påminnelse, dagar före"
          name="reminderDaysBefore"
          type="number"
          min={1}
          max={30}
          inputMode="numeric"
          defaultValue={values.reminderDaysBefore ?? "2"}
          error={errors.reminderDaysBefore}
          hint="De som har en plats får en påminnelse så många dagar före kunskapsdagen."
        />
        <div className="field">
          <label htmlFor="field-offerHoldHours">
            Tid att bekräfta en erbjuden plats
            <span className="hint" id="field-offerHoldHours-hint">
              När en plats blir ledig får den första på väntelistan den direkt, eller erbjuds den och måste bekräfta inom tiden. Annars går platsen vidare till nästa.
            </span>
          </label>
          <select id="field-offerHoldHours" name="offerHoldHours" defaultValue={values.offerHoldHours ?? ""} aria-describedby="field-offerHoldHours-hint" aria-invalid={errors.offerHoldHours ? true : undefined}>
            <option value="">Ingen – platsen ges direkt</option>
            <option value="24">24 timmar</option>
            <option value="48">48 timmar</option>
          </select>
          {errors.offerHoldHours ? <p className="field-error">{errors.offerHoldHours}</p> : null}
        </div>
        <fieldset>
          <legend>Anmälan</legend>
          <div className="form-row">
            <Field label="Anmälan öppnar" name="registrationOpens" type="datetime-local" required defaultValue={values.registrationOpens} error={errors.registrationOpens} />
            <Field label="Anmälan stänger" name="registrationCloses" type="datetime-local" required defaultValue={values.registrationCloses} error={errors.registrationCloses} />
          </div>
        </fieldset>
        <fieldset aria-describedby={errors.audienceOrganisationIds ? "field-audienceOrganisationIds-error" : undefined}>
          <legend>Vilka kan anmäla sig?</legend>
          <label className="checkbox">
            <input type="radio" name="audience" value="alla" defaultChecked={(values.audience ?? "alla") === "alla"} />
            Personal hos alla aktörer
          </label>
          <label className="checkbox">
            <input type="radio" name="audience" value="valda" defaultChecked={values.audience === "valda"} />
            Bara de valda organisationerna nedan
          </label>
          {error("audienceOrganisationIds")}
          <details>
            <summary>Välj organisationer ({(values.audienceOrganisationIds ?? []).length} valda)</summary>
            {organisations.map((org) => (
              <label key={org.id} className="checkbox">
                <input type="checkbox" name="audienceOrganisationIds" value={org.id} defaultChecked={values.audienceOrganisationIds?.includes(org.id)} />
                {org.name}
              </label>
            ))}
          </details>
        </fieldset>
        <fieldset>
          <legend>Frågor i anmälan</legend>
          <p className="hint">Namn, e-postadress och organisation frågas alltid.</p>
          {QUESTIONS.map((question) => (
            <label key={question} className="checkbox">
              <input type="checkbox" name="questions" value={question} defaultChecked={values.questions?.includes(question)} />
              {questionLabels[question]}
            </label>
          ))}
          <Field label="Den egna frågan" name="freeTextQuestion" defaultValue={values.freeTextQuestion} error={errors.freeTextQuestion} hint="Används bara om Egen fråga är vald." />
        </fieldset>
        <fieldset aria-describedby={errors.programme ? "field-programme-error" : undefined}>
          <legend>Program</legend>
          <p className="hint">Tomma rader hoppas över. Spara och öppna formuläret igen för fler rader.</p>
          {error("programme")}
          <ol className="agenda-rows">
            {programme.map((item, index) => (
              <li key={index} className="form-row">
                <Field label={`Punkt ${index + 1}: tid`} name="programmeTime" id={`programme-time-${index}`} type="time" defaultValue={item.time} />
                <Field label="Rubrik" name="programmeTitle" id={`programme-title-${index}`} defaultValue={item.title} />
                <Field label="Talare" name="programmeSpeaker" id={`programme-speaker-${index}`} defaultValue={item.speaker} />
              </li>
            ))}
          </ol>
        </fieldset>
        <div className="field">
          <label htmlFor="field-organiserEmails">
            Arrangörer (e-postadresser)
            <span className="hint" id="field-organiserEmails-hint">
              Personer med konto i portalen som får ändra kunskapsdagen och se anmälningarna.{mode === "create" ? " Du blir arrangör själv." : ""}
            </span>
          </label>
          <textarea id="field-organiserEmails" name="organiserEmails" rows={3} defaultValue={values.organiserEmails} aria-describedby={describedBy("organiserEmails", "field-organiserEmails-hint")} aria-invalid={errors.organiserEmails ? true : undefined} />
          {error("organiserEmails")}
        </div>
        <fieldset>
          <legend>Dela med organisationer</legend>
          <p className="hint">Medlemmar i de valda organisationerna ser kunskapsdagen även som utkast.</p>
          <details>
            <summary>Välj organisationer ({(values.sharedWithOrganisationIds ?? []).length} valda)</summary>
            {organisations.map((org) => (
              <label key={org.id} className="checkbox">
                <input type="checkbox" name="sharedWithOrganisationIds" value={org.id} defaultChecked={values.sharedWithOrganisationIds?.includes(org.id)} />
                {org.name}
              </label>
            ))}
          </details>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? "Sparar…" : mode === "create" ? "Spara som utkast" : "Spara ändringarna"}
          </button>
          <Link to={cancelTo}>Avbryt</Link>
        </div>
      </Form>
    </>
  );
}
