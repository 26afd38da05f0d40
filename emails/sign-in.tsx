import { Button, Text } from "@react-email/components";
import { buttonStyle, codeStyle, EmailLayout } from "./layout";

export type SignInEmailProps = { name: string; link: string; code: string; expiresAt: string; invitedBy?: string; organisationName?: string };

/** The sign-in mail, and the invitation mail when `invitedBy` is set: a link and a one-time code. */
export function SignInEmail({ name, link, code, expiresAt, invitedBy, organisationName }: SignInEmailProps) {
  const invited = Boolean(invitedBy);
  return (
    <EmailLayout preview={invited ? "Du är inbjuden till Samverkansportalen" : `Din inloggningskod: ${code}`}>
      <Text>Hej {name},</Text>
      {invited ? (
        <Text>
          {invitedBy} har bjudit in dig till Samverkansportalen{organisationName ? ` som medlem i ${organisationName}` : ""}.
          Följ länken för att logga in första gången.
        </Text>
      ) : (
        <Text>Följ länken för att logga in i Samverkansportalen.</Text>
      )}
      <Button href={link} style={buttonStyle}>
        Logga in
      </Button>
      <Text>Läser du mejlet på en annan enhet? Skriv in den här koden på inloggningssidan:</Text>
      <Text style={codeStyle}>{code}</Text>
      <Text>
        Länken och koden kan användas en gång och gäller till {expiresAt}. Har du inte bett om att logga in kan du
        bortse från det här mejlet.
      </Text>
    </EmailLayout>
  );
}
