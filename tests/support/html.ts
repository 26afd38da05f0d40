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
