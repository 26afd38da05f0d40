import { Button, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting } from "./layout";

export type DigestItem = { label: string; listTitle: string; deadline: string; overdue: boolean; url: string };

export type ActionDigestEmailProps = {
  recipientName: string;
  /** "vecka 48". */
  week: string;
  overdue: DigestItem[];
  dueSoon: DigestItem[];
  myActionsUrl: string;
};

export function actionDigestSubject(props: Pick<ActionDigestEmailProps, "week" | "overdue" | "dueSoon">) {
  const parts = [props.overdue.length ? `${props.overdue.length} försenade` : null, props.dueSoon.length ? `${props.dueSoon.length} med deadline inom 14 dagar` : null].filter(Boolean);
  return `Dina åtgärder ${props.week}: ${parts.join(", ")}`;
}

function ItemList({ items }: { items: DigestItem[] }) {
  return (
    <Section>
      {items.map((item) => (
        <Text key={item.url} style={{ margin: "4px 0" }}>
          <a href={item.url}>{item.label}</a> – {item.listTitle}, klart senast {item.deadline}
        </Text>
      ))}
    </Section>
  );
}

/** Monday's summary to a responsible contact person: their overdue åtgärder and those due within 14 days. */
export function ActionDigestEmail(props: ActionDigestEmailProps) {
  return (
    <EmailLayout preview={actionDigestSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>Här är veckans sammanställning av åtgärder där du är kontaktperson.</Text>
      {props.overdue.length ? (
        <>
          <Text style={{ fontWeight: "bold" }}>Försenade</Text>
          <ItemList items={props.overdue} />
        </>
      ) : null}
      {props.dueSoon.length ? (
        <>
          <Text style={{ fontWeight: "bold" }}>Deadline inom 14 dagar</Text>
          <ItemList items={props.dueSoon} />
        </>
      ) : null}
      <Section>
        <Button href={props.myActionsUrl} style={buttonStyle}>
          Öppna portalen
        </Button>
      </Section>
      <Text style={{ fontSize: "12px", color: "#555555" }}>Du kan stänga av veckosammanställningen under Profil i portalen.</Text>
    </EmailLayout>
  );
}
