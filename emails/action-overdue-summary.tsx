import { Section, Text } from "@react-email/components";
import { EmailLayout, Greeting } from "./layout";
import type { DigestItem } from "./action-digest";

export type ActionOverdueSummaryEmailProps = {
  recipientName: string;
  organisationName: string;
  week: string;
  /** Overdue items grouped by responsible organisation ("Ingen ansvarig organisation" when none is set). */
  groups: Array<{ organisationName: string; items: DigestItem[] }>;
};

export function actionOverdueSummarySubject(props: Pick<ActionOverdueSummaryEmailProps, "week" | "groups">) {
  const count = props.groups.reduce((sum, group) => sum + group.items.length, 0);
  return `Försenade åtgärder ${props.week}: ${count} st`;
}

/** Monday's summary to a coordinator of the organisation that owns the lists: overdue åtgärder per responsible organisation. */
export function ActionOverdueSummaryEmail(props: ActionOverdueSummaryEmailProps) {
  return (
    <EmailLayout preview={actionOverdueSummarySubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>Som samordnare för {props.organisationName} får du här de åtgärder i era listor som har passerat sin deadline utan att vara klara.</Text>
      {props.groups.map((group) => (
        <Section key={group.organisationName}>
          <Text style={{ fontWeight: "bold", marginBottom: "4px" }}>
            {group.organisationName} ({group.items.length})
          </Text>
          {group.items.map((item) => (
            <Text key={item.url} style={{ margin: "2px 0" }}>
              <a href={item.url}>{item.label}</a> – {item.listTitle}, klart senast {item.deadline}
            </Text>
          ))}
        </Section>
      ))}
      <Text style={{ fontSize: "12px", color: "#555555" }}>Du kan stänga av veckosammanställningen under Profil i portalen.</Text>
    </EmailLayout>
  );
}
