import { addDays, format, parseISO } from "date-fns";
import { qualified } from "../../../db/qualified";
import { and, asc, eq, gt, inArray, isNull, lte, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { networkMembers, networks, pollAnswers, pollParticipants, polls, pollSlots, users } from "../../../db/schema";
import type { PollEmailKind, PollEmailProps } from "../../../emails/poll";
import { formatDate, formatWeekdayDateTime } from "../../format";
import { config } from "../../server/config.server";
import { portal } from "../../server/portal.server";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";
import { calendarDate, isCalendarDate } from "../calendar-date";
import { emailSchema } from "../email-address";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails, queueEmail } from "../mail/mail.server";
import { createMeeting } from "../meetings/meetings.server";
import { stockholmDate, stockholmTime, stockholmToUtc } from "../meetings/time";
import { loadNetworkResource, preparedPer } from "../networks/networks.server";
import { authorize, can, leadOrganisationIds, type Actor, type PollResource } from "../policy";
import { POLL_ANSWERS, pollAnswerLabels, pollRoom, tallySlots, type PollAnswerValue } from "./labels";
import { pollLink, pollLinkExpiry } from "./poll-links.server";
import { inviteeDisplayName, knownInviteeName } from "../meetings/invitee-names";

export const MIN_SLOTS = 2;
export const MAX_SLOTS = 10;
const MAX_EXTRA_PARTICIPANTS = 200;
/** The reminder goes to those who have not answered this long before the poll closes. */
export const REMINDER_BEFORE_MS = 24 * 60 * 60 * 1000;

const POLL_NOT_FOUND = "Tidsförslaget finns inte.";

// ---------------------------------------------------------------------------------------------
// The form.

const asList = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string().max(20)).max(MAX_SLOTS * 2));
const dateText = calendarDate("Ange datumet som ÅÅÅÅ-MM-DD.");
const clockText = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Builds the schema with the moment "now", so that times in the past can be refused (and tested). */
export function pollFormSchema(now: Date) {
  return z
    .object({
      title: z.string({ error: "Ge tidsförslaget en rubrik." }).trim().min(3, "Ge tidsförslaget en rubrik (minst 3 tecken).").max(200, "Rubriken får vara högst 200 tecken."),
      description: z.string().trim().max(5000, "Beskrivningen får vara högst 5000 tecken.").default(""),
      place: z.string().trim().max(300, "Platsen får vara högst 300 tecken.").default(""),
      videoUrl: z
        .string()
        .trim()
        .max(500, "Videolänken får vara högst 500 tecken.")
        .default("")
        .refine((value) => value === "" || /^https?:\/\/[^\s]+$/i.test(value), "Videolänken ska vara en webbadress som börjar med https://."),
      closesOn: z.string({ error: "Ange sista svarsdag." }).pipe(dateText),
      slotDate: asList,
      slotStart: asList,
      slotEnd: asList,
      inviteNetwork: z.enum(["on"]).optional(),
      memberIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.uuid("Ogiltig medlem.")).max(500)),
      extraEmails: z.string().max(20_000, "Listan med adresser är för lång.").default(""),
    })
    .transform((form, ctx) => {
      if (!form.place && !form.videoUrl) ctx.addIssue({ code: "custom", path: ["place"], message: "Ange en plats, en videolänk eller båda." });
      const slots: Array<{ startsAt: Date; endsAt: Date }> = [];
      const rows = Math.max(form.slotDate.length, form.slotStart.length, form.slotEnd.length);
      for (let index = 0; index < rows; index++) {
        const date = (form.slotDate[index] ?? "").trim();
        const start = (form.slotStart[index] ?? "").trim();
        const end = (form.slotEnd[index] ?? "").trim();
        if (!date && !start && !end) continue;
        const label = `Tid ${index + 1}`;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !clockText.test(start) || !clockText.test(end)) {
          ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: ange datum, start och slut (ÅÅÅÅ-MM-DD och TT:MM).` });
          continue;
        }
        if (!isCalendarDate(date)) {
          ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: datumet finns inte i kalendern.` });
          continue;
        }
        const startsAt = stockholmToUtc(date, start);
        const endsAt = stockholmToUtc(date, end);
        if (!startsAt || !endsAt) {
          ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: tiden finns inte i Stockholms tid.` });
          continue;
        }
        if (endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: mötet måste sluta efter att det börjar.` });
        else if (startsAt <= now) ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: tiden har redan varit.` });
        else if (slots.some((slot) => slot.startsAt.getTime() === startsAt.getTime() && slot.endsAt.getTime() === endsAt.getTime())) {
          ctx.addIssue({ code: "custom", path: ["slots"], message: `${label}: samma tid finns redan med.` });
        } else slots.push({ startsAt, endsAt });
      }
      if (slots.length < MIN_SLOTS || rows > MAX_SLOTS) ctx.addIssue({ code: "custom", path: ["slots"], message: `Föreslå mellan ${MIN_SLOTS} och ${MAX_SLOTS} tider.` });

      // Answers are taken up to and including the last answer day; it must come before the first proposed time.
      const closesAt = isCalendarDate(form.closesOn) ? stockholmToUtc(format(addDays(parseISO(form.closesOn), 1), "yyyy-MM-dd"), "00:00") : null;
      if (!closesAt) ctx.addIssue({ code: "custom", path: ["closesOn"], message: "Sista svarsdag finns inte." });
      else if (closesAt <= now) ctx.addIssue({ code: "custom", path: ["closesOn"], message: "Sista svarsdag har redan varit." });
      else if (slots.length && form.closesOn >= stockholmDate(Math.min(...slots.map((slot) => slot.startsAt.getTime())))) {
        ctx.addIssue({ code: "custom", path: ["closesOn"], message: "Sista svarsdag måste vara före den första föreslagna tiden." });
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
      if (extraEmails.length > MAX_EXTRA_PARTICIPANTS) ctx.addIssue({ code: "custom", path: ["extraEmails"], message: `Ange högst ${MAX_EXTRA_PARTICIPANTS} adresser.` });

      return {
        title: form.title,
        description: form.description,
        place: form.place,
        videoUrl: form.videoUrl,
        closesAt: closesAt ?? new Date(0),
        slots: slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
        inviteNetwork: form.inviteNetwork === "on",
        memberIds: [...new Set(form.memberIds.map((id) => id.toLowerCase()))],
        extraEmails,
      };
    });
}

export type PollInput = z.output<ReturnType<typeof pollFormSchema>>;

// ---------------------------------------------------------------------------------------------
// Visibility.

export async function loadPollResource(db: Queryable, pollId: string) {
  const [poll] = await db.select().from(polls).where(eq(polls.id, pollId));
  if (!poll) return null;
  const network = await loadNetworkResource(db as Db, poll.networkId);
  if (!network) return null;
  const participants = await db
    .select({ userId: pollParticipants.userId })
    .from(pollParticipants)
    .where(and(eq(pollParticipants.pollId, pollId), sql`${pollParticipants.userId} is not null`));
  const resource: PollResource = {
    type: "poll",
    ownerOrganisationId: poll.ownerOrganisationId,
    sharedWithOrganisationIds: poll.sharedWithOrganisationIds,
    network,
    participantUserIds: participants.map((row) => row.userId!),
  };
  return { poll, network, resource };
}

/** The poll, or 404 for one the person may not see (its existence does not leak). */
async function visiblePoll(db: Db, actor: Actor, pollId: string) {
  const loaded = await loadPollResource(db, pollId);
  if (!loaded || !can(actor, "poll.view", loaded.resource)) throw notFound(POLL_NOT_FOUND);
  return loaded;
}

/**
 * The SQL twin of `poll.view`: a system administrator, someone asked, a coordinator of the network,
 * or an admin or coordinator of the network's owning organisation.
 */
const visiblePolls = sql`(${sql.placeholder("seesAll")}::boolean
  or exists (select 1 from ${pollParticipants} where ${pollParticipants.pollId} = ${polls.id} and ${pollParticipants.userId} = ${sql.placeholder("actorId")}::uuid)
  or exists (select 1 from ${networkMembers} where ${networkMembers.networkId} = ${polls.networkId} and ${networkMembers.userId} = ${sql.placeholder("actorId")}::uuid and ${networkMembers.role} = 'samordnare')
  or exists (select 1 from ${networks} where ${networks.id} = ${polls.networkId} and ${networks.ownerOrganisationId} = any(${sql.placeholder("leadOrganisationIds")}::uuid[])))`;

function pollVisibilityParams(actor: Actor) {
  return { seesAll: actor.isSystemAdmin, actorId: actor.userId, leadOrganisationIds: `{${leadOrganisationIds(actor).join(",")}}` };
}

const networkPollsQuery = preparedPer((db) =>
  db
    .select({
      id: polls.id,
      title: polls.title,
      closesAt: polls.closesAt,
      participants: sql<number>`(select count(*)::int from ${pollParticipants} where ${pollParticipants.pollId} = ${qualified(polls.id)})`,
      answered: sql<number>`(select count(*)::int from ${pollParticipants} where ${pollParticipants.pollId} = ${qualified(polls.id)} and ${pollParticipants.answeredAt} is not null)`,
    })
    .from(polls)
    .where(and(eq(polls.networkId, sql.placeholder("networkId")), eq(polls.status, "oppen"), visiblePolls))
    .orderBy(asc(polls.closesAt))
    .limit(100)
    .prepare("network_open_polls"),
);

/** The network's open polls the person may see, the first to close first. */
export async function listOpenPolls(db: Db, actor: Actor, networkId: string) {
  return networkPollsQuery(db).execute({ ...pollVisibilityParams(actor), networkId });
}

// ---------------------------------------------------------------------------------------------
// One poll.

/** "den 15 dec. 2026", the last day answers are taken (the day before `closesAt`, Stockholm time). */
export function lastAnswerDay(closesAt: Date) {
  return formatDate(new Date(closesAt.getTime() - 60 * 1000));
}

/** "tis 12 jan. 2027 09:00–10:30": a proposed time with its weekday, as people choose between days. */
export function pollSlotWhen(startsAt: Date, endsAt: Date) {
  return stockholmDate(startsAt) === stockholmDate(endsAt)
    ? `${formatWeekdayDateTime(startsAt)}–${stockholmTime(endsAt)}`
    : `${formatWeekdayDateTime(startsAt)} – ${formatWeekdayDateTime(endsAt)}`;
}

export function pollIsAnswerable(poll: { status: string; closesAt: Date }, now = Date.now()) {
  return poll.status === "oppen" && poll.closesAt.getTime() > now;
}

async function slotsOf(db: Queryable, pollId: string) {
  return db.select().from(pollSlots).where(eq(pollSlots.pollId, pollId)).orderBy(asc(pollSlots.position));
}

async function answersOf(db: Queryable, pollId: string) {
  return db
    .select({ participantId: pollAnswers.participantId, slotId: pollAnswers.slotId, answer: pollAnswers.answer })
    .from(pollAnswers)
    .innerJoin(pollSlots, eq(pollSlots.id, pollAnswers.slotId))
    .where(eq(pollSlots.pollId, pollId));
}

export async function getPoll(db: Db, actor: Actor, pollId: string) {
  const { poll, network, resource } = await visiblePoll(db, actor, pollId);
  const slots = await slotsOf(db, pollId);
  const participants = await db.select().from(pollParticipants).where(eq(pollParticipants.pollId, pollId)).orderBy(asc(pollParticipants.name), asc(pollParticipants.email));
  const answers = await answersOf(db, pollId);
  const byParticipant = new Map<string, Record<string, PollAnswerValue>>();
  for (const row of answers) {
    const map = byParticipant.get(row.participantId) ?? {};
    map[row.slotId] = row.answer;
    byParticipant.set(row.participantId, map);
  }
  const mine = participants.find((participant) => participant.userId === actor.userId) ?? null;
  const open = pollIsAnswerable(poll);
  const runs = can(actor, "poll.pick", resource);
  return {
    poll,
    networkName: network.name,
    slots,
    tally: tallySlots(
      slots.map((slot) => slot.id),
      answers,
    ),
    participants: participants.map((participant) => ({
      id: participant.id,
      name: inviteeDisplayName(participant),
      isSelf: participant.userId === actor.userId,
      answeredAt: participant.answeredAt,
      answers: byParticipant.get(participant.id) ?? {},
    })),
    mine: mine ? { answers: byParticipant.get(mine.id) ?? {}, answeredAt: mine.answeredAt } : null,
    can: {
      answer: mine !== null && can(actor, "poll.answer", { type: "invitee", userId: mine.userId }) && open,
      pick: runs && poll.status === "oppen",
      close: can(actor, "poll.close", resource) && poll.status === "oppen",
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Creating a poll.

type NewParticipant = { userId: string | null; email: string; name: string };

export async function createPoll(db: Db, actor: Actor, networkId: string, input: PollInput) {
  const network = await loadNetworkResource(db, networkId);
  if (!network || !can(actor, "network.view", network)) throw notFound("Nätverket finns inte.");
  authorize(actor, "poll.create", network);
  const memberSet = new Set(network.members.map((member) => member.userId));
  if (input.memberIds.some((id) => !memberSet.has(id))) throw badRequest("En av de valda personerna är inte medlem i nätverket.", { memberIds: "Välj bland nätverkets medlemmar." });

  const { poll, mailIds } = await db.transaction(async (tx) => {
    const memberIds = input.inviteNetwork ? [...memberSet] : input.memberIds;
    const members: NewParticipant[] = memberIds.length
      ? await tx
          .select({ userId: users.id, email: users.email, name: users.name })
          .from(users)
          .where(and(inArray(users.id, memberIds), inArray(users.status, ["active", "invited"])))
          .orderBy(asc(users.name))
      : [];
    const known = input.extraEmails.length
      ? await tx
          .select({ id: users.id, email: users.email, name: users.name })
          .from(users)
          .where(and(inArray(users.email, input.extraEmails), inArray(users.status, ["active", "invited"])))
      : [];
    const extra: NewParticipant[] = input.extraEmails.map((email) => {
      const person = known.find((row) => row.email === email);
      return person ? { userId: person.id, email: person.email, name: person.name } : { userId: null, email, name: email };
    });
    const seen = new Set<string>();
    const participants = [...members, ...extra].filter((participant) => {
      const key = participant.email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (participants.length === 0) throw badRequest("Fråga minst en person.", { extraEmails: "Fråga nätverket, välj medlemmar eller ange minst en e-postadress." });

    const [poll] = await tx
      .insert(polls)
      .values({
        networkId,
        ownerOrganisationId: network.ownerOrganisationId,
        sharedWithOrganisationIds: [...network.sharedWithOrganisationIds],
        title: input.title,
        description: input.description,
        place: input.place,
        videoUrl: input.videoUrl,
        closesAt: input.closesAt,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(pollSlots).values(input.slots.map((slot, position) => ({ pollId: poll.id, position, ...slot })));
    const inserted = await tx
      .insert(pollParticipants)
      .values(participants.map((participant) => ({ pollId: poll.id, ...participant })))
      .returning({ id: pollParticipants.id, email: pollParticipants.email });
    await recordAudit(tx, {
      actor,
      action: "poll.create",
      entityType: "poll",
      entityId: poll.id,
      organisationId: poll.ownerOrganisationId,
      summary: `${actor.name} skickade tidsförslaget ${poll.title} i nätverket ${network.name}`,
      after: { title: poll.title, slots: input.slots.map((slot) => slot.startsAt.toISOString()), closesAt: poll.closesAt.toISOString(), participants: inserted.length },
    });
    const mailIds = await queuePollMails(tx, poll, inserted, "invitation");
    return { poll, mailIds };
  });
  await dispatchEmails(mailIds);
  return poll;
}

async function queuePollMails(tx: Queryable, poll: { id: string; title: string }, participants: ReadonlyArray<{ id: string; email: string }>, kind: PollEmailKind) {
  const ids: Array<string | undefined> = [];
  for (const participant of participants) {
    ids.push(
      await queueEmail(tx, {
        template: "poll",
        to: participant.email,
        subject: `${kind === "invitation" ? "Tidsförslag" : "Påminnelse om tidsförslag"}: ${poll.title}`,
        props: { pollId: poll.id, participantId: participant.id, kind },
        // One invitation and at most one reminder per person and poll, however often the scan runs.
        idempotencyKey: `poll:${poll.id}:${participant.id}:${kind}`,
      }),
    );
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Answers: signed in on the poll page, or by the signed link in the mail.

const NOTHING_ANSWERED = "Svara Ja, Om nödvändigt eller Nej för minst en av tiderna.";
const OTHER_TIMES = "Svaren gäller tider som inte finns i det här tidsförslaget. Ladda om sidan och försök igen.";
const CLOSED_FOR_ANSWERS = "Tidsförslaget är stängt och tar inte emot fler svar.";

/**
 * `slot-<id>` = ja | om_nodvandigt | nej for the proposed times a person answers. As in other
 * scheduling tools, a time left blank has no answer (it shows as "Inte svarat" and counts nowhere);
 * at least one time must be answered.
 */
export function pollAnswerSchema(slotIds: readonly string[]) {
  const choice = z.preprocess((value) => (value === "" ? undefined : value), z.enum(POLL_ANSWERS, { error: "Svara Ja, Om nödvändigt eller Nej, eller lämna tiden tom." }).optional());
  return z
    .object(Object.fromEntries(slotIds.map((id) => [`slot-${id}`, choice])))
    .transform((form) => {
      const record = form as Record<string, PollAnswerValue | undefined>;
      return slotIds.flatMap((slotId) => (record[`slot-${slotId}`] ? [{ slotId, answer: record[`slot-${slotId}`]! }] : []));
    })
    .refine((answers) => answers.length > 0, NOTHING_ANSWERED);
}

export type PollAnswers = Array<{ slotId: string; answer: PollAnswerValue }>;

/** Why answers are refused, with the chosen time when there is one; nothing sent is saved. */
function closedForAnswers(poll: { chosenSlotId: string | null }, slots: ReadonlyArray<{ id: string; startsAt: Date; endsAt: Date }>) {
  const chosen = slots.find((slot) => slot.id === poll.chosenSlotId);
  return conflict(chosen ? `${CLOSED_FOR_ANSWERS} Vald tid: ${pollSlotWhen(chosen.startsAt, chosen.endsAt)}. Det du skickade nu sparades inte.` : `${CLOSED_FOR_ANSWERS} Det du skickade nu sparades inte.`);
}

/**
 * Saves one person's answers; a time left out has no answer (an earlier answer to it is removed).
 * The same answers again change nothing, so a second submission is harmless.
 */
async function recordPollAnswers(db: Db, participant: typeof pollParticipants.$inferSelect, auditActor: Actor, answers: PollAnswers, via: string) {
  const changed = await db.transaction(async (tx) => {
    // Locks the poll, so that answers and the coordinator's pick do not cross.
    const [poll] = await tx.select().from(polls).where(eq(polls.id, participant.pollId)).for("update");
    const slots = await slotsOf(tx, poll.id);
    if (!pollIsAnswerable(poll)) throw closedForAnswers(poll, slots);
    if (answers.length === 0) throw badRequest(NOTHING_ANSWERED);
    if (!answers.every((answer) => slots.some((slot) => slot.id === answer.slotId))) throw badRequest(OTHER_TIMES);
    const before = await tx.select({ slotId: pollAnswers.slotId, answer: pollAnswers.answer }).from(pollAnswers).where(eq(pollAnswers.participantId, participant.id));
    const same = before.length === answers.length && answers.every((answer) => before.some((row) => row.slotId === answer.slotId && row.answer === answer.answer));
    if (same) return false;
    await tx
      .insert(pollAnswers)
      .values(answers.map((answer) => ({ participantId: participant.id, ...answer })))
      .onConflictDoUpdate({ target: [pollAnswers.participantId, pollAnswers.slotId], set: { answer: sql`excluded.answer` } });
    await tx.delete(pollAnswers).where(
      and(
        eq(pollAnswers.participantId, participant.id),
        notInArray(
          pollAnswers.slotId,
          answers.map((answer) => answer.slotId),
        ),
      ),
    );
    await tx.update(pollParticipants).set({ answeredAt: new Date() }).where(eq(pollParticipants.id, participant.id));
    const position = new Map(slots.map((slot) => [slot.id, slot.position + 1]));
    const describe = (rows: PollAnswers) => Object.fromEntries(rows.map((row) => [`tid ${position.get(row.slotId)}`, pollAnswerLabels[row.answer]]));
    await recordAudit(tx, {
      actor: auditActor,
      action: "poll.answer",
      entityType: "poll",
      entityId: poll.id,
      organisationId: poll.ownerOrganisationId,
      summary: `${participant.name} svarade på tidsförslaget ${poll.title}${via}`,
      before: before.length ? describe(before) : null,
      after: describe(answers),
    });
    return true;
  });
  if (changed) portal().publish(pollRoom(participant.pollId), "poll:answers", { pollId: participant.pollId });
  return changed;
}

/** The outcome told to the person: whether anything changed, and the times (1, 2, …) they left blank. */
export type PollAnswerOutcome = { changed: boolean; unanswered: number[] };

function outcome(changed: boolean, slots: ReadonlyArray<{ id: string }>, answers: PollAnswers): PollAnswerOutcome {
  return { changed, unanswered: slots.flatMap((slot, index) => (answers.some((answer) => answer.slotId === slot.id) ? [] : [index + 1])) };
}

export async function answerPoll(db: Db, actor: Actor, pollId: string, values: unknown): Promise<PollAnswerOutcome> {
  const { poll } = await visiblePoll(db, actor, pollId);
  const [participant] = await db.select().from(pollParticipants).where(and(eq(pollParticipants.pollId, pollId), eq(pollParticipants.userId, actor.userId)));
  authorize(actor, "poll.answer", { type: "invitee", userId: participant?.userId ?? null });
  const slots = await slotsOf(db, pollId);
  if (!pollIsAnswerable(poll)) throw closedForAnswers(poll, slots);
  const answers = parsePollAnswers(slots, values);
  return outcome(await recordPollAnswers(db, participant, actor, answers, ""), slots, answers);
}

function parsePollAnswers(slots: ReadonlyArray<{ id: string }>, values: unknown) {
  const slotIds = slots.map((slot) => slot.id);
  // A field for a time this poll does not have: a form from another poll, or one that was tampered with.
  const fields = values && typeof values === "object" ? Object.keys(values) : [];
  if (fields.some((field) => field.startsWith("slot-") && !slotIds.includes(field.slice("slot-".length)))) {
    throw badRequest(OTHER_TIMES);
  }
  const parsed = pollAnswerSchema(slotIds).safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? NOTHING_ANSWERED;
    throw badRequest(message, { answers: message });
  }
  return parsed.data;
}

/** The participant a verified link points at, with the poll; 404 when the pair does not exist. */
export async function loadPollLinkTarget(db: Db, target: { pollId: string; participantId: string }) {
  const [row] = await db
    .select({ participant: pollParticipants, poll: polls, networkName: networks.name })
    .from(pollParticipants)
    .innerJoin(polls, eq(polls.id, pollParticipants.pollId))
    .innerJoin(networks, eq(networks.id, polls.networkId))
    .where(and(eq(pollParticipants.id, target.participantId), eq(pollParticipants.pollId, target.pollId)));
  if (!row) throw notFound("Tidsförslaget eller din inbjudan finns inte längre. Kontakta den som skickade förslaget.");
  const slots = await slotsOf(db, target.pollId);
  const answers = await answersOf(db, target.pollId);
  const chosen = row.poll.chosenSlotId ? slots.find((slot) => slot.id === row.poll.chosenSlotId) : undefined;
  return {
    ...row,
    slots,
    // Someone answering by link sees the totals per time, not who answered what.
    tally: tallySlots(
      slots.map((slot) => slot.id),
      answers,
    ),
    mine: Object.fromEntries(answers.filter((answer) => answer.participantId === target.participantId).map((answer) => [answer.slotId, answer.answer])) as Record<string, PollAnswerValue>,
    chosen: chosen ? pollSlotWhen(chosen.startsAt, chosen.endsAt) : null,
  };
}

/** Answers by link: the signed token is the authority, so no sign-in is needed. */
export async function answerPollByLink(db: Db, target: { pollId: string; participantId: string }, values: unknown): Promise<PollAnswerOutcome> {
  const { participant, poll, slots } = await loadPollLinkTarget(db, target);
  if (!pollIsAnswerable(poll)) throw closedForAnswers(poll, slots);
  const answers = parsePollAnswers(slots, values);
  const actor: Actor = { userId: participant.userId ?? SYSTEM_ACTOR.userId, name: participant.name, isSystemAdmin: false, memberships: [] };
  return outcome(await recordPollAnswers(db, participant, actor, answers, " (via länk i mejlet)"), slots, answers);
}

// ---------------------------------------------------------------------------------------------
// Deciding.

/**
 * Picks a proposed time: in one transaction the meeting is planned in the network (the same
 * command as the meeting form, so everyone asked gets an invitation with a calendar file) and the
 * poll is closed and linked to it. A second pick, also a concurrent one, is refused and rolls back.
 */
export async function pickPollSlot(db: Db, actor: Actor, pollId: string, slotId: string) {
  const { poll, resource } = await visiblePoll(db, actor, pollId);
  authorize(actor, "poll.pick", resource);
  if (poll.status !== "oppen") throw conflict("Tidsförslaget är redan avgjort eller stängt.");
  const [slot] = await db.select().from(pollSlots).where(and(eq(pollSlots.id, slotId), eq(pollSlots.pollId, pollId)));
  if (!slot) throw badRequest("Välj en av de föreslagna tiderna.");
  const participants = await db.select({ email: pollParticipants.email }).from(pollParticipants).where(eq(pollParticipants.pollId, pollId)).orderBy(asc(pollParticipants.email));
  const meeting = await createMeeting(
    db,
    actor,
    poll.networkId,
    {
      title: poll.title,
      description: poll.description,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      place: poll.place,
      videoUrl: poll.videoUrl,
      agenda: [],
      inviteNetwork: false,
      extraEmails: participants.map((participant) => participant.email),
      // The default reminders: 7 days and 1 day before.
      reminderOffsets: undefined,
    },
    async (tx, meeting) => {
      const [closed] = await tx
        .update(polls)
        .set({ status: "vald", meetingId: meeting.id, chosenSlotId: slot.id, updatedAt: new Date() })
        .where(and(eq(polls.id, pollId), eq(polls.status, "oppen")))
        .returning();
      if (!closed) throw conflict("Tidsförslaget är redan avgjort eller stängt.");
      await recordAudit(tx, {
        actor,
        action: "poll.pick",
        entityType: "poll",
        entityId: pollId,
        organisationId: poll.ownerOrganisationId,
        summary: `${actor.name} valde ${pollSlotWhen(slot.startsAt, slot.endsAt)} för ${poll.title} och planerade mötet`,
        before: { status: "oppen" },
        after: { status: "vald", meetingId: meeting.id, startsAt: slot.startsAt.toISOString() },
      });
    },
  );
  portal().publish(pollRoom(pollId), "poll:changed", { pollId });
  return meeting;
}

/** Closes a poll without a meeting. */
export async function closePoll(db: Db, actor: Actor, pollId: string) {
  const { resource } = await visiblePoll(db, actor, pollId);
  authorize(actor, "poll.close", resource);
  await db.transaction(async (tx) => {
    const [poll] = await tx
      .update(polls)
      .set({ status: "stangd", updatedAt: new Date() })
      .where(and(eq(polls.id, pollId), eq(polls.status, "oppen")))
      .returning();
    if (!poll) throw conflict("Tidsförslaget är redan avgjort eller stängt.");
    await recordAudit(tx, {
      actor,
      action: "poll.close",
      entityType: "poll",
      entityId: pollId,
      organisationId: poll.ownerOrganisationId,
      summary: `${actor.name} stängde tidsförslaget ${poll.title} utan att välja en tid`,
      before: { status: "oppen" },
      after: { status: "stangd" },
    });
  });
  portal().publish(pollRoom(pollId), "poll:changed", { pollId });
}

// ---------------------------------------------------------------------------------------------
// The reminder.

/**
 * Queues one reminder to everyone who has not answered, once a poll is within a day of closing.
 * Safe to run any number of times and from several processes: the poll is marked in the same
 * transaction, and each mail's idempotency key admits it once. A poll that was open for less than
 * a day gets no reminder (its invitation is recent). `now` is a parameter so that tests set the clock.
 */
export async function sendPollReminders(db: Db, now: Date) {
  const windowEnd = new Date(now.getTime() + REMINDER_BEFORE_MS);
  const due = await db
    .select({ id: polls.id })
    .from(polls)
    .where(
      and(
        eq(polls.status, "oppen"),
        isNull(polls.remindedAt),
        gt(polls.closesAt, now),
        lte(polls.closesAt, windowEnd),
        sql`${polls.createdAt} < ${polls.closesAt} - interval '1 day'`,
      ),
    )
    .orderBy(asc(polls.closesAt))
    .limit(500);
  let queued = 0;
  for (const { id } of due) {
    const mailIds = await db.transaction(async (tx) => {
      const [poll] = await tx
        .update(polls)
        .set({ remindedAt: now })
        .where(and(eq(polls.id, id), eq(polls.status, "oppen"), isNull(polls.remindedAt)))
        .returning();
      if (!poll) return [];
      const waiting = await tx
        .select({ id: pollParticipants.id, email: pollParticipants.email })
        .from(pollParticipants)
        .where(and(eq(pollParticipants.pollId, id), isNull(pollParticipants.answeredAt)));
      return queuePollMails(tx, poll, waiting, "reminder");
    });
    queued += mailIds.filter(Boolean).length;
    await dispatchEmails(mailIds);
  }
  return { polls: due.length, queued };
}

// ---------------------------------------------------------------------------------------------
// The mail, loaded at send time.

export type PollEmailStored = { pollId: string; participantId: string; kind: PollEmailKind };

export async function loadPollEmail(db: Db, stored: PollEmailStored): Promise<PollEmailProps | null> {
  const [row] = await db
    .select({ participant: pollParticipants, poll: polls, networkName: networks.name, organizerName: users.name, organizerStatus: users.status })
    .from(pollParticipants)
    .innerJoin(polls, eq(polls.id, pollParticipants.pollId))
    .innerJoin(networks, eq(networks.id, polls.networkId))
    .leftJoin(users, eq(users.id, polls.createdBy))
    .where(and(eq(pollParticipants.id, stored.participantId), eq(pollParticipants.pollId, stored.pollId)));
  if (!row) return null;
  const { poll, participant } = row;
  const slots = await slotsOf(db, poll.id);
  return {
    kind: stored.kind,
    recipientName: knownInviteeName(participant) ?? "",
    organizerName: row.organizerName && row.organizerStatus !== "anonymised" ? row.organizerName : "Nätverkets samordnare",
    networkName: row.networkName,
    title: poll.title,
    description: poll.description,
    place: poll.place,
    videoUrl: poll.videoUrl,
    slots: slots.map((slot) => pollSlotWhen(slot.startsAt, slot.endsAt)),
    lastAnswerDay: lastAnswerDay(poll.closesAt),
    open: pollIsAnswerable(poll),
    answerUrl: pollLink({ pollId: poll.id, participantId: participant.id, expires: pollLinkExpiry(poll.closesAt) }),
    pollUrl: participant.userId ? `${config().baseUrl}/tidsforslag/${poll.id}` : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Personal data: the person's own export, and erasure when an account is anonymised.

/** The polls a person was asked in, with their answers, for their data export. */
export async function pollDataOf(db: Queryable, userId: string) {
  const rows = await db
    .select({ poll: polls.title, email: pollParticipants.email, answeredAt: pollParticipants.answeredAt, participantId: pollParticipants.id })
    .from(pollParticipants)
    .innerJoin(polls, eq(polls.id, pollParticipants.pollId))
    .where(eq(pollParticipants.userId, userId))
    .orderBy(asc(polls.createdAt));
  const answers = rows.length
    ? await db
        .select({ participantId: pollAnswers.participantId, startsAt: pollSlots.startsAt, answer: pollAnswers.answer })
        .from(pollAnswers)
        .innerJoin(pollSlots, eq(pollSlots.id, pollAnswers.slotId))
        .where(inArray(pollAnswers.participantId, rows.map((row) => row.participantId)))
        .orderBy(asc(pollSlots.startsAt))
    : [];
  return rows.map(({ participantId, ...row }) => ({
    ...row,
    answers: answers.filter((answer) => answer.participantId === participantId).map(({ startsAt, answer }) => ({ startsAt, answer: pollAnswerLabels[answer] })),
  }));
}

/** Removes a person's name and address from every poll they were asked in (their answers stay, unnamed). */
export async function anonymisePollParticipants(tx: Queryable, userId: string) {
  await tx
    .update(pollParticipants)
    .set({ name: "Anonymiserad person", email: `anonymiserad-${userId}@invalid` })
    .where(eq(pollParticipants.userId, userId));
}
