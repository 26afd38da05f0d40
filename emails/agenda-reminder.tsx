import { Button, Link, Section, Text } from "@react-email/components";
import { createElement } from "react";
import { buttonStyle, EmailLayout, Greeting } from "./layout";
import type { TemplateDefinition } from "./templates";

export type AgendaReminderEmailProps = {
  recipientName: string;
  networkName: string;
  title: string;
  /** "27 okt. 2026 09:00–10:30", Stockholm time. */
  when: string;
  agenda: Array<{ title: string; presenter: string; minutes: number | null }>;
  /** Answers so far: ja, kanske, nej and not answered. */
  answers: { ja: number; kanske: number; nej: number; obesvarat: number };
  meetingUrl: string;
  editUrl: string;
};

export function agendaReminderSubject(props: Pick<AgendaReminderEmailProps, "title" | "when">) {
  return `Dagordning inför ${props.title}, ${props.when}`;
}

/** To the network's coordinators three working days before a meeting: is the agenda ready? */
export function AgendaReminderEmail(props: AgendaReminderEmailProps) {
  return (
    <EmailLayout preview={agendaReminderSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        Om tre arbetsdagar har nätverket {props.networkName} möte. Du är samordnare i nätverket: se till att dagordningen är
        klar, så att deltagarna hinner förbereda sig. När du sparar en ändring får alla inbjudna de nya uppgifterna.
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <Text>Tid: {props.when}</Text>
      <Section>
        <Text style={{ fontWeight: "bold" }}>Dagordning</Text>
        {props.agenda.length ? (
          props.agenda.map((item, index) => (
            <Text key={index} style={{ margin: "0 0 4px" }}>
              {index + 1}. {item.title}
              {item.presenter ? ` – ${item.presenter}` : ""}
              {item.minutes ? ` (${item.minutes} min)` : ""}
            </Text>
          ))
        ) : (
          <Text>Mötet har ingen dagordning än.</Text>
        )}
      </Section>
      <Text>
        Svar hittills: {props.answers.ja} ja, {props.answers.kanske} kanske, {props.answers.nej} nej, {props.answers.obesvarat} har inte svarat.
      </Text>
      <Button href={props.editUrl} style={buttonStyle}>
        Ändra dagordningen
      </Button>
      <Text>
        Mötet i portalen: <Link href={props.meetingUrl}>{props.meetingUrl}</Link>
      </Text>
    </EmailLayout>
  );
}

export function agendaReminderTemplate<Stored>(load: (stored: Stored) => Promise<AgendaReminderEmailProps | null>): TemplateDefinition<Stored, AgendaReminderEmailProps> {
  return { subject: agendaReminderSubject, load, render: (props) => createElement(AgendaReminderEmail, props) };
}
