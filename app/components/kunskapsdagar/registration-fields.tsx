import { Field } from "../ui/field";

export type RegistrationValues = {
  name?: string;
  email?: string;
  organisationId?: string;
  organisationOther?: string;
  jobTitle?: string;
  dietaryNeeds?: string;
  accessibilityNeeds?: string;
  freeText?: string;
};

type Props = {
  values: RegistrationValues;
  errors: Record<string, string>;
  questions: readonly string[];
  freeTextQuestion: string;
  organisations: Array<{ id: string; name: string }>;
  allowOtherOrganisation: boolean;
  /** The address cannot be changed on an existing registration. */
  askEmail: boolean;
};

/** The participant's fields, shared by the registration form and the manage page. */
export function RegistrationFields({ values, errors, questions, freeTextQuestion, organisations, allowOtherOrganisation, askEmail }: Props) {
  return (
    <>
      <Field label="Namn" name="name" required autoComplete="name" defaultValue={values.name} error={errors.name} />
      {askEmail ? (
        <Field label="E-postadress" name="email" type="email" required autoComplete="email" inputMode="email" defaultValue={values.email} error={errors.email} hint="Bekräftelsen och din personliga länk för att ändra eller avboka skickas hit." />
      ) : null}
      <div className="field">
        <label htmlFor="field-organisationId">Organisation</label>
        <select
          id="field-organisationId"
          name="organisationId"
          required
          defaultValue={values.organisationId ?? ""}
          aria-invalid={errors.organisationId ? true : undefined}
          aria-describedby={errors.organisationId ? "field-organisationId-error" : undefined}
        >
          <option value="" disabled>
            Välj organisation
          </option>
          {organisations.map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
            </option>
          ))}
          {allowOtherOrganisation ? <option value="annan">Annan organisation (skriv namnet nedan)</option> : null}
        </select>
        {errors.organisationId ? (
          <p className="field-error" id="field-organisationId-error">
            {errors.organisationId}
          </p>
        ) : null}
      </div>
      {allowOtherOrganisation ? (
        <Field label="Annan organisation" name="organisationOther" hint="Fyll bara i om din organisation inte finns i listan." defaultValue={values.organisationOther} error={errors.organisationOther} autoComplete="organization" />
      ) : null}
      {questions.includes("titel") ? <Field label="Titel eller roll" name="jobTitle" defaultValue={values.jobTitle} error={errors.jobTitle} autoComplete="organization-title" /> : null}
      {questions.includes("kost") ? <Field label="Kost (allergier, specialkost)" name="dietaryNeeds" defaultValue={values.dietaryNeeds} error={errors.dietaryNeeds} hint="Valfritt." /> : null}
      {questions.includes("tillganglighet") ? (
        <Field label="Behov av tillgänglighetsanpassning" name="accessibilityNeeds" defaultValue={values.accessibilityNeeds} error={errors.accessibilityNeeds} hint="Valfritt, t.ex. hörslinga eller rullstolsplats." />
      ) : null}
      {questions.includes("fritext") ? (
        <div className="field">
          <label htmlFor="field-freeText">{freeTextQuestion}</label>
          <textarea id="field-freeText" name="freeText" rows={3} maxLength={1000} defaultValue={values.freeText} aria-invalid={errors.freeText ? true : undefined} aria-describedby={errors.freeText ? "field-freeText-error" : undefined} />
          {errors.freeText ? (
            <p className="field-error" id="field-freeText-error">
              {errors.freeText}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
