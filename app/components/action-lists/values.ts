import {
  FOCUS_AREA_LABELS,
  JUDGEMENT_LABELS,
  PERSPECTIVE_LABELS,
  PREVENTION_TYPE_LABELS,
  STATUS_LABELS,
  type ItemField,
} from "../../domain/actions/fields";

export type Choices = { organisations: Array<{ id: string; name: string }>; people: Array<{ id: string; name: string }> };

const label = (labels: Record<string, string>, value: unknown) => (typeof value === "string" ? labels[value] ?? value : "–");

/** A field's value as people read it: names for ids, Swedish words for codes, dates as written. */
export function formatValue(field: ItemField | string, value: unknown, choices: Choices): string {
  if (value === null || value === undefined || value === "") return "–";
  const orgName = (id: unknown) => choices.organisations.find((org) => org.id === id)?.name ?? "okänd organisation";
  switch (field) {
    case "status":
      return label(STATUS_LABELS, value);
    case "judgement":
      return label(JUDGEMENT_LABELS, value);
    case "focusArea":
      return label(FOCUS_AREA_LABELS, value);
    case "preventionType":
      return label(PREVENTION_TYPE_LABELS, value);
    case "perspectives":
      return Array.isArray(value) && value.length ? value.map((v) => label(PERSPECTIVE_LABELS, v)).join(", ") : "–";
    case "responsibleOrganisationId":
      return orgName(value);
    case "contributingOrganisationIds":
      return Array.isArray(value) && value.length ? value.map(orgName).join(", ") : "–";
    case "contactUserId":
      return choices.people.find((person) => person.id === value)?.name ?? "okänd person";
    default:
      return String(value);
  }
}
