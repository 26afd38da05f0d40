import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

export type CalendarMeeting = {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  videoUrl: string;
  url: string;
  /** When this version of the meeting was saved: DTSTAMP, so a retried mail carries the identical file. */
  updatedAt: Date;
};

export type CalendarPerson = { name: string; email: string };

const attendeeStatus = {
  ja: ICalAttendeeStatus.ACCEPTED,
  nej: ICalAttendeeStatus.DECLINED,
  kanske: ICalAttendeeStatus.TENTATIVE,
} as const;

/** The UID a calendar uses to recognise the same meeting in the invitation, every update and the cancellation. */
export function meetingUid(meetingId: string) {
  return `${meetingId}@samverkansportalen`;
}

/**
 * One invitee's iCalendar object for a meeting: METHOD:REQUEST for an invitation or update,
 * METHOD:CANCEL for a cancellation. Times are written in UTC, so no client has to know Stockholm's rules.
 */
export function meetingCalendar(input: {
  meeting: CalendarMeeting;
  sequence: number;
  method: "REQUEST" | "CANCEL";
  organizer: CalendarPerson;
  attendee: CalendarPerson & { response: "ja" | "nej" | "kanske" | null };
}) {
  const { meeting, attendee } = input;
  const calendar = ical({
    prodId: { company: "Stockholms stad", product: "Samverkansportalen", language: "SV" },
    method: input.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const location = [meeting.place, meeting.videoUrl].filter(Boolean).join(" – ");
  calendar.createEvent({
    id: meetingUid(meeting.id),
    sequence: input.sequence,
    stamp: meeting.updatedAt,
    start: meeting.startsAt,
    end: meeting.endsAt,
    summary: meeting.title,
    description: [meeting.description, `Mer information och svar: ${meeting.url}`].filter(Boolean).join("\n\n"),
    location: location || null,
    url: meeting.url,
    status: input.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      {
        name: attendee.name,
        email: attendee.email,
        rsvp: true,
        role: ICalAttendeeRole.REQ,
        status: attendee.response ? attendeeStatus[attendee.response] : ICalAttendeeStatus.NEEDSACTION,
      },
    ],
  });
  return calendar.toString();
}
