import { Button, Link, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting } from "./layout";

export type PollEmailKind = "invitation" | "reminder";

export type PollEmailProps = {
  kind: PollEmailKind;
  recipientName: string;
  organizerName: string;
  networkName: string;
  title: string;
  description: string;
  place: string;
  videoUrl: string;
  /** The proposed times with their weekdays, "tis 27 okt. 2026 09:00–10:30" in Stockholm time. */
  slots: string[];
  /** The last day answers are taken, "15 dec. 2026". */
  lastAnswerDay: string;
  /** Whether the poll still takes answers when the mail is sent. */
  open: boolean;
  /** The personal signed link to answer without signing in. */
  answerUrl: string;
  /** The poll's page in the portal, for people with an account. */
  pollUrl: string | null;
};

export function pollSubject(props: Pick<PollEmailProps, "kind" | "title">) {
  return props.kind === "invitation" ? `Tidsförslag: ${props.title} – vilka tider passar dig?` : `Påminnelse: svara på tidsförslaget ${props.title}`;
}

/** A time poll's invitation and its reminder: the proposed times and a personal answer link. */
export function PollEmail(props: PollEmailProps) {
  return (
    <EmailLayout preview={pollSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        {props.kind === "invitation"
          ? `${props.organizerName} vill hitta en tid för ett möte i nätverket ${props.networkName} och undrar vilka tider som passar dig.`
          : `Du har ännu inte svarat på tidsförslaget från ${props.organizerName} i nätverket ${props.networkName}. Sista svarsdag är ${props.lastAnswerDay}.`}
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      {props.description ? <Text style={{ whiteSpace: "pre-wrap" }}>{props.description}</Text> : null}
      <Text>
        {props.place ? <>Plats: {props.place}</> : null}
        {props.place && props.videoUrl ? <br /> : null}
        {props.videoUrl ? <>Via video</> : null}
      </Text>
      <Section>
        <Text style={{ fontWeight: "bold" }}>Föreslagna tider</Text>
        {props.slots.map((slot, index) => (
          <Text key={index} style={{ margin: "0 0 4px" }}>
            {index + 1}. {slot}
          </Text>
        ))}
      </Section>
      {props.open ? (
        <Section>
          <Button href={props.answerUrl} style={buttonStyle}>
            Svara på tidsförslaget
          </Button>
          <Text>
            Svara Ja, Om nödvändigt eller Nej för de tider du kan ta ställning till, senast {props.lastAnswerDay}. En tid som du lämnar
            tom räknas som inte svarat. Du behöver inte logga in, och du kan ändra dina svar med samma länk tills förslaget stängs. Länken är personlig: skicka inte vidare mejlet.
          </Text>
          {props.pollUrl ? (
            <Text>
              Tidsförslaget i portalen: <Link href={props.pollUrl}>{props.pollUrl}</Link>
            </Text>
          ) : null}
        </Section>
      ) : (
        <Text>Tidsförslaget tar inte längre emot svar.</Text>
      )}
      <Text>När en tid är vald får du en inbjudan med en kalenderfil.</Text>
    </EmailLayout>
  );
}
