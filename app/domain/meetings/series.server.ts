import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { reminderColumns, replanReminders, stopReminders } from "./reminders.server";
import { networkContactInvitees } from "../networks/network-members.server";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { agendaItems, meetingInvitees, meetingSeries, meetingSeriesInvitees, meetings, networkMembers, networks, users } from "../../../db/schema";
import type { MeetingEmailKind, MeetingEmailProps } from "../../../emails/meeting";
import { formatDate } from "../../format";
import { config } from "../../server/config.server";
import { portal } from "../../server/portal.server";
import { changedFields, recordAudit } from "../audit/audit.server";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { loadNetworkResource } from "../networks/networks.server";
import { authorize, can, type Actor } from "../policy";
import { answerExpiry, type MeetingAnswer } from "./answer-links.server";
import { answerLabels, meetingRoom } from "./labels";
import {
  checkMeetingVersion,
  comparable,
  inviteesFor,
  meetingFields,
  meetingWhen,
  queueMeetingMails,
  senderAddress,
  uniqueByEmail,
  visibleMeeting,
  type MeetingInput,
} from "./meetings.server";
import { describeSeries, endRuleAt, planSeries, ruleEnd, ruleParts, type Occurrence, type SeriesFrequency } from "./recurrence.server";
import { seriesAnswerLink } from "./series-answer-links.server";
import { seriesCalendar } from "./series-ics.server";
import { stockholmDate, stockholmTime } from "./time";
import { knownInviteeName } from "./invitee-names";

/**
 * Recurring series (mötesserier). Each occurrence is an ordinary meeting row (`series_id`,
 * `recurrence_id`), so answers, attendance and everything else per meeting work unchanged. The
 * calendars see one recurring event: one mail per invitee for the whole series, and a change or
 * cancellation of one occurrence is sent with the series' UID and that occurrence's RECURRENCE-ID.
 * One SEQUENCE per series (its UID) is raised by every change that is mailed.
 */

export type SeriesPlan = { frequency: SeriesFrequency; rule: string; occurrences: Occurrence[] };
export type OccurrenceScope = "this" | "following";

const scopeSchema = z.enum(["this", "following"], { error: "Välj om det gäller bara detta möte eller detta och följande möten i serien." });

/** The form's choice between "Bara detta möte" and "Detta och följande"; checked after the policy, so a refusal reveals nothing. */
function parseScope(value: unknown): OccurrenceScope {
  const parsed = scopeSchema.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0].message, { scope: parsed.error.issues[0].message });
  return parsed.data;
}

const SERIES_MAIL_PREFIX: Record<MeetingEmailKind, string> = {
  invitation: "Inbjudan till mötesserie",
  update: "Ändrad mötesserie",
  cancellation: "Inställd mötesserie",
};

export type SeriesEmailStored = { seriesId: string; seriesInviteeId: string; kind: MeetingEmailKind; sequence: number };

async function queueSeriesMails(tx: Queryable, series: { id: string; title: string; sequence: number }, invitees: ReadonlyArray<{ id: string; email: string }>, kind: MeetingEmailKind) {
  const ids: Array<string | undefined> = [];
  for (const invitee of invitees) {
    const props: SeriesEmailStored = { seriesId: series.id, seriesInviteeId: invitee.id, kind, sequence: series.sequence };
    ids.push(
      await queueEmail(tx, {
        template: "meeting-series",
        to: invitee.email,
        subject: `${SERIES_MAIL_PREFIX[kind]}: ${series.title}`,
        props,
        idempotencyKey: `meeting-series:${series.id}:${invitee.id}:${series.sequence}:${kind}`,
      }),
    );
  }
  return ids;
}

type NewInvitee = { userId: string | null; email: string; name: string };
type Network = NonNullable<Awaited<ReturnType<typeof loadNetworkResource>>>;
type SeriesValues = Pick<MeetingInput, "title" | "description" | "place" | "videoUrl" | "agenda" | "reminderOffsets">;

/** Rows in chunks, so that a long series for a large network stays within the parameter limit of one statement. */
async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1000) {
  for (let index = 0; index < rows.length; index += size) await insert(rows.slice(index, index + size));
}

/** Stores a series, its occurrences (with agenda and invitees) and its invitees, and queues the invitations. */
async function insertSeries(tx: Queryable, actor: Actor, network: Network, values: SeriesValues, plan: SeriesPlan, invitees: NewInvitee[], previousSeriesId: string | null) {
  const shared = { networkId: network.id, ownerOrganisationId: network.ownerOrganisationId, sharedWithOrganisationIds: [...network.sharedWithOrganisationIds] };
  const text = { title: values.title, description: values.description, place: values.place, videoUrl: values.videoUrl };
  const [series] = await tx
    .insert(meetingSeries)
    .values({
      ...shared,
      ...text,
      frequency: plan.frequency,
      rule: plan.rule,
      startsAt: plan.occurrences[0].startsAt,
      endsAt: plan.occurrences[0].endsAt,
      previousSeriesId,
      createdBy: actor.userId,
    })
    .returning();
  const occurrences = await tx
    .insert(meetings)
    .values(
      plan.occurrences.map(({ startsAt, endsAt }) => ({
        ...shared,
        ...text,
        ...reminderColumns(startsAt, values.reminderOffsets),
        startsAt,
        endsAt,
        seriesId: series.id,
        recurrenceId: startsAt,
        createdBy: actor.userId,
      })),
    )
    .returning({ id: meetings.id, startsAt: meetings.startsAt });
  occurrences.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const agenda = occurrences.flatMap((meeting) => values.agenda.map((item, position) => ({ meetingId: meeting.id, position, ...item })));
  await insertInChunks(agenda, (chunk) => tx.insert(agendaItems).values(chunk));
  const invitations = occurrences.flatMap((meeting) => invitees.map((invitee) => ({ meetingId: meeting.id, ...invitee })));
  await insertInChunks(invitations, (chunk) => tx.insert(meetingInvitees).values(chunk));
  const seriesInvitees = await tx
    .insert(meetingSeriesInvitees)
    .values(invitees.map((invitee) => ({ seriesId: series.id, ...invitee })))
    .returning({ id: meetingSeriesInvitees.id, email: meetingSeriesInvitees.email });
  const mailIds = await queueSeriesMails(tx, series, seriesInvitees, "invitation");
  return { series, occurrences, mailIds };
}

/** Plans a series in a network: every occurrence is stored, every invitee gets one mail for the whole series. */
export async function createMeetingSeries(db: Db, actor: Actor, networkId: string, input: MeetingInput, plan: SeriesPlan) {
  const network = await loadNetworkResource(db, networkId);
  if (!network || !can(actor, "network.view", network)) throw notFound("Nätverket finns inte.");
  authorize(actor, "meeting.create", network);
  const { series, occurrences, mailIds, invited } = await db.transaction(async (tx) => {
    const members = input.inviteNetwork
      ? await tx
          .select({ userId: users.id, email: users.email, name: users.name })
          .from(networkMembers)
          .innerJoin(users, eq(users.id, networkMembers.userId))
          .where(and(eq(networkMembers.networkId, networkId), inArray(users.status, ["active", "invited"])))
          .orderBy(asc(users.name))
      : [];
    // The network's external contacts come with the network, as for a single meeting.
    const contacts = input.inviteNetwork ? await networkContactInvitees(tx, networkId) : [];
    const invitees = uniqueByEmail([...members, ...contacts, ...(await inviteesFor(tx, input.extraEmails))]);
    if (invitees.length === 0) throw badRequest("Bjud in minst en person.", { extraEmails: "Bjud in nätverket eller ange minst en e-postadress." });
    const created = await insertSeries(tx, actor, network, input, plan, invitees, null);
    await recordAudit(tx, {
      actor,
      action: "meeting.create",
      entityType: "meeting_series",
      entityId: created.series.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} planerade mötesserien ${input.title} (${plan.occurrences.length} möten) i nätverket ${network.name}`,
      after: { title: input.title, rule: plan.rule, firstStartsAt: plan.occurrences[0].startsAt.toISOString(), occurrences: plan.occurrences.length, invitees: invitees.length },
    });
    return { ...created, invited: invitees.length };
  });
  await dispatchEmails(mailIds);
  return { seriesId: series.id, firstMeetingId: occurrences[0].id, meetings: occurrences.length, invited };
}

/** Whether a meeting is an occurrence of a series (whose changes go through this module). */
export async function partOfSeries(db: Db, meetingId: string) {
  const [row] = await db.select({ seriesId: meetings.seriesId }).from(meetings).where(eq(meetings.id, meetingId));
  return Boolean(row?.seriesId);
}

/** The occurrence, its series (locked) and its siblings from the occurrence on and before it. */
async function lockOccurrence(tx: Queryable, meetingId: string) {
  const [current] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for("update");
  if (!current?.seriesId || !current.recurrenceId) throw notFound("Mötet finns inte.");
  const [series] = await tx.select().from(meetingSeries).where(eq(meetingSeries.id, current.seriesId)).for("update");
  const sameSeries = eq(meetings.seriesId, series.id);
  const following = await tx.select().from(meetings).where(and(sameSeries, gte(meetings.recurrenceId, current.recurrenceId))).orderBy(asc(meetings.recurrenceId));
  const earlier = await tx.select().from(meetings).where(and(sameSeries, lt(meetings.recurrenceId, current.recurrenceId))).orderBy(asc(meetings.recurrenceId));
  return { current: { ...current, recurrenceId: current.recurrenceId }, series, following, earlier };
}

async function seriesInviteeRows(tx: Queryable, seriesId: string) {
  return tx.select().from(meetingSeriesInvitees).where(eq(meetingSeriesInvitees.seriesId, seriesId)).orderBy(asc(meetingSeriesInvitees.name));
}

/**
 * Ends a series before one of its occurrences: the rule gets UNTIL at the last occurrence kept
 * and every invitee an update of the series; with nothing kept, the whole series is cancelled.
 */
async function endSeriesBefore(tx: Queryable, series: typeof meetingSeries.$inferSelect, earlier: Array<{ recurrenceId: Date | null }>) {
  const invitees = await seriesInviteeRows(tx, series.id);
  const last = earlier.at(-1)?.recurrenceId;
  const [ended] = await tx
    .update(meetingSeries)
    .set(last ? { rule: endRuleAt(series.rule, last), sequence: sql`${meetingSeries.sequence} + 1`, updatedAt: new Date() } : { cancelledAt: new Date(), sequence: sql`${meetingSeries.sequence} + 1`, updatedAt: new Date() })
    .where(eq(meetingSeries.id, series.id))
    .returning();
  return queueSeriesMails(tx, ended, invitees, last ? "update" : "cancellation");
}

/**
 * A change to one occurrence ("this") or to it and every later one ("following"). "This" keeps
 * the occurrence in its series (same UID, its RECURRENCE-ID, the series' SEQUENCE + 1). "Following"
 * ends the old series before the occurrence and starts a new series (a new UID) from the changed
 * occurrence with the same repetition and end, to the old series' invitees and anyone added.
 * Returns the meeting to show afterwards.
 */
export async function updateOccurrence(db: Db, actor: Actor, meetingId: string, input: Omit<MeetingInput, "inviteNetwork">, chosenScope: unknown) {
  const { resource, network } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.edit", resource);
  const scope = parseScope(chosenScope);
  const result = await db.transaction(async (tx) => {
    const { current, series, following, earlier } = await lockOccurrence(tx, meetingId);
    if (current.status !== "planerat" || series.cancelledAt) throw conflict("Ett inställt möte kan inte ändras.");
    checkMeetingVersion(current, input.version);
    const agendaBefore = await tx.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
    const diff = changedFields(comparable(current, agendaBefore), comparable(input, input.agenda));

    if (scope === "this") {
      if (input.extraEmails.length) {
        throw badRequest("Nya inbjudna läggs till för hela resten av serien.", { extraEmails: "Välj Detta och följande för att bjuda in fler, eller lämna fältet tomt." });
      }
      if (diff.changed.length === 0) {
        // Only the reminders, if anything: they concern nobody until they are sent, so no mail.
        const remindersChanged = await replanReminders(tx, actor, current, input);
        return { changed: remindersChanged, mailIds: [], meetingId, affected: remindersChanged ? [meetingId] : [], told: 0 };
      }
      const [raised] = await tx.update(meetingSeries).set({ sequence: sql`${meetingSeries.sequence} + 1`, updatedAt: new Date() }).where(eq(meetingSeries.id, series.id)).returning();
      const [meeting] = await tx
        .update(meetings)
        .set({ ...meetingFields(input), sequence: raised.sequence, updatedAt: new Date() })
        .where(eq(meetings.id, meetingId))
        .returning();
      await replanReminders(tx, actor, current, input);
      if (diff.changed.includes("agenda")) {
        await tx.delete(agendaItems).where(eq(agendaItems.meetingId, meetingId));
        if (input.agenda.length) await tx.insert(agendaItems).values(input.agenda.map((item, position) => ({ meetingId, position, ...item })));
      }
      await recordAudit(tx, {
        actor,
        action: "meeting.edit",
        entityType: "meeting",
        entityId: meetingId,
        organisationId: meeting.ownerOrganisationId,
        summary: `${actor.name} ändrade ett möte (${stockholmDate(current.recurrenceId)}) i mötesserien ${series.title}`,
        before: diff.before,
        after: diff.after,
      });
      const invitees = await tx.select({ id: meetingInvitees.id, email: meetingInvitees.email }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
      const mailIds = await queueMeetingMails(tx, meeting, invitees, () => "update");
      return { changed: true as const, mailIds, meetingId, affected: [meetingId], told: invitees.length };
    }

    const known = await seriesInviteeRows(tx, series.id);
    const knownEmails = new Set(known.map((row) => row.email.toLowerCase()));
    const added = (await inviteesFor(tx, input.extraEmails)).filter((invitee) => !knownEmails.has(invitee.email.toLowerCase()));
    if (diff.changed.length === 0 && added.length === 0) {
      // Only the reminders, if anything: each following meeting keeps its time and gets the new choice.
      let remindersChanged = false;
      for (const row of following) remindersChanged = (await replanReminders(tx, actor, row, { startsAt: row.startsAt, reminderOffsets: input.reminderOffsets })) || remindersChanged;
      return { changed: remindersChanged, mailIds: [], meetingId, affected: remindersChanged ? following.map((row) => row.id) : [], told: 0 };
    }
    if (following.length < 2) throw badRequest("Det här är seriens sista möte. Välj Bara detta möte.", { scope: "Det här är seriens sista möte. Välj Bara detta möte." });
    const previous = earlier.at(-1);
    if (previous && input.startsAt.getTime() <= previous.startsAt.getTime()) {
      const message = `Detta och följande möten kan inte flyttas till före seriens föregående möte (${meetingWhen(previous.startsAt, previous.endsAt)}).`;
      throw badRequest(message, { date: message });
    }
    const end = ruleEnd(series.rule);
    const plan = planSeries(
      { frequency: series.frequency as SeriesFrequency, end: "count" in end ? { count: following.length } : end },
      stockholmDate(input.startsAt),
      stockholmTime(input.startsAt),
      stockholmTime(input.endsAt),
    );
    if (!plan.ok) throw badRequest(plan.message, { date: plan.message });
    const oldMails = await endSeriesBefore(tx, series, earlier);
    for (const row of following) await stopReminders(tx, row.id);
    await tx.delete(meetings).where(inArray(meetings.id, following.map((row) => row.id)));
    const invitees = uniqueByEmail([...known.map(({ userId, email, name }) => ({ userId, email, name })), ...added]);
    const created = await insertSeries(tx, actor, network, input, plan, invitees, series.id);
    await recordAudit(tx, {
      actor,
      action: "meeting.edit",
      entityType: "meeting_series",
      entityId: series.id,
      organisationId: series.ownerOrganisationId,
      summary: `${actor.name} ändrade detta och följande möten (från ${stockholmDate(current.recurrenceId)}) i mötesserien ${series.title}`,
      before: { ...diff.before, occurrences: following.length },
      after: { ...diff.after, newSeriesId: created.series.id, occurrences: plan.occurrences.length, ...(added.length ? { addedInvitees: added.map((row) => row.email) } : {}) },
    });
    return {
      changed: true as const,
      mailIds: [...oldMails, ...created.mailIds],
      meetingId: created.occurrences[0].id,
      affected: following.map((row) => row.id),
      told: invitees.length,
    };
  });
  if (result.changed) {
    await dispatchEmails(result.mailIds);
    for (const id of result.affected) portal().publish(meetingRoom(id), "meeting:changed", { meetingId: id });
  }
  // `told`: the invitees mailed about the change (with "following", the new series' invitation).
  return { changed: result.changed, meetingId: result.meetingId, scope, told: result.told };
}

/**
 * Cancels one occurrence (METHOD:CANCEL with its RECURRENCE-ID) or it and every later one (the
 * series ends before it with UNTIL; cancelling from the first occurrence cancels the series' UID).
 */
export async function cancelOccurrence(db: Db, actor: Actor, meetingId: string, chosenScope: unknown) {
  const { resource } = await visibleMeeting(db, actor, meetingId);
  authorize(actor, "meeting.cancel", resource);
  const scope = parseScope(chosenScope);
  const { mailIds, affected } = await db.transaction(async (tx) => {
    const { current, series, following, earlier } = await lockOccurrence(tx, meetingId);
    if (current.status !== "planerat" || series.cancelledAt) throw conflict("Mötet är redan inställt.");
    if (scope === "this") {
      const [raised] = await tx.update(meetingSeries).set({ sequence: sql`${meetingSeries.sequence} + 1`, updatedAt: new Date() }).where(eq(meetingSeries.id, series.id)).returning();
      const [meeting] = await tx.update(meetings).set({ status: "installt", sequence: raised.sequence, updatedAt: new Date() }).where(eq(meetings.id, meetingId)).returning();
      await stopReminders(tx, meetingId);
      await recordAudit(tx, {
        actor,
        action: "meeting.cancel",
        entityType: "meeting",
        entityId: meetingId,
        organisationId: meeting.ownerOrganisationId,
        summary: `${actor.name} ställde in ett möte (${stockholmDate(current.recurrenceId)}) i mötesserien ${series.title}`,
        before: { status: "planerat" },
        after: { status: "installt" },
      });
      const invitees = await tx.select({ id: meetingInvitees.id, email: meetingInvitees.email }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
      return { mailIds: await queueMeetingMails(tx, meeting, invitees, () => "cancellation"), affected: [meetingId] };
    }
    const mails = await endSeriesBefore(tx, series, earlier);
    const [ended] = await tx.select({ sequence: meetingSeries.sequence }).from(meetingSeries).where(eq(meetingSeries.id, series.id));
    const cancelled = following.filter((row) => row.status === "planerat").map((row) => row.id);
    await tx.update(meetings).set({ status: "installt", sequence: ended.sequence, updatedAt: new Date() }).where(inArray(meetings.id, cancelled));
    for (const id of cancelled) await stopReminders(tx, id);
    await recordAudit(tx, {
      actor,
      action: "meeting.cancel",
      entityType: "meeting_series",
      entityId: series.id,
      organisationId: series.ownerOrganisationId,
      summary:
        earlier.length === 0
          ? `${actor.name} ställde in mötesserien ${series.title}`
          : `${actor.name} ställde in detta och följande möten (från ${stockholmDate(current.recurrenceId)}) i mötesserien ${series.title}`,
      before: { status: "planerat", occurrences: cancelled.length },
      after: { status: "installt" },
    });
    return { mailIds: mails, affected: cancelled };
  });
  await dispatchEmails(mailIds);
  for (const id of affected) portal().publish(meetingRoom(id), "meeting:changed", { meetingId: id });
  return { scope };
}

// ---------------------------------------------------------------------------------------------
// The series on a meeting's page.

export async function seriesOverview(db: Db, seriesId: string) {
  const [series] = await db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId));
  if (!series) return null;
  const occurrences = await db
    .select({ id: meetings.id, startsAt: meetings.startsAt, endsAt: meetings.endsAt, status: meetings.status })
    .from(meetings)
    .where(eq(meetings.seriesId, seriesId))
    .orderBy(asc(meetings.startsAt));
  return {
    description: describeSeries(series),
    cancelled: series.cancelledAt !== null,
    previousSeriesId: series.previousSeriesId,
    occurrences: occurrences.map((row) => ({ id: row.id, when: meetingWhen(row.startsAt, row.endsAt), status: row.status, past: row.endsAt.getTime() < Date.now() })),
  };
}

// ---------------------------------------------------------------------------------------------
// Answers by the links in a series mail: one answer for every coming occurrence.

async function seriesInvitation(db: Db, target: { seriesId: string; inviteeId: string }) {
  const [row] = await db
    .select({ invitee: meetingSeriesInvitees, series: meetingSeries, networkName: networks.name })
    .from(meetingSeriesInvitees)
    .innerJoin(meetingSeries, eq(meetingSeries.id, meetingSeriesInvitees.seriesId))
    .innerJoin(networks, eq(networks.id, meetingSeries.networkId))
    .where(and(eq(meetingSeriesInvitees.id, target.inviteeId), eq(meetingSeriesInvitees.seriesId, target.seriesId)));
  return row;
}

/** The invitee's own invitations to the series' coming, not cancelled occurrences. */
async function comingInvitations(db: Queryable, seriesId: string, email: string) {
  return db
    .select({ invitee: meetingInvitees, meetingId: meetings.id })
    .from(meetingInvitees)
    .innerJoin(meetings, eq(meetings.id, meetingInvitees.meetingId))
    .where(and(eq(meetings.seriesId, seriesId), eq(meetings.status, "planerat"), gte(meetings.endsAt, new Date()), sql`lower(${meetingInvitees.email}) = lower(${email})`))
    .orderBy(asc(meetings.startsAt));
}

/** The series a verified answer link points at; 404 when it no longer exists, 409 when nothing is left to answer. */
export async function loadSeriesAnswerTarget(db: Db, target: { seriesId: string; inviteeId: string }) {
  const row = await seriesInvitation(db, target);
  if (!row) throw notFound("Inbjudan finns inte längre. Kontakta den som kallade till mötet.");
  if (row.series.cancelledAt) throw conflict("Mötesserien är inställd och tar inte emot svar.");
  const coming = await comingInvitations(db, row.series.id, row.invitee.email);
  if (coming.length === 0) throw conflict("Mötesserien har inga kommande möten att svara på.");
  return { ...row, description: describeSeries(row.series), coming };
}

/** An answer by a series link: the signed token is the authority; the same answer again changes nothing. */
export async function respondToSeriesByLink(db: Db, target: { seriesId: string; inviteeId: string; answer: MeetingAnswer }, comment: string) {
  const { invitee, series, coming } = await loadSeriesAnswerTarget(db, target);
  const changing = coming.filter((row) => row.invitee.response !== target.answer || row.invitee.comment !== comment);
  if (changing.length === 0) return 0;
  await db.transaction(async (tx) => {
    await tx
      .update(meetingInvitees)
      .set({ response: target.answer, comment, respondedAt: new Date() })
      .where(inArray(meetingInvitees.id, changing.map((row) => row.invitee.id)));
    // Audited as the invited person when they have an account, otherwise under their name alone.
    const actor: Actor = { userId: invitee.userId ?? "00000000-0000-0000-0000-000000000000", name: invitee.name, isSystemAdmin: false, memberships: [] };
    await recordAudit(tx, {
      actor,
      action: "meeting.respond",
      entityType: "meeting_series",
      entityId: series.id,
      organisationId: series.ownerOrganisationId,
      summary: `${invitee.name} svarade ${answerLabels[target.answer]} på ${changing.length} kommande möten i mötesserien ${series.title} (via länk i mejlet)`,
      after: { response: target.answer, comment, meetings: changing.map((row) => row.meetingId) },
    });
  });
  for (const row of changing) portal().publish(meetingRoom(row.meetingId), "meeting:attendees", { meetingId: row.meetingId });
  return changing.length;
}

// ---------------------------------------------------------------------------------------------
// The series mail, loaded at send time.

/** Whether an occurrence differs from what the series' rule says about it. */
function differsFromSeries(series: typeof meetingSeries.$inferSelect, occurrence: typeof meetings.$inferSelect) {
  const duration = series.endsAt.getTime() - series.startsAt.getTime();
  return (
    occurrence.startsAt.getTime() !== occurrence.recurrenceId!.getTime() ||
    occurrence.endsAt.getTime() - occurrence.startsAt.getTime() !== duration ||
    occurrence.title !== series.title ||
    occurrence.description !== series.description ||
    occurrence.place !== series.place ||
    occurrence.videoUrl !== series.videoUrl
  );
}

export async function loadSeriesEmail(db: Db, stored: SeriesEmailStored): Promise<MeetingEmailProps | null> {
  const row = await seriesInvitation(db, { seriesId: stored.seriesId, inviteeId: stored.seriesInviteeId });
  if (!row) return null;
  const { series, invitee } = row;
  const occurrences = await db.select().from(meetings).where(eq(meetings.seriesId, series.id)).orderBy(asc(meetings.startsAt));
  const until = ruleParts(series.rule).until;
  const inRule = occurrences.filter((occurrence) => !until || occurrence.recurrenceId!.getTime() <= until.getTime());
  const now = Date.now();
  const next = inRule.find((occurrence) => occurrence.status === "planerat" && occurrence.endsAt.getTime() >= now) ?? inRule[0] ?? occurrences[0];
  if (!next) return null;
  const agenda = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, next.id)).orderBy(asc(agendaItems.position));
  const [creator] = series.createdBy ? await db.select({ name: users.name, email: users.email, status: users.status }).from(users).where(eq(users.id, series.createdBy)) : [];
  const organizer = creator && creator.status !== "anonymised" ? { name: creator.name, email: creator.email } : senderAddress();
  const [ownAnswer] = await db.select({ response: meetingInvitees.response }).from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, next.id), sql`lower(${meetingInvitees.email}) = lower(${invitee.email})`));
  const baseUrl = config().baseUrl;
  const meetingUrl = `${baseUrl}/moten/${next.id}`;
  const cancelled = stored.kind === "cancellation";
  const answerable = !cancelled && !series.cancelledAt;
  const last = inRule.at(-1) ?? next;
  const expires = answerExpiry(last.endsAt);
  const link = (answer: MeetingAnswer) => seriesAnswerLink({ seriesId: series.id, inviteeId: invitee.id, answer, expires });
  return {
    kind: stored.kind,
    series: true,
    recipientName: knownInviteeName(invitee) ?? "",
    organizerName: organizer.name,
    networkName: row.networkName,
    title: series.title,
    when: describeSeries(series),
    place: series.place,
    videoUrl: series.videoUrl,
    description: series.description,
    agenda: agenda.map(({ title, presenter, minutes }) => ({ title, presenter, minutes })),
    meetingUrl,
    answerLinks: answerable ? { ja: link("ja"), nej: link("nej"), kanske: link("kanske") } : null,
    answerExpires: formatDate(expires),
    ics: seriesCalendar({
      series: { ...series, url: meetingUrl },
      // The version this mail was queued for: a late retry does not pretend to be a newer one.
      sequence: stored.sequence,
      method: cancelled ? "CANCEL" : "REQUEST",
      organizer,
      attendee: { name: invitee.name, email: invitee.email, response: ownAnswer?.response ?? null },
      cancelled: inRule.filter((occurrence) => occurrence.status === "installt").map((occurrence) => occurrence.recurrenceId!),
      changed: inRule
        .filter((occurrence) => occurrence.status === "planerat" && differsFromSeries(series, occurrence))
        .map((occurrence) => ({ ...occurrence, recurrenceId: occurrence.recurrenceId!, url: `${baseUrl}/moten/${occurrence.id}` })),
    }),
  };
}
