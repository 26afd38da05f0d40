import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

const body = { backgroundColor: "#f4f5f7", fontFamily: "Arial, Helvetica, sans-serif", color: "#1b1b1b" };
const container = { backgroundColor: "#ffffff", margin: "24px auto", padding: "24px", maxWidth: "560px", borderRadius: "6px" };
const footer = { fontSize: "12px", color: "#555555" };

/** "Hej Anna Berg," or, when no name is known (an address invited on its own), "Hej,". */
export function Greeting({ name }: { name: string }) {
  return <Text>{name.trim() ? `Hej ${name.trim()},` : "Hej,"}</Text>;
}

export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="sv">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={{ fontSize: "14px", fontWeight: "bold", color: "#004b87" }}>Samverkansportalen</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={footer}>
            Samverkansportalen – Stockholms stad, Polisregion Stockholm och deras samverkanspartner. Du får det här
            meddelandet för att din adress finns i portalen.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export const buttonStyle = {
  backgroundColor: "#004b87",
  color: "#ffffff",
  padding: "12px 20px",
  borderRadius: "4px",
  textDecoration: "none",
  display: "inline-block",
};

export const codeStyle = { fontSize: "28px", letterSpacing: "6px", fontWeight: "bold", fontFamily: "monospace" };

/** When and where a meeting or kunskapsdag takes place, as every mail about one states it. */
export function WhenAndWhere({ when, place, videoUrl }: { when: string; place: string; videoUrl: string }) {
  return (
    <Text>
      Tid: {when}
      {place ? (
        <>
          <br />
          Plats: {place}
        </>
      ) : null}
      {videoUrl ? (
        <>
          <br />
          Videolänk: <Link href={videoUrl}>{videoUrl}</Link>
        </>
      ) : null}
    </Text>
  );
}
