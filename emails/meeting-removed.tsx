import { Text } from "@react-email/components";
import { EmailLayout, Greeting } from "./layout";

export type MeetingRemovedEmailProps = {
  recipientName: string;
  organizerName: string;
  networkName: string;
  title: string;
  /** "27 okt. 2026 09:00–10:30", Stockholm time. */
  when: string;
  /** The iCalendar cancellation for this person (METHOD:CANCEL); not shown in the body. */
  ics: string;
};

export function meetingRemovedSubject(props: Pick<MeetingRemovedEmailProps, "title" | "when">) {
  return `Du är inte längre inbjuden: ${props.title}, ${props.when}`;
}

/** To one person whose invitation a coordinator withdrew; the meeting itself goes ahead. */
export function MeetingRemovedEmail(props: MeetingRemovedEmailProps) {
  return (
    <EmailLayout preview={meetingRemovedSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        {props.organizerName} har tagit bort dig från deltagarlistan till ett möte i nätverket {props.networkName}. Du är inte längre
        inbjuden, och svarslänkarna i den tidigare inbjudan fungerar inte längre.
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold", textDecoration: "line-through" }}>{props.title}</Text>
      <Text>Tid: {props.when}</Text>
      <Text>Kalenderfilen i mejlet tar bort mötet ur din kalender. Kontakta mötets samordnare om du tror att det är fel.</Text>
    </EmailLayout>
  );
}
