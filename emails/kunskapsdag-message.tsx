import { Link, Text } from "@react-email/components";
import { EmailLayout, Greeting } from "./layout";

export type KunskapsdagMessageProps = {
  recipientName: string;
  title: string;
  when: string;
  subject: string;
  /** Plain text from the organisers; blank lines separate paragraphs. */
  text: string;
  dayUrl: string;
};

export function kunskapsdagMessageSubject(props: Pick<KunskapsdagMessageProps, "subject" | "title">) {
  return `${props.subject} – ${props.title}`;
}

/** A message from the organisers to everyone registered for a kunskapsdag. */
export function KunskapsdagMessageEmail(props: KunskapsdagMessageProps) {
  return (
    <EmailLayout preview={kunskapsdagMessageSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>Ett meddelande från arrangörerna av {props.title} ({props.when}):</Text>
      {props.text.split(/\n\s*\n/).map((paragraph, index) => (
        <Text key={index} style={{ whiteSpace: "pre-line" }}>
          {paragraph}
        </Text>
      ))}
      <Text>
        Kunskapsdagen i portalen: <Link href={props.dayUrl}>{props.dayUrl}</Link>
      </Text>
    </EmailLayout>
  );
}
