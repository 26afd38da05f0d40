import { DomUtils, parseDocument } from "htmlparser2";

/**
 * One form field of a page as the server drew it (as a browser without JavaScript shows it after
 * a post): whether it is marked invalid, whether it points to its error text, that text, and the
 * value it shows. The field is found by its id, or by its name (`{ name }`, the first such input).
 */
export function formField(html: string, field: string | { name: string }) {
  const document = parseDocument(html);
  const input =
    typeof field === "string"
      ? DomUtils.findOne((element) => element.attribs.id === field, document.children)
      : DomUtils.findOne((element) => element.name === "input" && element.attribs.name === field.name, document.children);
  if (!input) throw new Error(`the page has no field ${JSON.stringify(field)}`);
  const errorId = `${input.attribs.id}-error`;
  const error = DomUtils.findOne((element) => element.attribs.id === errorId, document.children);
  return {
    invalid: input.attribs["aria-invalid"],
    pointsToError: (input.attribs["aria-describedby"] ?? "").split(" ").includes(errorId),
    error: error ? DomUtils.textContent(error) : undefined,
    value: input.attribs.value,
  };
}

/** What `formField` gives for a field that shows no error. */
export const NO_FIELD_ERROR = { invalid: undefined, pointsToError: false, error: undefined };

/**
 * A confirmation (app/components/ui/confirm-button.tsx) as a browser without JavaScript gets it:
 * the disclosure whose button reads `label`, with its form's address, its hidden fields, the
 * question and the confirming button's text.
 */
export function confirmation(html: string, label: string) {
  const document = parseDocument(html);
  const found = DomUtils.findAll((element) => element.name === "details" && (element.attribs.class ?? "").split(" ").includes("confirm-inline"), document.children).find((details) => {
    const summary = DomUtils.findOne((element) => element.name === "summary", details.children);
    return summary !== null && DomUtils.textContent(summary).trim() === label;
  });
  if (!found) throw new Error(`the page has no confirmation ${JSON.stringify(label)}`);
  const form = DomUtils.findOne((element) => element.name === "form", found.children);
  if (!form || form.attribs.method !== "post") throw new Error(`the confirmation ${JSON.stringify(label)} holds no form that posts`);
  const inputs = DomUtils.findAll((element) => element.name === "input" && element.attribs.type === "hidden", form.children);
  const submit = DomUtils.findOne((element) => element.name === "button" && element.attribs.type === "submit", form.children);
  return {
    action: form.attribs.action,
    fields: Object.fromEntries(inputs.map((input) => [input.attribs.name, input.attribs.value])),
    question: DomUtils.textContent(form).replace(/\s+/g, " ").trim(),
    confirmLabel: submit ? DomUtils.textContent(submit).trim() : undefined,
  };
}
