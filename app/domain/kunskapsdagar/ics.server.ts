import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

export type CalendarKunskapsdag = {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  videoUrl: string;
  url: string;
  updatedAt: Date;
};

export function kunskapsdagUid(kunskapsdagId: string) {
  return `kunskapsdag-${kunskapsdagId}@samverkansportalen`;
}

/**
 * The participant's calendar file: METHOD:PUBLISH (a seat to put in the calendar, no answer asked
 * for) or METHOD:CANCEL when the seat is given up. Same UID for every file about the day.
 */
export function kunskapsdagCalendar(input: { day: CalendarKunskapsdag; sequence: number; cancelled: boolean; manageUrl: string }) {
  const { day } = input;
  const calendar = ical({
    prodId: { company: "Stockholms stad", product: "Samverkansportalen", language: "SV" },
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  const location = [day.place, day.videoUrl].filter(Boolean).join(" – ");
  calendar.createEvent({
    id: kunskapsdagUid(day.id),
    sequence: input.sequence,
    stamp: day.updatedAt,
    start: day.startsAt,
    end: day.endsAt,
    summary: day.title,
    description: [day.description, `Kunskapsdagen: ${day.url}`, `Ändra eller avboka din anmälan: ${input.manageUrl}`].filter(Boolean).join("\n\n"),
    location: location || null,
    url: day.url,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
