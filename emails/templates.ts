import { render } from "@react-email/render";
import { createElement } from "react";
import { MeetingEmail, meetingSubject, type MeetingEmailProps } from "./meeting";
import { MeetingRemovedEmail, meetingRemovedSubject, type MeetingRemovedEmailProps } from "./meeting-removed";
import { PollEmail, pollSubject, type PollEmailProps } from "./poll";
import { KunskapsdagMessageEmail, kunskapsdagMessageSubject, type KunskapsdagMessageProps } from "./kunskapsdag-message";
import { SignInEmail, type SignInEmailProps } from "./sign-in";
import { RegistrationEmail, registrationSubject, type RegistrationEmailProps } from "./kunskapsdag-registration";
import { FollowupEmail, followupSubject, type FollowupEmailProps } from "./kunskapsdag-followup";
import {
  NotesApprovalRequestEmail,
  notesApprovalRequestSubject,
  NotesApprovedEmail,
  notesApprovedSubject,
  type NotesApprovalRequestProps,
  type NotesApprovedProps,
} from "./notes-approval";
import { ActionMentionEmail, actionMentionSubject, type ActionMentionEmailProps } from "./action-mention";
import { ActionDigestEmail, actionDigestSubject, type ActionDigestEmailProps } from "./action-digest";
import { ActionOverdueSummaryEmail, actionOverdueSummarySubject, type ActionOverdueSummaryEmailProps } from "./action-overdue-summary";
export { followupRequestTemplate } from "./followup-request";

/**
 * Every mail the portal sends. `load` runs at send time, so a mail always carries current data
 * and secrets (sign-in links) are derived then instead of being stored with the queued mail.
 */
export type TemplateDefinition<Stored, Props> = {
  subject: (props: Props) => string;
  load: (stored: Stored) => Promise<Props | null>;
  render: (props: Props) => React.ReactElement;
  /** Files sent with the mail, built from the same props at send time. */
  attachments?: (props: Props) => EmailAttachment[];
};

/** A file sent with a mail: text as it is, or binary (a PDF) as base64 with `encoding: "base64"`. */
export type EmailAttachment = { filename: string; contentType: string; content: string; encoding?: "base64" };

/** The attachment's bytes, whichever way its content is kept. */
export function attachmentBytes(file: EmailAttachment) {
  return file.encoding === "base64" ? Buffer.from(file.content, "base64") : Buffer.from(file.content, "utf8");
}

export type RenderedEmail = { subject: string; html: string; text: string; attachments: EmailAttachment[] };

export async function renderTemplate<Stored, Props>(
  definition: TemplateDefinition<Stored, Props>,
  stored: Stored,
): Promise<RenderedEmail | null> {
  const props = await definition.load(stored);
  if (!props) return null;
  const element = definition.render(props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: definition.subject(props), html, text, attachments: definition.attachments?.(props) ?? [] };
}

export function signInTemplate<Stored>(load: (stored: Stored) => Promise<SignInEmailProps | null>): TemplateDefinition<Stored, SignInEmailProps> {
  return {
    subject: (props) => (props.invitedBy ? "Inbjudan till Samverkansportalen" : `Logga in i Samverkansportalen – kod ${props.code}`),
    load,
    render: (props) => createElement(SignInEmail, props),
  };
}

export function meetingTemplate<Stored>(load: (stored: Stored) => Promise<MeetingEmailProps | null>): TemplateDefinition<Stored, MeetingEmailProps> {
  return {
    subject: meetingSubject,
    load,
    render: (props) => createElement(MeetingEmail, props),
    attachments: (props) => [
      {
        filename: props.kind === "cancellation" ? "installt-mote.ics" : "mote.ics",
        contentType: `text/calendar; charset=utf-8; method=${props.kind === "cancellation" ? "CANCEL" : "REQUEST"}`,
        content: props.ics,
      },
    ],
  };
}

export function meetingRemovedTemplate<Stored>(load: (stored: Stored) => Promise<MeetingRemovedEmailProps | null>): TemplateDefinition<Stored, MeetingRemovedEmailProps> {
  return {
    subject: meetingRemovedSubject,
    load,
    render: (props) => createElement(MeetingRemovedEmail, props),
    attachments: (props) => [{ filename: "installt-mote.ics", contentType: "text/calendar; charset=utf-8; method=CANCEL", content: props.ics }],
  };
}

export function pollTemplate<Stored>(load: (stored: Stored) => Promise<PollEmailProps | null>): TemplateDefinition<Stored, PollEmailProps> {
  return { subject: pollSubject, load, render: (props) => createElement(PollEmail, props) };
}

export function kunskapsdagRegistrationTemplate<Stored>(load: (stored: Stored) => Promise<RegistrationEmailProps | null>): TemplateDefinition<Stored, RegistrationEmailProps> {
  return {
    subject: registrationSubject,
    load,
    render: (props) => createElement(RegistrationEmail, props),
    attachments: (props) =>
      props.ics
        ? [
            {
              filename: props.kind === "avbokad" ? "avbokad-kunskapsdag.ics" : "kunskapsdag.ics",
              contentType: `text/calendar; charset=utf-8; method=${props.kind === "avbokad" ? "CANCEL" : "PUBLISH"}`,
              content: props.ics,
            },
          ]
        : [],
  };
}

export function kunskapsdagMessageTemplate<Stored>(load: (stored: Stored) => Promise<KunskapsdagMessageProps | null>): TemplateDefinition<Stored, KunskapsdagMessageProps> {
  return { subject: kunskapsdagMessageSubject, load, render: (props) => createElement(KunskapsdagMessageEmail, props) };
}

export function kunskapsdagFollowupTemplate<Stored>(load: (stored: Stored) => Promise<FollowupEmailProps | null>): TemplateDefinition<Stored, FollowupEmailProps> {
  return {
    subject: followupSubject,
    load,
    render: (props) => createElement(FollowupEmail, props),
    attachments: (props) =>
      props.ics
        ? [
            {
              filename: props.kind === "installd" ? "installd-kunskapsdag.ics" : "kunskapsdag.ics",
              contentType: `text/calendar; charset=utf-8; method=${props.kind === "installd" ? "CANCEL" : "PUBLISH"}`,
              content: props.ics,
            },
          ]
        : [],
  };
}

export function notesApprovalRequestTemplate<Stored>(load: (stored: Stored) => Promise<NotesApprovalRequestProps | null>): TemplateDefinition<Stored, NotesApprovalRequestProps> {
  return { subject: notesApprovalRequestSubject, load, render: (props) => createElement(NotesApprovalRequestEmail, props) };
}

export function notesApprovedTemplate<Stored>(load: (stored: Stored) => Promise<NotesApprovedProps | null>): TemplateDefinition<Stored, NotesApprovedProps> {
  return {
    subject: notesApprovedSubject,
    load,
    render: (props) => createElement(NotesApprovedEmail, props),
    attachments: (props) => [{ filename: props.pdfFilename, contentType: "application/pdf", content: props.pdfBase64, encoding: "base64" }],
  };
}

export function actionMentionTemplate<Stored>(load: (stored: Stored) => Promise<ActionMentionEmailProps | null>): TemplateDefinition<Stored, ActionMentionEmailProps> {
  return { subject: actionMentionSubject, load, render: (props) => createElement(ActionMentionEmail, props) };
}

export function actionDigestTemplate<Stored>(load: (stored: Stored) => Promise<ActionDigestEmailProps | null>): TemplateDefinition<Stored, ActionDigestEmailProps> {
  return { subject: actionDigestSubject, load, render: (props) => createElement(ActionDigestEmail, props) };
}

export function actionOverdueSummaryTemplate<Stored>(
  load: (stored: Stored) => Promise<ActionOverdueSummaryEmailProps | null>,
): TemplateDefinition<Stored, ActionOverdueSummaryEmailProps> {
  return { subject: actionOverdueSummarySubject, load, render: (props) => createElement(ActionOverdueSummaryEmail, props) };
}
