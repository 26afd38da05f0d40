import { Button, Section, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, Greeting } from "./layout";

export type NotesApprovalRequestProps = {
  recipientName: string;
  coordinatorName: string;
  networkName: string;
  title: string;
  /** "27 okt. 2026 09:00–10:30", Stockholm time. */
  when: string;
  /** The approval page of the notes. */
  approvalUrl: string;
};

export function notesApprovalRequestSubject(props: Pick<NotesApprovalRequestProps, "title">) {
  return `Justera minnesanteckningarna: ${props.title}`;
}

/** To each chosen justerare when a coordinator sends the notes for approval. */
export function NotesApprovalRequestEmail(props: NotesApprovalRequestProps) {
  return (
    <EmailLayout preview={notesApprovalRequestSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        {props.coordinatorName} har valt dig som justerare av minnesanteckningarna från ett möte i nätverket {props.networkName}. Läs
        anteckningarna och justera dem, eller skriv en kommentar om något behöver ändras.
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <Text>Tid: {props.when}</Text>
      <Section>
        <Button href={props.approvalUrl} style={buttonStyle}>
          Läs och justera anteckningarna
        </Button>
      </Section>
      <Text>Du behöver vara inloggad i portalen för att justera.</Text>
    </EmailLayout>
  );
}

export type NotesApprovedProps = {
  recipientName: string;
  networkName: string;
  title: string;
  when: string;
  /** "25 nov. 2026 10:12". */
  approvedAt: string;
  approverNames: string[];
  /** The notes in the portal. */
  notesUrl: string;
  /** The approved minutes as a PDF, base64; sent as the attachment, not shown in the body. */
  pdfBase64: string;
  pdfFilename: string;
};

export function notesApprovedSubject(props: Pick<NotesApprovedProps, "title">) {
  return `Justerade minnesanteckningar: ${props.title}`;
}

/** To every invitee when the last justerare approved: the minutes as a PDF and a link. */
export function NotesApprovedEmail(props: NotesApprovedProps) {
  return (
    <EmailLayout preview={notesApprovedSubject(props)}>
      <Greeting name={props.recipientName} />
      <Text>
        Minnesanteckningarna från mötet i nätverket {props.networkName} är justerade {props.approvedAt} av {props.approverNames.join(", ")}. De
        justerade anteckningarna finns som PDF i mejlet.
      </Text>
      <Text style={{ fontSize: "18px", fontWeight: "bold" }}>{props.title}</Text>
      <Text>Tid: {props.when}</Text>
      <Section>
        <Button href={props.notesUrl} style={buttonStyle}>
          Öppna anteckningarna i portalen
        </Button>
      </Section>
    </EmailLayout>
  );
}
