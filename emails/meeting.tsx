import { Button, Link, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting, WhenAndWhere } from "./layout";

export type MeetingEmailKind = "invitation" | "update" | "cancellation";

export type MeetingEmailProps = {
  kind: MeetingEmailKind;
  recipientName: string;
  organizerName: string;
  networkName: string;
  title: string;
  /** "27 okt. 2026 09:00–10:30", Stockholm time. */
  when: string;
  place: string;
  videoUrl: string;
  description: string;
  agenda: Array<{ title: string; presenter: string; minutes: number | null }>;
  meetingUrl: string;
  /** Signed answer links; absent in a cancellation. */
  answerLinks: { ja: string; nej: string; kanske: string } | null;
  answerExpires: string;
  /** A recurring series (mötesserie): `when` describes the rule, the answer links answer every coming meeting. */
  series?: boolean;
  /** The iCalendar file sent with the mail; not shown in the body. */
  ics: string;
};

const intro: Record<MeetingEmailKind, (props: MeetingEmailProps) => string> = {
  invitation: (p) => `${p.organizerName} bjuder in dig till ett möte i nätverket ${p.networkName}.`,
  update: (p) => `Mötet i nätverket ${p.networkName} har ändrats. Här är de aktuella uppgifterna.`,
  cancellation: (p) => `Mötet i nätverket ${p.networkName} är inställt.`,
};

const seriesIntro: Record<MeetingEmailKind, (props: MeetingEmailProps) => string> = {
  invitation: (p) => `${p.organizerName} bjuder in dig till en återkommande mötesserie i nätverket ${p.networkName}.`,
  update: (p) => `Mötesserien i nätverket ${p.networkName} har ändrats. Här är de aktuella uppgifterna.`,
  cancellation: (p) => `Mötesserien i nätverket ${p.networkName} är inställd.`,
};

export function meetingSubject(props: Pick<MeetingEmailProps, "kind" | "title" | "when" | "series">) {
  const prefix = props.series
    ? { invitation: "Inbjudan till mötesserie", update: "Ändrad mötesserie", cancellation: "Inställd mötesserie" }[props.kind]
    : { invitation: "Inbjudan", update: "Ändrat möte", cancellation: "Inställt möte" }[props.kind];
  return `${prefix}: ${props.title}, ${props.when}`;
}

const answerButton = { ...buttonStyle, marginRight: "8px", marginBottom: "8px" };

/** Invitation, update and cancellation of a meeting, with a calendar file attached. */
export function MeetingEmail(props: MeetingEmailProps) {
  const cancelled = props.kind === "cancellation";
  return (
    <EmailLayout preview={meetingSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>{(props.series ? seriesIntro : intro)[props.kind](props)}</Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold", textDecoration: cancelled ? "line-through" : undefined }}>{props.title}</Text>
      <WhenAndWhere when={props.when} place={props.place} videoUrl={props.videoUrl} />
      {props.description ? <Text style={{ whiteSpace: "pre-wrap" }}>{props.description}</Text> : null}
      {props.agenda.length && !cancelled ? (
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
          <Text style={{ fontWeight: "bold" }}>Kommer du?</Text>
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
            {props.series ? " Svaret gäller alla kommande möten i serien; enstaka möten kan du svara på i portalen. " : " "}
            De gäller till {props.answerExpires}.
          </Text>
        </Section>
      ) : null}
      <Text>
        {cancelled ? "Kalenderfilen i mejlet tar bort mötet ur din kalender." : "Kalenderfilen i mejlet lägger in mötet i din kalender."}{" "}
        Mötet i portalen: <Link href={props.meetingUrl}>{props.meetingUrl}</Link>
      </Text>
    </EmailLayout>
  );
}
