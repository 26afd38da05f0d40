import { Button, Link, Section, Text } from "@react-email/components";
import { createElement } from "react";
import { buttonStyle, EmailLayout, Greeting, WhenAndWhere } from "./layout";
import type { TemplateDefinition } from "./templates";

export type MeetingReminderEmailProps = {
  recipientName: string;
  networkName: string;
  title: string;
  /** "27 okt. 2026 09:00–10:30", Stockholm time. */
  when: string;
  place: string;
  videoUrl: string;
  agenda: Array<{ title: string; presenter: string; minutes: number | null }>;
  meetingUrl: string;
  /** The person's answer so far ("Ja", "Kanske"), or null when they have not answered. */
  answer: string | null;
  /** Signed answer links, only for someone who has not answered. */
  answerLinks: { ja: string; nej: string; kanske: string } | null;
  answerExpires: string;
};

export function meetingReminderSubject(props: Pick<MeetingReminderEmailProps, "title" | "when">) {
  return `Påminnelse: ${props.title}, ${props.when}`;
}

const answerButton = { ...buttonStyle, marginRight: "8px", marginBottom: "8px" };

/** A reminder of a coming meeting to everyone invited who has not declined. */
export function MeetingReminderEmail(props: MeetingReminderEmailProps) {
  return (
    <EmailLayout preview={meetingReminderSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>Det här är en påminnelse om mötet i nätverket {props.networkName}.</Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <WhenAndWhere when={props.when} place={props.place} videoUrl={props.videoUrl} />
      {props.agenda.length ? (
        <Section>
          <Text style={{ fontWeight: "bold" }}>Dagordning</Text>
          {props.agenda.map((item, index) => (
            <Text key={index} style={{ margin: "0 0 4px" }}>
              {index + 1}. {item.title}
              {item.presenter ? ` – ${item.presenter}` : ""}
              {item.minutes ? ` (${item.minutes} min)` : ""}
            </Text>
          ))}
        </Section>
      ) : null}
      {props.answerLinks ? (
        <Section>
          <Text style={{ fontWeight: "bold" }}>Du har inte svarat än. Kommer du?</Text>
          <Button href={props.answerLinks.ja} style={answerButton}>
            Ja
          </Button>
          <Button href={props.answerLinks.nej} style={answerButton}>
            Nej
          </Button>
          <Button href={props.answerLinks.kanske} style={answerButton}>
            Kanske
          </Button>
          <Text>
            Länkarna öppnar en sida där du bekräftar ditt svar och kan lämna en kommentar. Du behöver inte logga in.
            De gäller till {props.answerExpires}.
          </Text>
        </Section>
      ) : (
        <Text>Du har svarat {props.answer}. Du kan ändra ditt svar med länkarna i inbjudan eller på mötets sida.</Text>
      )}
      <Text>
        Mötet i portalen: <Link href={props.meetingUrl}>{props.meetingUrl}</Link>
      </Text>
    </EmailLayout>
  );
}

export function meetingReminderTemplate<Stored>(load: (stored: Stored) => Promise<MeetingReminderEmailProps | null>): TemplateDefinition<Stored, MeetingReminderEmailProps> {
  return { subject: meetingReminderSubject, load, render: (props) => createElement(MeetingReminderEmail, props) };
}
