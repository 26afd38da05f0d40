import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { qualified } from "../../../db/qualified";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { reusedStatement } from "../../../db/prepared";
import { kunskapsdagar, kunskapsdagOrganisers, kunskapsdagProgrammeItems, kunskapsdagRegistrations, organisations, users } from "../../../db/schema";
import { changedFields, recordAudit } from "../audit/audit.server";
import { emailSchema } from "../auth/sign-in.server";
import { calendarDate } from "../calendar-date";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails } from "../mail/mail.server";
import { refreshLiveAccess } from "../../server/portal.server";
import { stockholmDate, stockholmTime, stockholmToUtc } from "../meetings/time";
import { authorize, can, leadOrganisationIds, type Actor, type KunskapsdagResource } from "../policy";
import { checkinRoom } from "./checkin-labels";
import { QUESTIONS, registrationsRoom, type Question } from "./labels";
import { registrationWindow } from "./registration-window";
import { descriptionDoc, parseRichDescription, plainTextToRichDoc, type RichDoc } from "./rich-description";
import { promoteFromWaitlist, publishSeats, seatCountFields, seatCounts } from "./registrations.server";
import { afterDayCancelled, afterDayChanged, planReminder } from "./reminders.server";

export type KunskapsdagRow = typeof kunskapsdagar.$inferSelect;
export type KunskapsdagStatus = KunskapsdagRow["status"];

export const KUNSKAPSDAG_NOT_FOUND = "Kunskapsdagen finns inte.";

/** Days whose page anyone may read, with or without an account. */
export const PUBLIC_STATUSES: readonly KunskapsdagStatus[] = ["publicerad", "stangd", "genomford", "installd"];

// ---------------------------------------------------------------------------------------------
// Loading and visibility.

export async function loadKunskapsdagResource(db: Queryable, kunskapsdagId: string) {
  const [day] = await db.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId));
  if (!day) return null;
  const organisers = await db.select({ userId: kunskapsdagOrganisers.userId }).from(kunskapsdagOrganisers).where(eq(kunskapsdagOrganisers.kunskapsdagId, kunskapsdagId));
  const resource: KunskapsdagResource = {
    type: "kunskapsdag",
    ownerOrganisationId: day.ownerOrganisationId,
    sharedWithOrganisationIds: day.sharedWithOrganisationIds,
    organiserUserIds: organisers.map((row) => row.userId),
  };
  return { day, resource };
}

/** A day anyone may read once published; a draft only for those who may view it (404 for others). */
export function isPubliclyVisible(day: Pick<KunskapsdagRow, "status">) {
  return PUBLIC_STATUSES.includes(day.status);
}

async function visibleToOrganiser(db: Db, actor: Actor, kunskapsdagId: string) {
  const loaded = await loadKunskapsdagResource(db, kunskapsdagId);
  if (!loaded || !(isPubliclyVisible(loaded.day) || can(actor, "kunskapsdag.view", loaded.resource))) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  return loaded;
}

/**
 * Whether someone may see a day's registrations, in every status (a draft too): the one decision
 * behind the organisers' pages (management, check-in, overview) and their live rooms, so that a
 * page and its room cannot disagree. A draft the person may not even view is answered as missing.
 */
export async function registrationsAccess(db: Queryable, actor: Actor, kunskapsdagId: string) {
  const loaded = await loadKunskapsdagResource(db, kunskapsdagId);
  if (!loaded || !(isPubliclyVisible(loaded.day) || can(actor, "kunskapsdag.view", loaded.resource))) return { decision: "not_found" as const };
  return { decision: can(actor, "kunskapsdag.viewRegistrations", loaded.resource) ? ("ok" as const) : ("forbidden" as const), ...loaded };
}

/** The day for someone who may see its registrations; 404 as in `registrationsAccess`, else 403. */
export async function requireRegistrationsAccess(db: Queryable, actor: Actor, kunskapsdagId: string) {
  const access = await registrationsAccess(db, actor, kunskapsdagId);
  if (access.decision === "not_found") throw notFound(KUNSKAPSDAG_NOT_FOUND);
  authorize(actor, "kunskapsdag.viewRegistrations", access.resource);
  return { day: access.day, resource: access.resource };
}

const seatColumns = {
  // An offered seat (erbjuden) is held, so it counts as taken.
  confirmed: sql<number>`(select count(*)::int from ${kunskapsdagRegistrations} r where r.kunskapsdag_id = ${qualified(kunskapsdagar.id)} and r.status in ('bekraftad', 'erbjuden'))`,
  waitlisted: sql<number>`(select count(*)::int from ${kunskapsdagRegistrations} r where r.kunskapsdag_id = ${qualified(kunskapsdagar.id)} and r.status = 'vantelista')`,
};

/** Coming published days, for everyone: the public list. */
export async function listUpcomingKunskapsdagar(db: Db) {
  return db
    .select({
      id: kunskapsdagar.id,
      title: kunskapsdagar.title,
      startsAt: kunskapsdagar.startsAt,
      endsAt: kunskapsdagar.endsAt,
      place: kunskapsdagar.place,
      videoUrl: kunskapsdagar.videoUrl,
      capacity: kunskapsdagar.capacity,
      status: kunskapsdagar.status,
      registrationOpensAt: kunskapsdagar.registrationOpensAt,
      registrationClosesAt: kunskapsdagar.registrationClosesAt,
      ...seatColumns,
    })
    .from(kunskapsdagar)
    .where(and(inArray(kunskapsdagar.status, ["publicerad", "stangd"]), sql`${kunskapsdagar.endsAt} >= now()`))
    .orderBy(asc(kunskapsdagar.startsAt))
    .limit(200);
}

/** The SQL twin of `kunskapsdag.viewRegistrations`: the owning organisation's leads and the day's organisers. */
function managedByActor(actor: Actor) {
  if (actor.isSystemAdmin) return sql`true`;
  const ids = `{${leadOrganisationIds(actor).join(",")}}`;
  return sql`(${kunskapsdagar.ownerOrganisationId} = any(${ids}::uuid[])
    or exists (select 1 from ${kunskapsdagOrganisers} where ${kunskapsdagOrganisers.kunskapsdagId} = ${kunskapsdagar.id} and ${kunskapsdagOrganisers.userId} = ${actor.userId}::uuid))`;
}

/**
 * Every day not yet held (drafts included) that the person runs: exactly those whose management
 * page (`getOrganiserView`) lets them in. Seeing a day through one's organisation is not enough.
 */
export async function listOrganiserKunskapsdagar(db: Db, actor: Actor) {
  const rows = await db
    .select({
      id: kunskapsdagar.id,
      title: kunskapsdagar.title,
      startsAt: kunskapsdagar.startsAt,
      status: kunskapsdagar.status,
      capacity: kunskapsdagar.capacity,
      ownerOrganisationId: kunskapsdagar.ownerOrganisationId,
      sharedWithOrganisationIds: kunskapsdagar.sharedWithOrganisationIds,
      organiserUserIds: sql<string[]>`${organiserUserIdsField}`,
      ...seatColumns,
    })
    .from(kunskapsdagar)
    .where(and(managedByActor(actor), sql`${kunskapsdagar.status} <> 'genomford'`))
    .orderBy(asc(kunskapsdagar.startsAt))
    .limit(200);
  // The policy has the last word, so that the list and the management page cannot disagree.
  return rows.filter((row) => can(actor, "kunskapsdag.viewRegistrations", { type: "kunskapsdag", ...row }));
}

/** Organisations in which the person may create a kunskapsdag. */
export async function creatableOwners(db: Db, actor: Actor) {
  const all = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name));
  return { owners: all.filter((org) => can(actor, "kunskapsdag.create", { type: "organisation", id: org.id })), organisations: all };
}

type PublicDayJson = Omit<PublicDay, "startsAt" | "endsAt" | "registrationOpensAt" | "registrationClosesAt"> & {
  startsAt: string;
  endsAt: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
};

/** What the public page shows of a day, and what its policy decisions need. */
export type PublicDay = Pick<
  KunskapsdagRow,
  | "id"
  | "ownerOrganisationId"
  | "sharedWithOrganisationIds"
  | "title"
  | "description"
  | "descriptionDoc"
  | "startsAt"
  | "endsAt"
  | "place"
  | "videoUrl"
  | "capacity"
  | "offerHoldHours"
  | "audience"
  | "audienceOrganisationIds"
  | "registrationOpensAt"
  | "registrationClosesAt"
  | "questions"
  | "freeTextQuestion"
  | "status"
  | "series"
>;

type ProgrammeItem = { id: string; time: string; title: string; speaker: string };
type SeriesDayJson = { id: string; title: string; startsAt: string; endsAt: string };

// Fragments of their own, so that drizzle keeps the table names on every column inside them.
const publicDayFields = sql`json_build_object(
  'id', ${kunskapsdagar.id}, 'ownerOrganisationId', ${kunskapsdagar.ownerOrganisationId}, 'sharedWithOrganisationIds', ${kunskapsdagar.sharedWithOrganisationIds},
  'title', ${kunskapsdagar.title}, 'description', ${kunskapsdagar.description}, 'descriptionDoc', ${kunskapsdagar.descriptionDoc},
  'startsAt', ${kunskapsdagar.startsAt}, 'endsAt', ${kunskapsdagar.endsAt}, 'place', ${kunskapsdagar.place}, 'videoUrl', ${kunskapsdagar.videoUrl},
  'capacity', ${kunskapsdagar.capacity}, 'offerHoldHours', ${kunskapsdagar.offerHoldHours}, 'audience', ${kunskapsdagar.audience}, 'audienceOrganisationIds', ${kunskapsdagar.audienceOrganisationIds},
  'registrationOpensAt', ${kunskapsdagar.registrationOpensAt}, 'registrationClosesAt', ${kunskapsdagar.registrationClosesAt},
  'questions', ${kunskapsdagar.questions}, 'freeTextQuestion', ${kunskapsdagar.freeTextQuestion}, 'status', ${kunskapsdagar.status}, 'series', ${kunskapsdagar.series})`;

const organiserUserIdsField = sql`(select coalesce(json_agg(${kunskapsdagOrganisers.userId}), '[]'::json) from ${kunskapsdagOrganisers}
  where ${kunskapsdagOrganisers.kunskapsdagId} = ${kunskapsdagar.id})`;

const programmeField = sql`(select coalesce(json_agg(json_build_object('id', p.id, 'time', p.time, 'title', p.title, 'speaker', p.speaker) order by p.position), '[]'::json)
  from ${kunskapsdagProgrammeItems} p where p.kunskapsdag_id = ${kunskapsdagar.id})`;

// The same counts as `seatCounts` (built on first use: registrations.server imports this module).
const seatsField = () => sql`(select json_build_object('confirmed', ${seatCountFields.confirmed}, 'waitlisted', ${seatCountFields.waitlisted})
  from ${kunskapsdagRegistrations} where ${kunskapsdagRegistrations.kunskapsdagId} = ${kunskapsdagar.id})`;

// The registration form's choices: every organisation, or those the day is open for.
const organisationsField = sql`(select coalesce(json_agg(json_build_object('id', o.id, 'name', o.name) order by o.name), '[]'::json)
  from ${organisations} o where ${kunskapsdagar.audience} = 'alla' or o.id = any(${kunskapsdagar.audienceOrganisationIds}))`;

const organiserNamesField = sql`(select coalesce(json_agg(u.name order by u.name), '[]'::json)
  from ${kunskapsdagOrganisers} ko join ${users} u on u.id = ko.user_id
  where ko.kunskapsdag_id = ${kunskapsdagar.id} and u.status <> 'anonymised')`;

// Other coming days of the same series (same owner, same series name), public ones only.
const seriesDaysField = sql`(select coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'startsAt', s.starts_at, 'endsAt', s.ends_at) order by s.starts_at), '[]'::json)
  from (select other.id, other.title, other.starts_at, other.ends_at from ${kunskapsdagar} other
    where ${kunskapsdagar.series} <> '' and other.owner_organisation_id = ${kunskapsdagar.ownerOrganisationId}
      and lower(other.series) = lower(${kunskapsdagar.series}) and other.series <> '' and other.id <> ${kunskapsdagar.id}
      and other.status in ('publicerad', 'stangd') and other.ends_at >= now()
    order by other.starts_at limit 10) s)`;

/**
 * Everything the public page shows in one prepared statement: anonymous readers load it on every
 * view, and on the embedded database each round trip costs more than its rows.
 */
const publicPageQuery = reusedStatement<{
  day: PublicDayJson;
  organiserUserIds: string[];
  programme: ProgrammeItem[];
  seats: { confirmed: number; waitlisted: number };
  organisations: Array<{ id: string; name: string }>;
  organiserNames: string[];
  seriesDays: SeriesDayJson[];
}>("kunskapsdag_public_page", (db) =>
  db
    .select({
      day: sql<PublicDayJson>`${publicDayFields}`,
      organiserUserIds: sql<string[]>`${organiserUserIdsField}`,
      programme: sql<ProgrammeItem[]>`${programmeField}`,
      seats: sql<{ confirmed: number; waitlisted: number }>`${seatsField()}`,
      organisations: sql<Array<{ id: string; name: string }>>`${organisationsField}`,
      organiserNames: sql<string[]>`${organiserNamesField}`,
      seriesDays: sql<SeriesDayJson[]>`${seriesDaysField}`,
    })
    .from(kunskapsdagar)
    .where(eq(kunskapsdagar.id, sql.placeholder("kunskapsdagId"))),
);

/** One day for its public page: published for everyone, a draft for those who may view it. */
export async function getKunskapsdag(db: Db, actor: Actor | null, kunskapsdagId: string) {
  const [row] = await publicPageQuery(db, { kunskapsdagId });
  if (!row) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  const day: PublicDay = {
    ...row.day,
    startsAt: new Date(row.day.startsAt),
    endsAt: new Date(row.day.endsAt),
    registrationOpensAt: new Date(row.day.registrationOpensAt),
    registrationClosesAt: new Date(row.day.registrationClosesAt),
  };
  const resource: KunskapsdagResource = { type: "kunskapsdag", ownerOrganisationId: day.ownerOrganisationId, sharedWithOrganisationIds: day.sharedWithOrganisationIds, organiserUserIds: row.organiserUserIds };
  if (!isPubliclyVisible(day) && !can(actor, "kunskapsdag.view", resource)) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  const { confirmed, waitlisted } = row.seats;
  return {
    day,
    programme: row.programme,
    seats: { kunskapsdagId: day.id, capacity: day.capacity, confirmed, waitlisted, seatsLeft: Math.max(0, day.capacity - confirmed) },
    organisations: row.organisations,
    organisers: row.organiserNames,
    seriesDays: row.seriesDays.map((other) => ({ ...other, startsAt: new Date(other.startsAt), endsAt: new Date(other.endsAt) })),
    registration: registrationWindow(day),
    can: { edit: can(actor, "kunskapsdag.edit", resource), viewRegistrations: can(actor, "kunskapsdag.viewRegistrations", resource) },
  };
}

/** The organiser's view: the day and everyone registered, in arrival order. */
export async function getOrganiserView(db: Db, actor: Actor, kunskapsdagId: string) {
  const { day, resource } = await requireRegistrationsAccess(db, actor, kunskapsdagId);
  const registrations = await db
    .select({
      id: kunskapsdagRegistrations.id,
      arrival: kunskapsdagRegistrations.arrival,
      name: kunskapsdagRegistrations.name,
      email: kunskapsdagRegistrations.email,
      organisationName: kunskapsdagRegistrations.organisationName,
      status: kunskapsdagRegistrations.status,
      createdAt: kunskapsdagRegistrations.createdAt,
    })
    .from(kunskapsdagRegistrations)
    .where(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId))
    .orderBy(asc(kunskapsdagRegistrations.arrival));
  return { day, registrations, seats: await seatCounts(db, day), can: { edit: can(actor, "kunskapsdag.edit", resource) } };
}

// ---------------------------------------------------------------------------------------------
// The form.

const asList = (max: number, message: string) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string()).max(max, message));
const clock = z.string({ error: "Ange en tid, t.ex. 09:00." }).trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Ange tiden som TT:MM, t.ex. 09:00.");
// A day missing from the calendar is refused beside the date, not later as an impossible start time.
const dateText = z.string({ error: "Ange ett datum." }).pipe(calendarDate("Ange datumet som ÅÅÅÅ-MM-DD."));
const localDateTime = z
  .string({ error: "Ange datum och tid." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM.");
const uuidText = z.string().trim().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Välj en organisation i listan.").transform((id) => id.toLowerCase());
const uuidList = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(uuidText).max(200, "Välj högst 200 organisationer."));

export const kunskapsdagFormSchema = z
  .object({
    ownerOrganisationId: uuidText.optional(),
    title: z.string({ error: "Ge kunskapsdagen en rubrik." }).trim().min(3, "Ge kunskapsdagen en rubrik (minst 3 tecken).").max(200, "Rubriken får vara högst 200 tecken."),
    description: z.string().trim().max(10_000, "Beskrivningen får vara högst 10 000 tecken.").default(""),
    /** The editor's ProseMirror JSON; without JavaScript only the plain `description` comes. */
    descriptionDoc: z.string().default(""),
    date: dateText,
    startTime: clock,
    endTime: clock,
    place: z.string().trim().max(300, "Platsen får vara högst 300 tecken.").default(""),
    videoUrl: z
      .string()
      .trim()
      .max(500, "Videolänken får vara högst 500 tecken.")
      .default("")
      .refine((value) => value === "" || /^https?:\/\/[^\s]+$/i.test(value), "Videolänken ska vara en webbadress som börjar med https://."),
    capacity: z.coerce.number({ error: "Ange antalet platser." }).int("Ange antalet platser som ett heltal.").min(1, "Ange minst 1 plats.").max(5000, "Högst 5 000 platser."),
    reminderDaysBefore: z.preprocess(
      (value) => (value === undefined || value === "" ? "2" : value),
      z.coerce.number({ error: "Ange antalet dagar före." }).int("Ange antalet dagar som ett heltal.").min(1, "Påminnelsen skickas minst 1 dag före.").max(30, "Påminnelsen kan skickas högst 30 dagar före."),
    ),
    series: z.string().trim().max(200, "Seriens namn får vara högst 200 tecken.").default(""),
    offerHoldHours: z
      .enum(["", "24", "48"], { error: "Välj ingen tid, 24 timmar eller 48 timmar." })
      .default("")
      .transform((value) => (value === "" ? null : Number(value))),
    audience: z.enum(["alla", "valda"], { error: "Välj vilka som kan anmäla sig." }).default("alla"),
    audienceOrganisationIds: uuidList,
    sharedWithOrganisationIds: uuidList,
    registrationOpens: localDateTime,
    registrationCloses: localDateTime,
    questions: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.enum(QUESTIONS, { error: "Okänd fråga." })).max(QUESTIONS.length)),
    freeTextQuestion: z.string().trim().max(300, "Frågan får vara högst 300 tecken.").default(""),
    programmeTime: asList(40, "Programmet får ha högst 40 punkter."),
    programmeTitle: asList(40, "Programmet får ha högst 40 punkter."),
    programmeSpeaker: asList(40, "Programmet får ha högst 40 punkter."),
    organiserEmails: z.string().max(5_000, "Listan med adresser är för lång.").default(""),
  })
  .transform((form, ctx) => {
    const startsAt = stockholmToUtc(form.date, form.startTime);
    const endsAt = stockholmToUtc(form.date, form.endTime);
    const [opensDate, opensTime] = form.registrationOpens.split("T");
    const [closesDate, closesTime] = form.registrationCloses.split("T");
    const opensAt = stockholmToUtc(opensDate, opensTime);
    const closesAt = stockholmToUtc(closesDate, closesTime);
    if (!startsAt) ctx.addIssue({ code: "custom", path: ["startTime"], message: "Datumet eller starttiden finns inte i Stockholms tid." });
    if (!endsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "Datumet eller sluttiden finns inte i Stockholms tid." });
    if (startsAt && endsAt && endsAt <= startsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: "Kunskapsdagen måste sluta efter att den börjar." });
    if (!opensAt) ctx.addIssue({ code: "custom", path: ["registrationOpens"], message: "Tiden finns inte i Stockholms tid." });
    if (!closesAt) ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Tiden finns inte i Stockholms tid." });
    if (opensAt && closesAt && closesAt <= opensAt) ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Anmälan måste stänga efter att den öppnar." });
    if (closesAt && startsAt && closesAt > startsAt) ctx.addIssue({ code: "custom", path: ["registrationCloses"], message: "Anmälan måste stänga senast när kunskapsdagen börjar." });
    if (!form.place && !form.videoUrl) ctx.addIssue({ code: "custom", path: ["place"], message: "Ange en plats, en videolänk eller båda." });
    if (form.audience === "valda" && form.audienceOrganisationIds.length === 0) {
      ctx.addIssue({ code: "custom", path: ["audienceOrganisationIds"], message: "Välj minst en organisation som får anmäla sig." });
    }
    const questions = [...new Set(form.questions)] as Question[];
    if (questions.includes("fritext") && !form.freeTextQuestion) ctx.addIssue({ code: "custom", path: ["freeTextQuestion"], message: "Skriv den egna frågan, eller ta bort bocken för den." });

    let description = form.description;
    let descriptionDoc: RichDoc | null = description ? plainTextToRichDoc(description) : null;
    if (form.descriptionDoc.trim()) {
      const rich = parseRichDescription(form.descriptionDoc);
      if (!rich.ok) ctx.addIssue({ code: "custom", path: ["description"], message: rich.message });
      else {
        description = rich.text;
        descriptionDoc = rich.text ? rich.doc : null;
      }
    }

    const programme: Array<{ time: string; title: string; speaker: string }> = [];
    const rows = Math.max(form.programmeTime.length, form.programmeTitle.length, form.programmeSpeaker.length);
    for (let index = 0; index < rows; index++) {
      const time = (form.programmeTime[index] ?? "").trim();
      const title = (form.programmeTitle[index] ?? "").trim();
      const speaker = (form.programmeSpeaker[index] ?? "").trim();
      if (!time && !title && !speaker) continue;
      const point = `Programpunkt ${index + 1}`;
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) ctx.addIssue({ code: "custom", path: ["programme"], message: `${point}: ange tiden som TT:MM.` });
      if (!title || title.length > 200) ctx.addIssue({ code: "custom", path: ["programme"], message: `${point}: ange en rubrik (högst 200 tecken).` });
      if (speaker.length > 200) ctx.addIssue({ code: "custom", path: ["programme"], message: `${point}: talare får vara högst 200 tecken.` });
      programme.push({ time, title, speaker });
    }

    const organiserEmails: string[] = [];
    for (const candidate of form.organiserEmails.split(/[\s,;]+/).filter(Boolean)) {
      const parsed = emailSchema.safeParse(candidate);
      if (!parsed.success) ctx.addIssue({ code: "custom", path: ["organiserEmails"], message: `"${candidate.slice(0, 80)}" är inte en giltig e-postadress.` });
      else if (!organiserEmails.includes(parsed.data)) organiserEmails.push(parsed.data);
    }
    if (organiserEmails.length > 20) ctx.addIssue({ code: "custom", path: ["organiserEmails"], message: "Ange högst 20 arrangörer." });

    return {
      ownerOrganisationId: form.ownerOrganisationId,
      title: form.title,
      description,
      descriptionDoc,
      startsAt: startsAt ?? new Date(0),
      endsAt: endsAt ?? new Date(0),
      place: form.place,
      videoUrl: form.videoUrl,
      capacity: form.capacity,
      reminderDaysBefore: form.reminderDaysBefore,
      offerHoldHours: form.offerHoldHours,
      series: form.series,
      audience: form.audience,
      audienceOrganisationIds: form.audience === "valda" ? [...new Set(form.audienceOrganisationIds)] : [],
      sharedWithOrganisationIds: [...new Set(form.sharedWithOrganisationIds)],
      registrationOpensAt: opensAt ?? new Date(0),
      registrationClosesAt: closesAt ?? new Date(0),
      questions,
      freeTextQuestion: questions.includes("fritext") ? form.freeTextQuestion : "",
      programme,
      organiserEmails,
    };
  });

export type KunskapsdagInput = z.output<typeof kunskapsdagFormSchema>;

const localValue = (instant: Date) => `${stockholmDate(instant)}T${stockholmTime(instant)}`;

/** The form's values for a stored day (edit page). */
export async function kunskapsdagFormValues(db: Db, day: KunskapsdagRow) {
  const programme = await db.select().from(kunskapsdagProgrammeItems).where(eq(kunskapsdagProgrammeItems.kunskapsdagId, day.id)).orderBy(asc(kunskapsdagProgrammeItems.position));
  const organisers = await db
    .select({ email: users.email })
    .from(kunskapsdagOrganisers)
    .innerJoin(users, eq(users.id, kunskapsdagOrganisers.userId))
    .where(eq(kunskapsdagOrganisers.kunskapsdagId, day.id))
    .orderBy(asc(users.email));
  return {
    ownerOrganisationId: day.ownerOrganisationId,
    title: day.title,
    description: day.description,
    descriptionDoc: JSON.stringify(descriptionDoc(day)),
    date: stockholmDate(day.startsAt),
    startTime: stockholmTime(day.startsAt),
    endTime: stockholmTime(day.endsAt),
    place: day.place,
    videoUrl: day.videoUrl,
    capacity: String(day.capacity),
    reminderDaysBefore: String(day.reminderDaysBefore),
    offerHoldHours: day.offerHoldHours === null ? "" : String(day.offerHoldHours),
    series: day.series,
    audience: day.audience,
    audienceOrganisationIds: day.audienceOrganisationIds,
    sharedWithOrganisationIds: day.sharedWithOrganisationIds,
    registrationOpens: localValue(day.registrationOpensAt),
    registrationCloses: localValue(day.registrationClosesAt),
    questions: day.questions,
    freeTextQuestion: day.freeTextQuestion,
    programme: programme.map(({ time, title, speaker }) => ({ time, title, speaker })),
    organiserEmails: organisers.map((row) => row.email).join("\n"),
  };
}

/**
 * The form's values for a new day based on an existing one ("Ny kunskapsdag utifrån denna"):
 * everything but the dates and the registration window, which the organiser sets. Nothing is stored.
 */
export async function copyFormValues(db: Db, actor: Actor, kunskapsdagId: string) {
  const loaded = await loadKunskapsdagResource(db, kunskapsdagId);
  if (!loaded || !can(actor, "kunskapsdag.view", loaded.resource)) throw notFound(KUNSKAPSDAG_NOT_FOUND);
  authorize(actor, "kunskapsdag.edit", loaded.resource);
  const values = await kunskapsdagFormValues(db, loaded.day);
  return { ...values, date: "", startTime: "", endTime: "", registrationOpens: "", registrationCloses: "", source: { id: loaded.day.id, title: loaded.day.title } };
}

// ---------------------------------------------------------------------------------------------
// Commands.

async function checkOrganisationsExist(tx: Queryable, ids: readonly string[], field: string) {
  if (ids.length === 0) return;
  const found = await tx.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, [...ids]));
  if (found.length !== new Set(ids).size) throw badRequest("En av de valda organisationerna finns inte.", { [field]: "En av de valda organisationerna finns inte." });
}

/** Active people for the organiser addresses; an unknown address is refused by name. */
async function organiserIds(tx: Queryable, emails: readonly string[]) {
  if (emails.length === 0) return [];
  const found = await tx.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.email, [...emails]), eq(users.status, "active")));
  const missing = emails.filter((email) => !found.some((row) => row.email === email));
  if (missing.length) {
    throw badRequest("Kontrollera arrangörerna.", { organiserEmails: `Det finns inget aktivt konto för ${missing.slice(0, 3).join(", ")}. Arrangörer behöver ett konto i portalen.` });
  }
  return found.map((row) => row.id);
}

function dayFields(input: KunskapsdagInput) {
  const { title, description, descriptionDoc, startsAt, endsAt, place, videoUrl, capacity, reminderDaysBefore, offerHoldHours, series, audience, audienceOrganisationIds, registrationOpensAt, registrationClosesAt, questions, freeTextQuestion } = input;
  return { title, description, descriptionDoc, startsAt, endsAt, place, videoUrl, capacity, reminderDaysBefore, offerHoldHours, series, audience, audienceOrganisationIds, registrationOpensAt, registrationClosesAt, questions, freeTextQuestion };
}

export async function createKunskapsdag(db: Db, actor: Actor, input: KunskapsdagInput) {
  if (!input.ownerOrganisationId) throw badRequest("Välj ägande organisation.", { ownerOrganisationId: "Välj ägande organisation." });
  const ownerOrganisationId = input.ownerOrganisationId;
  authorize(actor, "kunskapsdag.create", { type: "organisation", id: ownerOrganisationId });
  return db.transaction(async (tx) => {
    await checkOrganisationsExist(tx, [ownerOrganisationId], "ownerOrganisationId");
    const sharedWith = input.sharedWithOrganisationIds.filter((id) => id !== ownerOrganisationId);
    await checkOrganisationsExist(tx, sharedWith, "sharedWithOrganisationIds");
    await checkOrganisationsExist(tx, input.audienceOrganisationIds, "audienceOrganisationIds");
    const organisers = [...new Set([actor.userId, ...(await organiserIds(tx, input.organiserEmails))])];
    const [day] = await tx
      .insert(kunskapsdagar)
      .values({ ownerOrganisationId, sharedWithOrganisationIds: sharedWith, ...dayFields(input), createdBy: actor.userId })
      .returning();
    if (input.programme.length) await tx.insert(kunskapsdagProgrammeItems).values(input.programme.map((item, position) => ({ kunskapsdagId: day.id, position, ...item })));
    await tx.insert(kunskapsdagOrganisers).values(organisers.map((userId) => ({ kunskapsdagId: day.id, userId })));
    await planReminder(tx, day.id);
    await recordAudit(tx, {
      actor,
      action: "kunskapsdag.create",
      entityType: "kunskapsdag",
      entityId: day.id,
      organisationId: ownerOrganisationId,
      summary: `${actor.name} skapade kunskapsdagen ${day.title}`,
      after: { title: day.title, startsAt: day.startsAt.toISOString(), capacity: day.capacity, organisers: organisers.length },
    });
    return day;
  });
}

function comparable(day: ReturnType<typeof dayFields>, sharedWith: readonly string[], programme: KunskapsdagInput["programme"], organisers: readonly string[]) {
  return {
    ...day,
    // Key order of stored jsonb differs from the editor's; compare the normalised documents.
    descriptionDoc: JSON.stringify(descriptionDoc(day)),
    startsAt: day.startsAt.toISOString(),
    endsAt: day.endsAt.toISOString(),
    registrationOpensAt: day.registrationOpensAt.toISOString(),
    registrationClosesAt: day.registrationClosesAt.toISOString(),
    audienceOrganisationIds: [...day.audienceOrganisationIds].sort(),
    questions: [...day.questions].sort(),
    sharedWithOrganisationIds: [...sharedWith].sort(),
    programme: programme.map(({ time, title, speaker }) => ({ time, title, speaker })),
    organisers: [...organisers].sort(),
  };
}

/**
 * Saves a change. More seats move the first on the waitlist up at once (in this transaction);
 * fewer seats than already confirmed are refused, since nobody loses a seat they were given.
 */
export async function updateKunskapsdag(db: Db, actor: Actor, kunskapsdagId: string, input: KunskapsdagInput) {
  const { resource } = await visibleToOrganiser(db, actor, kunskapsdagId);
  authorize(actor, "kunskapsdag.edit", resource);
  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update");
    if (current.status === "genomford") throw conflict("En genomförd kunskapsdag kan inte ändras.");
    if (current.status === "installd") throw conflict("En inställd kunskapsdag kan inte ändras.");
    const sharedWith = input.sharedWithOrganisationIds.filter((id) => id !== current.ownerOrganisationId);
    await checkOrganisationsExist(tx, sharedWith, "sharedWithOrganisationIds");
    await checkOrganisationsExist(tx, input.audienceOrganisationIds, "audienceOrganisationIds");
    const [{ confirmed }] = await tx
      .select({ confirmed: sql<number>`count(*)::int` })
      .from(kunskapsdagRegistrations)
      .where(and(eq(kunskapsdagRegistrations.kunskapsdagId, kunskapsdagId), inArray(kunskapsdagRegistrations.status, ["bekraftad", "erbjuden"])));
    if (input.capacity < confirmed) {
      throw badRequest("Kontrollera antalet platser.", { capacity: `${confirmed} personer har redan bekräftade platser. Antalet platser kan inte bli färre än så.` });
    }
    const organisers = await organiserIds(tx, input.organiserEmails);
    const programmeBefore = await tx.select().from(kunskapsdagProgrammeItems).where(eq(kunskapsdagProgrammeItems.kunskapsdagId, kunskapsdagId)).orderBy(asc(kunskapsdagProgrammeItems.position));
    const diff = changedFields(
      comparable(dayFields(current as unknown as KunskapsdagInput), current.sharedWithOrganisationIds, programmeBefore, resource.organiserUserIds),
      comparable(dayFields(input), sharedWith, input.programme, organisers),
    );
    if (diff.changed.length === 0) return { changed: false, organisersChanged: false, promoted: [] as string[], mailIds: [] as Array<string | undefined> };
    const calendarChange = diff.changed.some((field) => ["title", "startsAt", "endsAt", "place", "videoUrl", "description"].includes(field));
    const [day] = await tx
      .update(kunskapsdagar)
      .set({ ...dayFields(input), sharedWithOrganisationIds: sharedWith, sequence: calendarChange ? sql`${kunskapsdagar.sequence} + 1` : current.sequence, updatedAt: new Date() })
      .where(eq(kunskapsdagar.id, kunskapsdagId))
      .returning();
    if (diff.changed.includes("programme")) {
      await tx.delete(kunskapsdagProgrammeItems).where(eq(kunskapsdagProgrammeItems.kunskapsdagId, kunskapsdagId));
      if (input.programme.length) await tx.insert(kunskapsdagProgrammeItems).values(input.programme.map((item, position) => ({ kunskapsdagId, position, ...item })));
    }
    if (diff.changed.includes("organisers")) {
      await tx.delete(kunskapsdagOrganisers).where(eq(kunskapsdagOrganisers.kunskapsdagId, kunskapsdagId));
      if (organisers.length) await tx.insert(kunskapsdagOrganisers).values(organisers.map((userId) => ({ kunskapsdagId, userId })));
    }
    await recordAudit(tx, {
      actor,
      action: "kunskapsdag.edit",
      entityType: "kunskapsdag",
      entityId: kunskapsdagId,
      organisationId: day.ownerOrganisationId,
      summary: `${actor.name} ändrade kunskapsdagen ${day.title}`,
      before: diff.before,
      after: diff.after,
    });
    const promoted = input.capacity > current.capacity ? await promoteFromWaitlist(tx, day, input.capacity - confirmed) : { ids: [], mailIds: [] };
    const changeMailIds = await afterDayChanged(tx, day, diff.changed);
    return { changed: true, organisersChanged: diff.changed.includes("organisers"), promoted: promoted.ids, mailIds: [...promoted.mailIds, ...changeMailIds] };
  });
  if (result.changed) {
    await dispatchEmails(result.mailIds);
    await publishSeats(db, kunskapsdagId);
  }
  // An organiser taken off the day leaves its live rooms at once.
  if (result.organisersChanged) await Promise.all([registrationsRoom(kunskapsdagId), checkinRoom(kunskapsdagId)].map((room) => refreshLiveAccess(room)));
  return result;
}

const transitions: Record<KunskapsdagStatus, readonly KunskapsdagStatus[]> = {
  utkast: ["publicerad"],
  publicerad: ["stangd", "genomford", "installd"],
  stangd: ["publicerad", "genomford", "installd"],
  genomford: [],
  installd: [],
};

const transitionRefusals: Partial<Record<KunskapsdagStatus, string>> = {
  publicerad: "Bara ett utkast eller en stängd kunskapsdag kan publiceras.",
  stangd: "Bara en publicerad kunskapsdag kan stängas för anmälan.",
  genomford: "Bara en publicerad eller stängd kunskapsdag som har börjat kan markeras som genomförd.",
  installd: "Bara en publicerad eller stängd kunskapsdag som inte har börjat kan ställas in.",
};

export const statusChangeSchema = z.object({ to: z.enum(["publicerad", "stangd", "genomford", "installd"], { error: "Okänd status." }) });

/** utkast → publicerad → stangd ⇄ publicerad → genomford (only once the day has begun). */
export async function changeKunskapsdagStatus(db: Db, actor: Actor, kunskapsdagId: string, to: "publicerad" | "stangd" | "genomford" | "installd") {
  const { resource } = await visibleToOrganiser(db, actor, kunskapsdagId);
  authorize(actor, "kunskapsdag.edit", resource);
  const { day, mailIds } = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(kunskapsdagar).where(eq(kunskapsdagar.id, kunskapsdagId)).for("update");
    if (
      !transitions[current.status].includes(to) ||
      (to === "genomford" && current.startsAt.getTime() > Date.now()) ||
      (to === "installd" && current.startsAt.getTime() <= Date.now())
    ) {
      throw conflict(transitionRefusals[to] ?? "Statusen kan inte ändras så.");
    }
    // A cancellation is a new version of the participants' calendar entry.
    const sequence = to === "installd" ? current.sequence + 1 : current.sequence;
    const [day] = await tx.update(kunskapsdagar).set({ status: to, sequence, updatedAt: new Date() }).where(eq(kunskapsdagar.id, kunskapsdagId)).returning();
    await recordAudit(tx, {
      actor,
      action: "kunskapsdag.status",
      entityType: "kunskapsdag",
      entityId: kunskapsdagId,
      organisationId: day.ownerOrganisationId,
      summary: `${actor.name} ändrade status för kunskapsdagen ${day.title} till ${to}`,
      before: { status: current.status },
      after: { status: to },
    });
    const mailIds = to === "installd" ? await afterDayCancelled(tx, day) : (await planReminder(tx, day.id), []);
    return { day, mailIds };
  });
  await dispatchEmails(mailIds);
  await publishSeats(db, kunskapsdagId);
  return day;
}
