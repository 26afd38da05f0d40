import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Db, Queryable, Tx } from "../../../db/client";
import { agendaItems, meetingInvitees, meetings, networkMembers, networks, users } from "../../../db/schema";
import type { MeetingEmailKind, MeetingEmailProps } from "../../../emails/meeting";
import { formatDate, formatDateTime } from "../../format";
import { config } from "../../server/config.server";
import { portal } from "../../server/portal.server";
import { changedFields, recordAudit } from "../audit/audit.server";
import { calendarDate } from "../calendar-date";
import { emailSchema } from "../email-address";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { networkContactInvitees } from "../networks/network-members.server";
import { loadNetworkResource, preparedPer, visibilityParams } from "../networks/networks.server";
import { authorize, can, type Actor, type MeetingResource } from "../policy";
import { meetingCalendar } from "./ics.server";
import { inviteeDisplayName, knownInviteeName } from "./invitee-names";
import { withdrawnInvitationError } from "./withdrawn-invitations.server";
import { occurrenceCalendar } from "./series-ics.server";
import { answerExpiry, answerLink, type MeetingAnswer } from "./answer-links.server";
import { answerLabels, closedForAnswers, meetingRoom } from "./labels";
import { reminderChoicesField } from "./reminders";
import { afterAnswer, reminderColumns, replanReminders, stopReminders } from "./reminders.server";
import { stockholmDate, stockholmTime, stockholmToUtc } from "./time";

export { answerLabels, meetingRoom } from "./labels";

/**
 * The SQL twin of the `meeting.view` rule: the meeting's owner or shared-with organisations, the
 * network's members and the invitees (a system administrator sees all). Placeholders are filled
 * by `visibilityParams`, so the list queries are prepared once and reused for everyone.
 */
export const visibleMeetings = sql`(${sql.placeholder("seesAll")}::boolean
  or ${meetings.ownerOrganisationId} = any(${sql.placeholder("organisationIds")}::uuid[])
  or ${meetings.sharedWithOrganisationIds} && ${sql.placeholder("organisationIds")}::uuid[]
  or exists (select 1 from ${networkMembers} where ${networkMembers.networkId} = ${meetings.networkId} and ${networkMembers.userId} = ${sql.placeholder("actorId")}::uuid)
  or exists (select 1 from ${meetingInvitees} where ${meetingInvitees.meetingId} = ${meetings.id} and ${meetingInvitees.userId} = ${sql.placeholder("actorId")}::uuid))`;

// ---------------------------------------------------------------------------------------------
// Lists.

const networkMeetingsQuery = preparedPer((db) =>
  db
    .select({
      id: meetings.id,
      title: meetings.title,
      startsAt: meetings.startsAt,
      endsAt: meetings.endsAt,
      place: meetings.place,
      status: meetings.status,
    })
    .from(meetings)
    .where(and(eq(meetings.networkId, sql.placeholder("networkId")), visibleMeetings))
    .orderBy(asc(meetings.startsAt))
    .limit(500)
    .prepare("network_meetings"),
);

/** A network's meetings the person may see, split into coming (not yet ended) and past. */
export async function listNetworkMeetings(db: Db, actor: Actor, networkId: string) {
  const rows = await networkMeetingsQuery(db).execute({ ...visibilityParams(actor), networkId });
  const now = Date.now();
  return {
    upcoming: rows.filter((row) => row.endsAt.getTime() >= now),
    past: rows.filter((row) => row.endsAt.getTime() < now).reverse(),
  };
}

// ---------------------------------------------------------------------------------------------
// One meeting.

export async function loadMeetingResource(db: Queryable, meetingId: string) {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) return null;
  const network = await loadNetworkResource(db as Db, meeting.networkId);
  if (!network) return null;
  const invitees = await db
    .select({ userId: meetingInvitees.userId })
    .from(meetingInvitees)
    .where(and(eq(meetingInvitees.meetingId, meetingId), sql`${meetingInvitees.userId} is not null`));
  const resource: MeetingResource = {
    type: "meeting",
    ownerOrganisationId: meeting.ownerOrganisationId,
    sharedWithOrganisationIds: meeting.sharedWithOrganisationIds,
    network,
    inviteeUserIds: invitees.map((row) => row.userId!),
  };
  return { meeting, network, resource };
}

const MEETING_NOT_FOUND = "Mötet finns inte.";

/** The meeting and its resource, or 404 for one the person may not see (its existence does not leak). */
export async function visibleMeeting(db: Db, actor: Actor, meetingId: string) {
  const loaded = await loadMeetingResource(db, meetingId);
  if (!loaded || !can(actor, "meeting.view", loaded.resource)) throw notFound(MEETING_NOT_FOUND);
  return loaded;
}

const EXTERNAL = "Extern kontakt";

async function attendeeRows(db: Queryable, meetingId: string) {
  const rows = await db
    .select({
      id: meetingInvitees.id,
      userId: meetingInvitees.userId,
      name: meetingInvitees.name,
      email: meetingInvitees.email,
      response: meetingInvitees.response,
      comment: meetingInvitees.comment,
      respondedAt: meetingInvitees.respondedAt,
      organisation: sql<string | null>`(select string_agg(o.name, ', ' order by o.name) from memberships m join organisations o on o.id = m.organisation_id where m.user_id = "meeting_invitees"."user_id")`,
    })
    .from(meetingInvitees)
    .where(eq(meetingInvitees.meetingId, meetingId))
    .orderBy(asc(meetingInvitees.name), asc(meetingInvitees.email));
  return rows.map((row) => ({ ...row, name: inviteeDisplayName(row) }));
}

export type OrganisationCount = { organisation: string; ja: number; nej: number; kanske: number; obesvarat: number };

export async function getMeeting(db: Db, actor: Actor, meetingId: string) {
  const { meeting, network, resource } = await visibleMeeting(db, actor, meetingId);
  const agenda = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
  const attendees = (await attendeeRows(db, meetingId)).map((row) => ({ ...row, organisation: row.organisation ?? EXTERNAL }));
  const counts = new Map<string, OrganisationCount>();
  for (const attendee of attendees) {
    for (const organisation of attendee.organisation.split(", ")) {
      const count = counts.get(organisation) ?? { organisation, ja: 0, nej: 0, kanske: 0, obesvarat: 0 };
      count[attendee.response ?? "obesvarat"] += 1;
      counts.set(organisation, count);
    }
  }
  const mine = attendees.find((attendee) => attendee.userId === actor.userId) ?? null;
  return {
    meeting,
    networkName: network.name,
    agenda,
    attendees,
    counts: [...counts.values()].sort((a, b) => a.organisation.localeCompare(b.organisation, "sv")),
    mine,
    can: {
      edit: can(actor, "meeting.edit", resource) && meeting.status === "planerat",
      cancel: can(actor, "meeting.cancel", resource) && meeting.status === "planerat",
      exportAttendees: can(actor, "meeting.exportAttendees", resource),
      markHeld: can(actor, "meeting.markHeld", resource) && meeting.status === "planerat" && meeting.startsAt.getTime() <= Date.now(),
      removeInvitee: can(actor, "meeting.removeInvitee", resource) && meeting.status === "planerat",
      respond: mine !== null && can(actor, "meeting.respond", { type: "invitee", userId: mine.userId }) && meeting.status === "planerat",
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The meeting form.

const asList = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string()).max(30, "Dagordningen får ha högst 30 punkter."));
const clock = z.string({ error: "Ange en tid, t.ex. 09:00." }).trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Ange tiden som TT:MM, t.ex. 09:00.");
const MAX_EXTRA_INVITEES = 200;

export const meetingFormSchema = z
  .object({
    title: z.string({ error: "Ge mötet en rubrik." }).trim().min(3, "Ge mötet en rubrik (minst 3 tecken).").max(200, "Rubriken får vara högst 200 tecken."),
    // A day missing from the calendar is refused here, beside the date, not later as an impossible start time.
    date: z.string({ error: "Ange ett datum." }).pipe(calendarDate("Ange datumet som ÅÅÅÅ-MM-DD.")),
    startTime: clock,
    endTime: clock,
    place: z.string().trim().max(300, "Platsen får vara högst 300 tecken.").default(""),
    videoUrl: z
      .string()
      .trim()
      .max(500, "Videolänken får vara högst 500 tecken.")
      .default("")
      .refine((value) => value === "" || /^https?:\/\/[^\s]+$/i.test(value), "Videolänken ska vara en webbadress som börjar med https://."),
    description: z.string().trim().max(5000, "Beskrivningen får vara högst 5000 tecken.").default(""),
    agendaTitle: asList,
    agendaPresenter: asList,
    agendaMinutes: asList,
    inviteNetwork: z.enum(["on"]).optional(),
    extraEmails: z.string().max(20_000, "Listan med adresser är för lång.").default(""),
    reminders: reminderChoicesField,
    /** The meeting's `updatedAt` when the edit form was opened (none for a new meeting). */
    version: z.string().trim().max(40).default(""),
  })
  .transform((form, ctx) => {
    const startsAt = stockholmToUtc(form.date, form.startTime);
    const endsAt = stockholmToUtc(form.date, form.endTime);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startTime"], message: "Datumet eller starttiden finns inte i Stockholms tid." });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "Datumet eller sluttiden finns inte i Stockholms tid." });
    if (startsAt && endsAt && endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "Mötet måste sluta efter att det börjar." });
    if (!form.place && !form.videoUrl) ctx.addIssue({ code: "custom", path: ["place"], message: "Ange en plats, en videolänk eller båda." });

    const agenda: Array<{ title: string; presenter: string; minutes: number | null }> = [];
    const rows = Math.max(form.agendaTitle.length, form.agendaPresenter.length, form.agendaMinutes.length);
    for (let index = 0; index < rows; index++) {
      const title = (form.agendaTitle[index] ?? "").trim();
      const presenter = (form.agendaPresenter[index] ?? "").trim();
      const minutesText = (form.agendaMinutes[index] ?? "").trim();
      if (!title && !presenter && !minutesText) continue;
      const point = `Punkt ${index + 1} på dagordningen`;
      if (!title || title.length > 200) ctx.addIssue({ code: "custom", path: ["agenda"], message: `${point}: ange en rubrik (högst 200 tecken).` });
      if (presenter.length > 120) ctx.addIssue({ code: "custom", path: ["agenda"], message: `${point}: föredragande får vara högst 120 tecken.` });
      const minutes = minutesText ? Number(minutesText) : null;
      if (minutes !== null && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 600)) {
        ctx.addIssue({ code: "custom", path: ["agenda"], message: `${point}: ange minuter som ett heltal mellan 1 och 600.` });
      }
      agenda.push({ title, presenter, minutes });
    }

    const extraEmails: string[] = [];
    for (const candidate of form.extraEmails.split(/[\s,;]+/).filter(Boolean)) {
      const parsed = emailSchema.safeParse(candidate);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", path: ["extraEmails"], message: `"${candidate.slice(0, 80)}" är inte en giltig e-postadress.` });
        continue;
      }
      if (!extraEmails.includes(parsed.data)) extraEmails.push(parsed.data);
    }
    if (extraEmails.length > MAX_EXTRA_INVITEES) ctx.addIssue({ code: "custom", path: ["extraEmails"], message: `Ange högst ${MAX_EXTRA_INVITEES} adresser.` });

    return {
      title: form.title,
      description: form.description,
      startsAt: startsAt ?? new Date(0),
      endsAt: endsAt ?? new Date(0),
      place: form.place,
      videoUrl: form.videoUrl,
      agenda,
      inviteNetwork: form.inviteNetwork === "on",
      extraEmails,
      reminderOffsets: form.reminders,
      ...(form.version ? { version: form.version } : {}),
    };
  });

export type MeetingInput = z.output<typeof meetingFormSchema>;

/** The form's values for a stored meeting (edit page). */
export function meetingFormValues(meeting: typeof meetings.$inferSelect) {
  return {
    title: meeting.title,
    date: stockholmDate(meeting.startsAt),
    startTime: stockholmTime(meeting.startsAt),
    endTime: stockholmTime(meeting.endsAt),
    place: meeting.place,
    videoUrl: meeting.videoUrl,
    description: meeting.description,
    reminders: meeting.reminderOffsetsMinutes.map(String),
  };
}

// ---------------------------------------------------------------------------------------------
// Commands.

type NewInvitee = { userId: string | null; email: string; name: string };

/** People for the given addresses: known (active or invited) people by their account, others as external contacts. */
export async function inviteesFor(tx: Queryable, emails: readonly string[]): Promise<NewInvitee[]> {
  if (emails.length === 0) return [];
  const known = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(inArray(users.email, [...emails]), inArray(users.status, ["active", "invited"])));
  return emails.map((email) => {
    const person = known.find((row) => row.email === email);
    // No name is known for an address without an account: lists show the address (see invitee-names.ts).
    return person ? { userId: person.id, email: person.email, name: person.name } : { userId: null, email, name: email };
  });
}

export function uniqueByEmail(invitees: NewInvitee[]) {
  const seen = new Set<string>();
  return invitees.filter((invitee) => {
    const key = invitee.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function queueMeetingMails(
  tx: Queryable,
  meeting: { id: string; title: string; sequence: number },
  invitees: ReadonlyArray<{ id: string; email: string }>,
  kindOf: (inviteeId: string) => MeetingEmailKind,
) {
  const ids: Array<string | undefined> = [];
  const prefix = { invitation: "Inbjudan", update: "Ändrat möte", cancellation: "Inställt möte" };
  for (const invitee of invitees) {
    const kind = kindOf(invitee.id);
    ids.push(
      await queueEmail(tx, {
        template: "meeting",
        to: invitee.email,
        subject: `${prefix[kind]}: ${meeting.title}`,
        props: { meetingId: meeting.id, inviteeId: invitee.id, kind, sequence: meeting.sequence },
        idempotencyKey: `meeting:${meeting.id}:${invitee.id}:${meeting.sequence}:${kind}`,
      }),
    );
  }
  return ids;
}

/** The columns the meeting form sets, for a new meeting and for a change. */
export function meetingFields(input: Pick<MeetingInput, "title" | "description" | "startsAt" | "endsAt" | "place" | "videoUrl">) {
  const { title, description, startsAt, endsAt, place, videoUrl } = input;
  return { title, description, startsAt, endsAt, place, videoUrl };
}

/**
 * Plans a meeting and queues the invitations. `alsoInTransaction` runs before the commit, so that
 * a caller's own change (a time poll closed on its chosen time) and the meeting stand or fall together.
 */
export async function createMeeting(
  db: Db,
  actor: Actor,
  networkId: string,
  input: MeetingInput,
  alsoInTransaction?: (tx: Tx, meeting: typeof meetings.$inferSelect) => Promise<void>,
) {
  const network = await loadNetworkResource(db, networkId);
  if (!network || !can(actor, "network.view", network)) throw notFound("Nätverket finns inte.");
  authorize(actor, "meeting.create", network);
  const { meeting, mailIds, invited } = await db.transaction(async (tx) => {
    const members = input.inviteNetwork
      ? await tx
          .select({ userId: users.id, email: users.email, name: users.name })
          .from(networkMembers)
          .innerJoin(users, eq(users.id, networkMembers.userId))
          .where(and(eq(networkMembers.networkId, networkId), inArray(users.status, ["active", "invited"])))
          .orderBy(asc(users.name))
      : [];
    const contacts = input.inviteNetwork ? await networkContactInvitees(tx, networkId) : [];
    const invitees = uniqueByEmail([...members, ...contacts, ...(await inviteesFor(tx, input.extraEmails))]);
    if (invitees.length === 0) throw badRequest("Bjud in minst en person.", { extraEmails: "Bjud in nätverket eller ange minst en e-postadress." });
    const [meeting] = await tx
      .insert(meetings)
      .values({
        networkId,
        ownerOrganisationId: network.ownerOrganisationId,
        sharedWithOrganisationIds: [...network.sharedWithOrganisationIds],
        ...meetingFields(input),
        ...reminderColumns(input.startsAt, input.reminderOffsets),
        createdBy: actor.userId,
      })
      .returning();
    if (input.agenda.length) await tx.insert(agendaItems).values(input.agenda.map((item, position) => ({ meetingId: meeting.id, position, ...item })));
    const inserted = await tx
      .insert(meetingInvitees)
      .values(invitees.map((invitee) => ({ meetingId: meeting.id, ...invitee })))
      .returning({ id: meetingInvitees.id, email: meetingInvitees.email });
    await recordAudit(tx, {
      actor,
      action: "meeting.create",
      entityType: "meeting",
      entityId: meeting.id,
      organisationId: meeting.ownerOrganisationId,
      summary: `${actor.name} planerade mötet ${meeting.title} i nätverket ${network.name}`,
      after: { title: meeting.title, startsAt: meeting.startsAt.toISOString(), endsAt: meeting.endsAt.toISOString(), invitees: inserted.length },
    });
    const mailIds = await queueMeetingMails(tx, meeting, inserted, () => "invitation");
    await alsoInTransaction?.(tx, meeting);
    return { meeting, mailIds, invited: inserted.length };
  });
  await dispatchEmails(mailIds);
  return { ...meeting, invited };
}

export function comparable(meeting: { title: string; description: string; startsAt: Date; endsAt: Date; place: string; videoUrl: string }, agenda: MeetingInput["agenda"]) {
  return {
    title: meeting.title,
    description: meeting.description,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    place: meeting.place,
    videoUrl: meeting.videoUrl,
    agenda: agenda.map(({ title, presenter, minutes }) => ({ title, presenter, minutes })),
  };
}

export const MEETING_CHANGED_MEANWHILE = "Mötet har ändrats av någon annan sedan du öppnade sidan. Ladda om sidan och gör din ändring igen.";

/**
 * A change is made to the meeting as the form showed it: if someone else saved the meeting since
 * the form was opened, saving it would put back what they changed, so it is refused (409) and
 * the form keeps what was typed. Call it under the meeting's row lock.
 */
export function checkMeetingVersion(current: { updatedAt: Date }, version: string | undefined) {
  if (version !== undefined && current.updatedAt.toISOString() !== version) throw conflict(MEETING_CHANGED_MEANWHILE);
}

/** Saves a change; every invitee gets an update (SEQUENCE + 1), people added now an invitation. */
export async function updateMeeting(db: Db, actor: Actor, meetingId: string, input: Omit<MeetingInput, "inviteNetwork">) {
  const { resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.edit", resource);
  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for("update");
    if (current.status !== "planerat") throw conflict(current.status === "genomfort" ? "Ett genomfört möte kan inte ändras." : "Ett inställt möte kan inte ändras.");
    checkMeetingVersion(current, input.version);
    const agendaBefore = await tx.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
    const existing = await tx.select({ id: meetingInvitees.id, email: meetingInvitees.email }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    const known = new Set(existing.map((row) => row.email.toLowerCase()));
    const added = (await inviteesFor(tx, input.extraEmails)).filter((invitee) => !known.has(invitee.email.toLowerCase()));
    const diff = changedFields(comparable(current, agendaBefore), comparable(input, input.agenda));
    const remindersChanged = await replanReminders(tx, actor, current, input);
    if (diff.changed.length === 0 && added.length === 0) return { changed: remindersChanged, mailIds: [], updated: 0, invited: 0 };

    const [meeting] = await tx
      .update(meetings)
      .set({
        ...meetingFields(input),
        // Only a change to the meeting itself is a new version for the calendars; adding people is not.
        sequence: diff.changed.length ? sql`${meetings.sequence} + 1` : current.sequence,
        updatedAt: new Date(),
      })
      .where(eq(meetings.id, meetingId))
      .returning();
    if (diff.changed.includes("agenda")) {
      await tx.delete(agendaItems).where(eq(agendaItems.meetingId, meetingId));
      if (input.agenda.length) await tx.insert(agendaItems).values(input.agenda.map((item, position) => ({ meetingId, position, ...item })));
    }
    const inserted = added.length
      ? await tx
          .insert(meetingInvitees)
          .values(added.map((invitee) => ({ meetingId, ...invitee })))
          .returning({ id: meetingInvitees.id, email: meetingInvitees.email })
      : [];
    await recordAudit(tx, {
      actor,
      action: "meeting.edit",
      entityType: "meeting",
      entityId: meetingId,
      organisationId: meeting.ownerOrganisationId,
      summary: `${actor.name} ändrade mötet ${meeting.title}`,
      before: diff.before,
      after: { ...diff.after, ...(inserted.length ? { addedInvitees: inserted.map((row) => row.email) } : {}) },
    });
    const newIds = new Set(inserted.map((row) => row.id));
    const recipients = diff.changed.length ? [...existing, ...inserted] : inserted;
    const mailIds = await queueMeetingMails(tx, meeting, recipients, (id) => (newIds.has(id) ? "invitation" : "update"));
    return { changed: true as const, mailIds, updated: diff.changed.length ? existing.length : 0, invited: inserted.length };
  });
  if (result.changed) {
    await dispatchEmails(result.mailIds);
    portal().publish(meetingRoom(meetingId), "meeting:changed", { meetingId });
  }
  // Who is told: `updated` invitees get the change, `invited` people their first invitation.
  return { changed: result.changed, updated: result.updated, invited: result.invited };
}

export async function cancelMeeting(db: Db, actor: Actor, meetingId: string) {
  const { resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.cancel", resource);
  const mailIds = await db.transaction(async (tx) => {
    const [meeting] = await tx
      .update(meetings)
      .set({ status: "installt", sequence: sql`${meetings.sequence} + 1`, updatedAt: new Date() })
      .where(and(eq(meetings.id, meetingId), eq(meetings.status, "planerat")))
      .returning();
    if (!meeting) {
      const [current] = await tx.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId));
      throw conflict(current?.status === "genomfort" ? "Ett genomfört möte kan inte ställas in." : "Mötet är redan inställt.");
    }
    await stopReminders(tx, meetingId);
    await recordAudit(tx, {
      actor,
      action: "meeting.cancel",
      entityType: "meeting",
      entityId: meetingId,
      organisationId: meeting.ownerOrganisationId,
      summary: `${actor.name} ställde in mötet ${meeting.title}`,
      before: { status: "planerat" },
      after: { status: "installt" },
    });
    const invitees = await tx.select({ id: meetingInvitees.id, email: meetingInvitees.email }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    return queueMeetingMails(tx, meeting, invitees, () => "cancellation");
  });
  await dispatchEmails(mailIds);
  portal().publish(meetingRoom(meetingId), "meeting:changed", { meetingId });
}

// ---------------------------------------------------------------------------------------------
// Answers (svar): signed in on the meeting page, or by a signed link from the mail.

export const answerSchema = z.object({
  response: z.enum(["ja", "nej", "kanske"], { error: "Välj Ja, Nej eller Kanske." }),
  comment: z.string().trim().max(500, "Kommentaren får vara högst 500 tecken.").default(""),
});

type InviteeRow = typeof meetingInvitees.$inferSelect;

/** Records an answer; the same answer again changes nothing, so a second click is harmless. */
async function recordAnswer(db: Db, invitee: InviteeRow, auditActor: Actor, answer: MeetingAnswer, comment: string, via: string) {
  if (invitee.response === answer && invitee.comment === comment) return false;
  await db.transaction(async (tx) => {
    const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, invitee.meetingId)).for("update");
    if (meeting.status !== "planerat") throw conflict(closedForAnswers(meeting.status));
    await tx.update(meetingInvitees).set({ response: answer, comment, respondedAt: new Date() }).where(eq(meetingInvitees.id, invitee.id));
    await afterAnswer(tx, invitee, answer);
    await recordAudit(tx, {
      actor: auditActor,
      action: "meeting.respond",
      entityType: "meeting",
      entityId: meeting.id,
      organisationId: meeting.ownerOrganisationId,
      summary: `${invitee.name} svarade ${answerLabels[answer]} på mötet ${meeting.title}${via}`,
      before: { response: invitee.response, comment: invitee.comment },
      after: { response: answer, comment },
    });
  });
  portal().publish(meetingRoom(invitee.meetingId), "meeting:attendees", { meetingId: invitee.meetingId });
  return true;
}

export async function respondToMeeting(db: Db, actor: Actor, meetingId: string, input: z.infer<typeof answerSchema>) {
  const { meeting } = await visibleMeeting(db, actor, meetingId);
  const [invitee] = await db.select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.userId, actor.userId)));
  authorize(actor, "meeting.respond", { type: "invitee", userId: invitee?.userId ?? null });
  if (meeting.status !== "planerat") throw conflict(closedForAnswers(meeting.status));
  return recordAnswer(db, invitee, actor, input.response, input.comment, "");
}

/** One invitation with its meeting and the network's name, or undefined. */
async function invitationWithMeeting(db: Db, target: { meetingId: string; inviteeId: string }) {
  const [row] = await db
    .select({ invitee: meetingInvitees, meeting: meetings, networkName: networks.name })
    .from(meetingInvitees)
    .innerJoin(meetings, eq(meetings.id, meetingInvitees.meetingId))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(and(eq(meetingInvitees.id, target.inviteeId), eq(meetingInvitees.meetingId, target.meetingId)));
  return row;
}

/** The invitation a verified answer link points at, with its meeting; 404 when it no longer exists. */
export async function loadAnswerTarget(db: Db, target: { meetingId: string; inviteeId: string }) {
  const row = await invitationWithMeeting(db, target);
  if (!row) throw (await withdrawnInvitationError(db, target)) ?? notFound("Inbjudan finns inte längre. Kontakta den som kallade till mötet.");
  return row;
}

/** An answer by link: the signed token is the authority, so no sign-in is needed. */
export async function respondByLink(db: Db, target: { meetingId: string; inviteeId: string; answer: MeetingAnswer }, comment: string) {
  const { invitee, meeting } = await loadAnswerTarget(db, target);
  if (meeting.status !== "planerat") throw conflict(closedForAnswers(meeting.status));
  // Audited as the invited person when they have an account, otherwise under their name alone.
  const actor: Actor = { userId: invitee.userId ?? "00000000-0000-0000-0000-000000000000", name: invitee.name, isSystemAdmin: false, memberships: [] };
  return recordAnswer(db, invitee, actor, target.answer, comment, " (via länk i mejlet)");
}

// ---------------------------------------------------------------------------------------------
// Export.

/** A cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). */
export function neutraliseFormula(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function attendeesCsv(db: Db, actor: Actor, meetingId: string) {
  const { meeting, resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.exportAttendees", resource);
  const attendees = await attendeeRows(db, meetingId);
  const rows = attendees.map((attendee) =>
    [
      attendee.name,
      attendee.email,
      attendee.organisation ?? EXTERNAL,
      attendee.response ? answerLabels[attendee.response] : "Inte svarat",
      attendee.comment,
      attendee.respondedAt ? formatDateTime(attendee.respondedAt) : "",
    ].map(neutraliseFormula),
  );
  const csv = stringify(rows, {
    bom: true,
    delimiter: ";",
    header: true,
    columns: ["Namn", "E-post", "Organisation", "Svar", "Kommentar", "Svarade"],
    record_delimiter: "windows",
  });
  const filename = `deltagare-${stockholmDate(meeting.startsAt)}-${meeting.title.normalize("NFKD").replace(/[^\w-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "mote"}.csv`;
  return { csv, filename };
}

// ---------------------------------------------------------------------------------------------
// The invitation mail, loaded at send time.

export type MeetingEmailStored = { meetingId: string; inviteeId: string; kind: MeetingEmailKind; sequence: number };

/** "27 okt. 2026 09:00–10:30", or both dates when the meeting spans midnight. */
export function meetingWhen(startsAt: Date, endsAt: Date) {
  return stockholmDate(startsAt) === stockholmDate(endsAt) ? `${formatDateTime(startsAt)}–${stockholmTime(endsAt)}` : `${formatDateTime(startsAt)} – ${formatDateTime(endsAt)}`;
}

export function senderAddress() {
  const from = config().MAIL_FROM;
  return { name: /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1] || "Samverkansportalen", email: /<([^>]+)>/.exec(from)?.[1] ?? from.trim() };
}

export async function loadMeetingEmail(db: Db, stored: MeetingEmailStored): Promise<MeetingEmailProps | null> {
  const row = await invitationWithMeeting(db, stored);
  if (!row) return null;
  const { meeting, invitee } = row;
  const agenda = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id)).orderBy(asc(agendaItems.position));
  const [creator] = meeting.createdBy ? await db.select({ name: users.name, email: users.email, status: users.status }).from(users).where(eq(users.id, meeting.createdBy)) : [];
  const organizer = creator && creator.status !== "anonymised" ? { name: creator.name, email: creator.email } : senderAddress();
  const meetingUrl = `${config().baseUrl}/moten/${meeting.id}`;
  const cancelled = stored.kind === "cancellation";
  const answerable = !cancelled && meeting.status === "planerat";
  const expires = answerExpiry(meeting.endsAt);
  return {
    kind: stored.kind,
    recipientName: knownInviteeName(invitee) ?? "",
    organizerName: organizer.name,
    networkName: row.networkName,
    title: meeting.title,
    when: meetingWhen(meeting.startsAt, meeting.endsAt),
    place: meeting.place,
    videoUrl: meeting.videoUrl,
    description: meeting.description,
    agenda: agenda.map(({ title, presenter, minutes }) => ({ title, presenter, minutes })),
    meetingUrl,
    answerLinks: answerable
      ? {
          ja: answerLink({ meetingId: meeting.id, inviteeId: invitee.id, answer: "ja", expires }),
          nej: answerLink({ meetingId: meeting.id, inviteeId: invitee.id, answer: "nej", expires }),
          kanske: answerLink({ meetingId: meeting.id, inviteeId: invitee.id, answer: "kanske", expires }),
        }
      : null,
    answerExpires: formatDate(expires),
    // The version this mail was queued for: a late retry does not pretend to be a newer one.
    ics:
      meeting.seriesId && meeting.recurrenceId
        ? // One occurrence of a series: the series' UID with this occurrence's RECURRENCE-ID.
          occurrenceCalendar({
            seriesId: meeting.seriesId,
            occurrence: { ...meeting, recurrenceId: meeting.recurrenceId, url: meetingUrl },
            sequence: stored.sequence,
            method: cancelled ? "CANCEL" : "REQUEST",
            organizer,
            attendee: { name: invitee.name, email: invitee.email, response: invitee.response },
          })
        : meetingCalendar({
            meeting: { ...meeting, url: meetingUrl },
            sequence: stored.sequence,
            method: cancelled ? "CANCEL" : "REQUEST",
            organizer,
            attendee: { name: invitee.name, email: invitee.email, response: invitee.response },
          }),
  };
}
