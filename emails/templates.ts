import { render } from "@react-email/render";
import { createElement } from "react";
import { SignInEmail, type SignInEmailProps } from "./sign-in";

/**
 * Every mail the portal sends. `load` runs at send time, so a mail always carries current data
 * and secrets (sign-in links) are derived then instead of being stored with the queued mail.
 */
export type TemplateDefinition<Stored, Props> = {
  subject: (props: Props) => string;
  load: (stored: Stored) => Promise<Props | null>;
  render: (props: Props) => React.ReactElement;
};

export type RenderedEmail = { subject: string; html: string; text: string };

export async function renderTemplate<Stored, Props>(
  definition: TemplateDefinition<Stored, Props>,
  stored: Stored,
): Promise<RenderedEmail | null> {
  const props = await definition.load(stored);
  if (!props) return null;
  const element = definition.render(props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: definition.subject(props), html, text };
}

export function signInTemplate<Stored>(load: (stored: Stored) => Promise<SignInEmailProps | null>): TemplateDefinition<Stored, SignInEmailProps> {
  return {
    subject: (props) => (props.invitedBy ? "Inbjudan till Samverkansportalen" : `Logga in i Samverkansportalen – kod ${props.code}`),
    load,
    render: (props) => createElement(SignInEmail, props),
  };
}
