import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations, users } from "./organisations";

/** utkast (draft) → publicerad (open for registration) → stangd (closed) → genomford (held); installd: cancelled by the organisers. */
export const kunskapsdagStatus = pgEnum("kunskapsdag_status", ["utkast", "publicerad", "stangd", "genomford", "installd"]);
/** alla: staff of every actor; valda: only the chosen organisations. */
export const kunskapsdagAudience = pgEnum("kunskapsdag_audience", ["alla", "valda"]);
/**
 * bekraftad (has a seat), vantelista (waitlisted), avbokad (cancelled or left the waitlist),
 * erbjuden (offered a freed seat, which is held for them until `offered_until`).
 */
export const registrationStatus = pgEnum("kunskapsdag_registration_status", ["bekraftad", "vantelista", "avbokad", "erbjuden"]);

/**
 * A kunskapsdag (knowledge day): a training day open to staff of the actors, with public
 * registration. Owner and sharing like every shared record; times stored in UTC.
 */
export const kunskapsdagar = pgTable(
  "kunskapsdagar",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    title: text("title").notNull(),
    /** The description as plain text (mails, .ics); blank lines separate paragraphs. */
    description: text("description").notNull().default(""),
    /** The description as ProseMirror JSON (allow-listed, see rich-description.ts); null for days written before rich text. */
    descriptionDoc: jsonb("description_doc"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    place: text("place").notNull().default(""),
    videoUrl: text("video_url").notNull().default(""),
    capacity: integer("capacity").notNull(),
    audience: kunskapsdagAudience("audience").notNull().default("alla"),
    audienceOrganisationIds: uuid("audience_organisation_ids").array().notNull().default([]),
    registrationOpensAt: timestamp("registration_opens_at", { withTimezone: true }).notNull(),
    registrationClosesAt: timestamp("registration_closes_at", { withTimezone: true }).notNull(),
    /** Which optional questions the registration form asks: titel, kost, tillganglighet, fritext. */
    questions: text("questions").array().notNull().default([]),
    freeTextQuestion: text("free_text_question").notNull().default(""),
    status: kunskapsdagStatus("status").notNull().default("utkast"),
    /** The iCalendar SEQUENCE of the participants' calendar files. */
    sequence: integer("sequence").notNull().default(0),
    /** Arrival numbers handed out to registrations, under the row lock: the waitlist's order. */
    registrationCounter: integer("registration_counter").notNull().default(0),
    /** Days before the day that confirmed participants get a reminder. */
    reminderDaysBefore: integer("reminder_days_before").notNull().default(2),
    /** The series the day belongs to (e.g. "Kunskapsdag om brottsförebyggande arbete – varje termin"), or empty. */
    series: text("series").notNull().default(""),
    /** Hours a person moved up from the waitlist has to confirm the offered seat; null: the seat is theirs at once. */
    offerHoldHours: integer("offer_hold_hours"),
    /** When the reminder scan next has work for this day; null when there is none. */
    nextReminderAt: timestamp("next_reminder_at", { withTimezone: true }),
    /** When the evaluation mails were queued (once, after the day). */
    evaluationQueuedAt: timestamp("evaluation_queued_at", { withTimezone: true }),
    /** When the participants' personal data was anonymised (after the retention time). */
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("kunskapsdagar_status_starts").on(table.status, table.startsAt),
    index("kunskapsdagar_owner").on(table.ownerOrganisationId),
    index("kunskapsdagar_series").on(table.ownerOrganisationId, sql`lower(${table.series})`).where(sql`${table.series} <> ''`),
    index("kunskapsdagar_shared_with").using("gin", table.sharedWithOrganisationIds),
    index("kunskapsdagar_next_reminder").on(table.nextReminderAt).where(sql`${table.nextReminderAt} is not null`),
    index("kunskapsdagar_evaluation_due").on(table.endsAt).where(sql`${table.evaluationQueuedAt} is null`),
    index("kunskapsdagar_anonymisation_due").on(table.endsAt).where(sql`${table.anonymisedAt} is null`),
  ],
);

/** The programme: one row per time slot, in `position` order. */
export const kunskapsdagProgrammeItems = pgTable(
  "kunskapsdag_programme_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Stockholm wall-clock time "09:30". */
    time: text("time").notNull(),
    title: text("title").notNull(),
    speaker: text("speaker").notNull().default(""),
  },
  (table) => [uniqueIndex("kunskapsdag_programme_position").on(table.kunskapsdagId, table.position)],
);

/** The people who run a kunskapsdag (arrangörer). */
export const kunskapsdagOrganisers = pgTable(
  "kunskapsdag_organisers",
  {
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (table) => [primaryKey({ columns: [table.kunskapsdagId, table.userId] }), index("kunskapsdag_organisers_user").on(table.userId)],
);

/**
 * A registration (anmälan), made without an account. One active registration per e-mail address
 * and day; `arrival` is the order in which registrations were taken, which orders the waitlist.
 */
export const kunskapsdagRegistrations = pgTable(
  "kunskapsdag_registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kunskapsdagId: uuid("kunskapsdag_id")
      .notNull()
      .references(() => kunskapsdagar.id, { onDelete: "cascade" }),
    arrival: integer("arrival").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    /** The organisation chosen from the list, or empty when typed as free text. */
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    organisationName: text("organisation_name").notNull(),
    jobTitle: text("job_title").notNull().default(""),
    dietaryNeeds: text("dietary_needs").notNull().default(""),
    accessibilityNeeds: text("accessibility_needs").notNull().default(""),
    freeText: text("free_text").notNull().default(""),
    status: registrationStatus("status").notNull(),
    /** When the person got a seat (at registration or when moved up from the waitlist). */
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    /** Until when an offered seat (status erbjuden) is held; the offer lapses after it. */
    offeredUntil: timestamp("offered_until", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("kunskapsdag_registrations_active_email")
      .on(table.kunskapsdagId, sql`lower(${table.email})`)
      .where(sql`${table.status} <> 'avbokad'`),
    uniqueIndex("kunskapsdag_registrations_arrival").on(table.kunskapsdagId, table.arrival),
    index("kunskapsdag_registrations_status").on(table.kunskapsdagId, table.status, table.arrival),
    // A person's own registrations (start page, calendar feed), found by their account's address.
    index("kunskapsdag_registrations_email").on(sql`lower(${table.email})`),
    // Set only while an offer is open (status erbjuden), so the lapse scan reads only open offers.
    index("kunskapsdag_registrations_offers_due").on(table.offeredUntil).where(sql`${table.offeredUntil} is not null`),
  ],
);
