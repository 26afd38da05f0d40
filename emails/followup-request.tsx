import { Button, Link, Text } from "@react-email/components";
import { createElement } from "react";
import { buttonStyle, EmailLayout, Greeting } from "./layout";
import type { TemplateDefinition } from "./templates";

export type FollowupRequestEmailProps = {
  kind: "request" | "reminder";
  recipientName: string;
  agreementTitle: string;
  /** "T1 2026" */
  periodTitle: string;
  /** "10 maj 2026" */
  deadline: string;
  itemCount: number;
  updatedCount: number;
  updateUrl: string;
};

export function followupRequestSubject(props: Pick<FollowupRequestEmailProps, "kind" | "periodTitle" | "agreementTitle" | "deadline">) {
  const base = `Uppföljning ${props.periodTitle}: ${props.agreementTitle} – senast ${props.deadline}`;
  return props.kind === "reminder" ? `Påminnelse: ${base}` : base;
}

/** Asks an åtgärd owner to report status and judgement for a follow-up period (and reminds them once). */
export function FollowupRequestEmail(props: FollowupRequestEmailProps) {
  const items = props.itemCount === 1 ? "1 åtgärd" : `${props.itemCount} åtgärder`;
  return (
    <EmailLayout preview={followupRequestSubject(props)}>
      <Greeting name={props.recipientName} />
      {props.kind === "reminder" ? (
        <Text>
          Påminnelse: uppföljningen {props.periodTitle} av {props.agreementTitle} ska vara klar senast {props.deadline}. Du har följt upp{" "}
          {props.updatedCount} av {items}.
        </Text>
      ) : (
        <Text>
          Det är dags för uppföljningen {props.periodTitle} av samverkansöverenskommelsen {props.agreementTitle}. Du är ansvarig för {items}. Ange
          status och bedömning (grön, gul eller röd, med motivering) senast {props.deadline}.
        </Text>
      )}
      <Button href={props.updateUrl} style={buttonStyle}>
        Följ upp mina åtgärder
      </Button>
      <Text>
        Du loggar in i portalen för att följa upp: <Link href={props.updateUrl}>{props.updateUrl}</Link>
      </Text>
      <Text>Skriv inte uppgifter om enskilda personer eller säkerhetsskyddsklassificerade uppgifter i uppföljningen.</Text>
    </EmailLayout>
  );
}

export function followupRequestTemplate<Stored>(load: (stored: Stored) => Promise<FollowupRequestEmailProps | null>): TemplateDefinition<Stored, FollowupRequestEmailProps> {
  return { subject: followupRequestSubject, load, render: (props) => createElement(FollowupRequestEmail, props) };
}
