import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { meetingSeries } from "./meeting-series";
import { networks } from "./networks";
import { organisations, users } from "./organisations";

/** planerat (scheduled), installt (cancelled), genomfort (held). */
export const meetingStatus = pgEnum("meeting_status", ["planerat", "installt", "genomfort"]);
export const meetingResponse = pgEnum("meeting_response", ["ja", "nej", "kanske"]);

/**
 * A network's meeting (möte). Owner and sharing are copied from the network when the meeting is
 * created, like every shared record, so that the record carries its own visibility.
 */
export const meetings = pgTable(
  "meetings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    networkId: uuid("network_id")
      .notNull()
      .references(() => networks.id, { onDelete: "cascade" }),
    ownerOrganisationId: uuid("owner_organisation_id")
      .notNull()
      .references(() => organisations.id),
    sharedWithOrganisationIds: uuid("shared_with_organisation_ids").array().notNull().default([]),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** Stored in UTC; entered and shown in Europe/Stockholm. */
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    place: text("place").notNull().default(""),
    videoUrl: text("video_url").notNull().default(""),
    status: meetingStatus("status").notNull().default("planerat"),
    /** The iCalendar SEQUENCE: raised on every change that is mailed to the invitees. */
    sequence: integer("sequence").notNull().default(0),
    /** Set for an occurrence of a recurring series (see meeting-series.ts). */
    seriesId: uuid("series_id").references(() => meetingSeries.id, { onDelete: "cascade" }),
    /** The occurrence's original start in its series (iCalendar RECURRENCE-ID), in UTC. */
    recurrenceId: timestamp("recurrence_id", { withTimezone: true }),
    /** Reminders to the invitees, in minutes before the start (see app/domain/meetings/reminders.ts). */
    reminderOffsetsMinutes: integer("reminder_offsets_minutes").array().notNull().default(sql`'{10080,1440}'::integer[]`),
    /** When the reminder scan next has work for this meeting; null when none is left. A new row is looked at by the next scan. */
    nextReminderAt: timestamp("next_reminder_at", { withTimezone: true }).defaultNow(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("meetings_network_starts").on(table.networkId, table.startsAt),
    index("meetings_owner").on(table.ownerOrganisationId),
    index("meetings_shared_with").using("gin", table.sharedWithOrganisationIds),
    uniqueIndex("meetings_series_occurrence").on(table.seriesId, table.recurrenceId),
    index("meetings_next_reminder").on(table.nextReminderAt).where(sql`${table.status} = 'planerat'`),
  ],
);

/** The agenda (dagordning): one row per point, in `position` order. */
export const agendaItems = pgTable(
  "agenda_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    presenter: text("presenter").notNull().default(""),
    minutes: integer("minutes"),
  },
  (table) => [uniqueIndex("agenda_items_position").on(table.meetingId, table.position)],
);

/** Everyone invited to a meeting; `user_id` is empty for external contacts without an account. */
export const meetingInvitees = pgTable(
  "meeting_invitees",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    response: meetingResponse("response"),
    comment: text("comment").notNull().default(""),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("meeting_invitees_email").on(table.meetingId, sql`lower(${table.email})`),
    index("meeting_invitees_user").on(table.userId),
  ],
);
