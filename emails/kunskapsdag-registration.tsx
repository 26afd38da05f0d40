import { Button, Img, Link, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting, WhenAndWhere } from "./layout";

/**
 * bekraftad: a seat; vantelista: on the waitlist; flyttad-upp: moved up to a seat; avbokad / lamnat-vantelistan: gave it up;
 * flyttad-till-plats / flyttad-till-vantelistan: an organiser moved the registration; erbjuden: a freed seat is held
 * for the person to confirm; tackat-nej: the person declined the offered seat; erbjudande-utgatt: the offer lapsed unconfirmed.
 */
export type RegistrationEmailKind =
  | "bekraftad"
  | "vantelista"
  | "flyttad-upp"
  | "avbokad"
  | "lamnat-vantelistan"
  | "flyttad-till-plats"
  | "flyttad-till-vantelistan"
  | "erbjuden"
  | "tackat-nej"
  | "erbjudande-utgatt";

export type RegistrationEmailProps = {
  kind: RegistrationEmailKind;
  recipientName: string;
  title: string;
  /** "27 okt. 2026 09:00–16:00", Stockholm time. */
  when: string;
  place: string;
  videoUrl: string;
  /** The day's description as plain text (from the rich text); shown when someone gets a seat or a waitlist place. */
  description?: string;
  dayUrl: string;
  /** The personal link to change or cancel; absent once the registration is cancelled. */
  manageUrl: string | null;
  waitlistPosition: number | null;
  /** What happens for someone on the waitlist when a seat is freed (given at once, or offered and held for a time). */
  whenSeatFreed: string;
  /** Until when an offered seat is held ("27 okt. 2026 09:00"), for the offer mail. */
  offeredUntil?: string | null;
  deletionDate: string;
  /** The QR code to show at check-in (PNG data URL), for those with a seat. */
  checkinQr?: string | null;
  /** The calendar file sent with the mail (a seat, or its cancellation); not shown in the body. */
  ics: string | null;
};

const DESCRIBED: RegistrationEmailKind[] = ["bekraftad", "vantelista", "flyttad-upp", "flyttad-till-plats", "erbjuden"];

const subjects: Record<RegistrationEmailKind, string> = {
  bekraftad: "Din plats är bekräftad",
  vantelista: "Du står på väntelistan",
  "flyttad-upp": "Du har fått en plats",
  avbokad: "Din plats är avbokad",
  "lamnat-vantelistan": "Du har lämnat väntelistan",
  "flyttad-till-plats": "Du har fått en plats",
  "flyttad-till-vantelistan": "Din anmälan har flyttats till väntelistan",
  erbjuden: "En plats är ledig för dig – bekräfta den",
  "tackat-nej": "Du har tackat nej till platsen",
  "erbjudande-utgatt": "Erbjudandet om plats har gått ut",
};

export function registrationSubject(props: Pick<RegistrationEmailProps, "kind" | "title">) {
  return `${subjects[props.kind]}: ${props.title}`;
}

function intro(props: RegistrationEmailProps) {
  switch (props.kind) {
    case "bekraftad":
      return "Tack för din anmälan! Du har en plats på kunskapsdagen.";
    case "vantelista":
      return props.waitlistPosition
        ? `Kunskapsdagen är fullbokad. Du står på plats ${props.waitlistPosition} på väntelistan. ${props.whenSeatFreed}`
        : `Kunskapsdagen är fullbokad och du står på väntelistan. ${props.whenSeatFreed}`;
    case "flyttad-upp":
      return "En plats har blivit ledig och den är nu din. Du behöver inte göra något mer.";
    case "avbokad":
      return "Din plats på kunskapsdagen är avbokad. Kalenderfilen i mejlet tar bort kunskapsdagen ur din kalender.";
    case "lamnat-vantelistan":
      return "Du har lämnat väntelistan till kunskapsdagen.";
    case "erbjuden":
      return `En plats har blivit ledig och vi håller den åt dig${props.offeredUntil ? ` till ${props.offeredUntil}` : ""}. Bekräfta platsen med knappen nedan. På samma sida kan du i stället tacka nej till platsen, så går den direkt vidare till nästa på väntelistan. Om du inte bekräftar i tid går platsen vidare till nästa på väntelistan och du står inte längre kvar på väntelistan.`;
    case "tackat-nej":
      return "Du har tackat nej till den erbjudna platsen på kunskapsdagen och står inte längre kvar på väntelistan. Om det finns platser kvar kan du anmäla dig igen på kunskapsdagens sida.";
    case "erbjudande-utgatt":
      return "Du bekräftade inte den erbjudna platsen i tid, så den har gått vidare till nästa på väntelistan och du står inte längre på väntelistan. Om det finns platser kvar kan du anmäla dig igen på kunskapsdagens sida.";
    case "flyttad-till-plats":
      return "Arrangörerna har gett dig en plats på kunskapsdagen. Du behöver inte göra något mer.";
    case "flyttad-till-vantelistan":
      return `Arrangörerna har flyttat din anmälan till väntelistan${props.waitlistPosition ? `, där du står på plats ${props.waitlistPosition}` : ""}. Du har alltså ingen plats just nu. ${props.whenSeatFreed} Hör av dig till arrangörerna om du har frågor.`;
  }
}

/** Confirmation, waitlist, moved-up and cancellation mails to a participant without an account. */
export function RegistrationEmail(props: RegistrationEmailProps) {
  return (
    <EmailLayout preview={registrationSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>{intro(props)}</Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <WhenAndWhere when={props.when} place={props.place} videoUrl={props.videoUrl} />
      {props.description && DESCRIBED.includes(props.kind) ? <Text style={{ whiteSpace: "pre-wrap" }}>{props.description}</Text> : null}
      {props.manageUrl ? (
        <Section>
          <Button href={props.manageUrl} style={buttonStyle}>
            {props.kind === "erbjuden" ? "Bekräfta din plats" : "Ändra eller avboka din anmälan"}
          </Button>
          <Text>Länken är personlig. Dela den inte med någon annan. Du behöver inte logga in.</Text>
        </Section>
      ) : null}
      {props.checkinQr ? (
        <Section>
          <Text>Visa QR-koden vid incheckningen på plats, i mobilen eller utskriven.</Text>
          <Img src={props.checkinQr} width="240" height="240" alt="QR-kod för incheckning" />
        </Section>
      ) : null}
      {props.ics && props.kind !== "avbokad" ? <Text>Kalenderfilen i mejlet lägger in kunskapsdagen i din kalender.</Text> : null}
      <Text>
        Kunskapsdagen i portalen: <Link href={props.dayUrl}>{props.dayUrl}</Link>
      </Text>
      <Text style={{ fontSize: "12px", color: "#555555" }}>
        Dina uppgifter används bara för kunskapsdagen och raderas senast {props.deletionDate}.
      </Text>
    </EmailLayout>
  );
}
