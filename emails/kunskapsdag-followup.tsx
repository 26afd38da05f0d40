import { Button, Link, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting, WhenAndWhere } from "./layout";

/** paminnelse: reminder before the day; andrad: time or place changed; installd: the day is cancelled; utvardering: evaluation after it. */
export type FollowupEmailKind = "paminnelse" | "andrad" | "installd" | "utvardering";

export type FollowupEmailProps = {
  kind: FollowupEmailKind;
  recipientName: string;
  title: string;
  when: string;
  place: string;
  videoUrl: string;
  dayUrl: string;
  manageUrl: string | null;
  evaluationUrl: string | null;
  /** The calendar file (updated or cancelled); not shown in the body. */
  ics: string | null;
};

const subjects: Record<FollowupEmailKind, string> = {
  paminnelse: "Påminnelse",
  andrad: "Ändrad tid eller plats",
  installd: "Inställd",
  utvardering: "Vad tyckte du",
};

export function followupSubject(props: Pick<FollowupEmailProps, "kind" | "title">) {
  return `${subjects[props.kind]}: ${props.title}`;
}

const intros: Record<FollowupEmailKind, string> = {
  paminnelse: "Snart är det dags för kunskapsdagen som du har en plats på.",
  andrad: "Arrangörerna har ändrat tid eller plats för kunskapsdagen som du är anmäld till. Kalenderfilen i mejlet uppdaterar din kalender.",
  installd: "Kunskapsdagen som du är anmäld till är tyvärr inställd. Kalenderfilen i mejlet tar bort den ur din kalender.",
  utvardering: "Tack för att du deltog! Berätta gärna vad du tyckte. Svaret är anonymt och tar en minut.",
};

/** Reminder, change, cancellation and evaluation mails to participants without an account. */
export function FollowupEmail(props: FollowupEmailProps) {
  return (
    <EmailLayout preview={followupSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>{intros[props.kind]}</Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <WhenAndWhere when={props.when} place={props.place} videoUrl={props.videoUrl} />
      {props.evaluationUrl ? (
        <Section>
          <Button href={props.evaluationUrl} style={buttonStyle}>
            Svara på utvärderingen
          </Button>
          <Text>Länken är personlig och kan användas en gång. Ditt svar sparas utan ditt namn eller din e-postadress.</Text>
        </Section>
      ) : null}
      {props.manageUrl ? (
        <Text>
          Kan du inte komma? Avboka här så att någon annan får platsen: <Link href={props.manageUrl}>{props.manageUrl}</Link>
        </Text>
      ) : null}
      <Text>
        Kunskapsdagen i portalen: <Link href={props.dayUrl}>{props.dayUrl}</Link>
      </Text>
    </EmailLayout>
  );
}
