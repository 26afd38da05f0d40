import { asc } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { networks } from "../../../db/schema";
import { badRequest, notFound } from "../http-errors";
import { createMeeting, meetingFormSchema } from "../meetings/meetings.server";
import { planSeries } from "../meetings/recurrence.server";
import { createMeetingSeries } from "../meetings/series.server";
import { loadNetworkResource } from "../networks/networks.server";
import { authorize, can, type Actor } from "../policy";
import { parseValues } from "../../server/forms.server";
import { loadAgreement } from "./data.server";
import { EST_RHYTHMS, type EstRhythm } from "./labels";

/**
 * The EST rhythm (Effektiv samordning för trygghet) as meetings in a network: a weekly lägesbild
 * as a meeting series, a quarterly analysis as four meetings three months apart, and a yearly
 * follow-up. The meetings are ordinary network meetings, planned through the meetings domain.
 */


export const estSchema = z.object({
  networkId: z.string().uuid("Välj ett nätverk."),
  rhythm: z.enum(Object.keys(EST_RHYTHMS) as [EstRhythm, ...EstRhythm[]], { error: "Välj rytm." }),
  weeks: z.coerce.number({ error: "Ange antal veckor." }).int("Ange ett helt antal veckor.").min(2, "Ange minst 2 veckor.").max(52, "Ange högst 52 veckor.").default(12),
});

/** Networks in which the actor may plan meetings (the choices of the EST form). */
export async function estNetworkChoices(db: Db, actor: Actor) {
  const all = await db.select({ id: networks.id, name: networks.name }).from(networks).orderBy(asc(networks.name));
  const choices: Array<{ id: string; name: string }> = [];
  for (const network of all) {
    const resource = await loadNetworkResource(db, network.id);
    if (resource && can(actor, "meeting.create", resource)) choices.push(network);
  }
  return choices;
}

function addMonths(date: string, months: number) {
  if (months === 0) return date;
  const [year, month, day] = date.split("-").map(Number);
  const value = new Date(Date.UTC(year, month - 1 + months, Math.min(day, 28)));
  return value.toISOString().slice(0, 10);
}

/** Plans the chosen rhythm's meetings in the network; returns how many meetings were planned. */
export async function planEstRhythm(db: Db, actor: Actor, agreementId: string, values: Record<string, unknown>) {
  const { agreement, resource } = await loadAgreement(db, agreementId);
  if (!can(actor, "followup.view", resource)) throw notFound();
  authorize(actor, "followup.manage", resource);
  const parsedChoice = parseValues(values, estSchema);
  if (!parsedChoice.ok) throw badRequest(Object.values(parsedChoice.fieldErrors)[0] ?? "Kontrollera uppgifterna.", parsedChoice.fieldErrors);
  const { networkId, rhythm, weeks } = parsedChoice.data;
  const parsedMeeting = parseValues(
    {
      title: `${EST_RHYTHMS[rhythm].title} – ${agreement.title}`.slice(0, 200),
      date: values.date,
      startTime: values.startTime,
      endTime: values.endTime,
      place: values.place,
      description: `${EST_RHYTHMS[rhythm].label} enligt samverkansöverenskommelsen ${agreement.title}.`,
      inviteNetwork: "on",
      extraEmails: "",
    },
    meetingFormSchema,
  );
  if (!parsedMeeting.ok) throw badRequest(Object.values(parsedMeeting.fieldErrors)[0] ?? "Kontrollera mötets tid och plats.", parsedMeeting.fieldErrors);
  const input = parsedMeeting.data;
  const date = String(values.date);
  if (rhythm === "vecka") {
    const plan = planSeries({ frequency: "weekly", end: { count: weeks } }, date, String(values.startTime), String(values.endTime));
    if (!plan.ok) throw badRequest(plan.message, { date: plan.message });
    await createMeetingSeries(db, actor, networkId, input, plan);
    return weeks;
  }
  const dates = rhythm === "kvartal" ? [0, 3, 6, 9].map((months) => addMonths(date, months)) : [date];
  // Every date is checked before the first meeting is planned, so a bad one plans none.
  const planned = dates.map((day) => {
    const meeting = parseValues({ ...values, title: input.title, description: input.description, date: day, inviteNetwork: "on", extraEmails: "" }, meetingFormSchema);
    if (!meeting.ok) throw badRequest(Object.values(meeting.fieldErrors)[0] ?? "Kontrollera mötets tid.", meeting.fieldErrors);
    return meeting.data;
  });
  for (const meeting of planned) await createMeeting(db, actor, networkId, meeting);
  return planned.length;
}
