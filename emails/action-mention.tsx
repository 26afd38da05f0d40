import { Button, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting } from "./layout";

export type ActionMentionEmailProps = {
  recipientName: string;
  authorName: string;
  /** Set when the whole organisation was mentioned, e.g. "Lokalpolisområde Järva". */
  organisationName: string | null;
  listTitle: string;
  itemLabel: string;
  excerpt: string;
  itemUrl: string;
};

export function actionMentionSubject(props: Pick<ActionMentionEmailProps, "authorName" | "itemLabel">) {
  return `${props.authorName} nämnde dig i en kommentar: ${props.itemLabel}`;
}

/** To a person mentioned (or whose organisation was mentioned) in a comment on an åtgärd. */
export function ActionMentionEmail(props: ActionMentionEmailProps) {
  return (
    <EmailLayout preview={actionMentionSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        {props.organisationName
          ? `${props.authorName} nämnde ${props.organisationName} i en kommentar till en åtgärd i listan ${props.listTitle}.`
          : `${props.authorName} nämnde dig i en kommentar till en åtgärd i listan ${props.listTitle}.`}
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.itemLabel}</Text>
      <Text style={{ whiteSpace: "pre-wrap", borderLeft: "3px solid #cccccc", paddingLeft: "12px" }}>{props.excerpt}</Text>
      <Section>
        <Button href={props.itemUrl} style={buttonStyle}>
          Visa åtgärden och svara
        </Button>
      </Section>
      <Text style={{ fontSize: "12px", color: "#555555" }}>Du kan stänga av e-post när någon nämner dig under Profil i portalen.</Text>
    </EmailLayout>
  );
}
