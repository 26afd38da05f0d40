import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { networks } from "./networks";
import { organisations, users } from "./organisations";

/**
 * A recurring series of meetings (mötesserie). The occurrences are ordinary `meetings` rows with
 * `series_id` and `recurrence_id`; the series holds what a calendar needs to show them as one
 * recurring event: the rule, its time zone, the values of the first occurrence and one SEQUENCE.
 */
export const meetingSeries = pgTable(
  "meeting_series",
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
    place: text("place").notNull().default(""),
    videoUrl: text("video_url").notNull().default(""),
    /** weekly, biweekly, monthly-weekday or monthly-date: how the form describes the rule. */
    frequency: text("frequency").notNull(),
    /** The iCalendar RRULE value (without "RRULE:"); UNTIL, when present, is in UTC. */
    rule: text("rule").notNull(),
    timeZone: text("time_zone").notNull().default("Europe/Stockholm"),
    /** DTSTART and DTEND of the first occurrence, in UTC. */
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** The iCalendar SEQUENCE of the series' UID: raised by every change to the series or one of its occurrences. */
    sequence: integer("sequence").notNull().default(0),
    /** Set when the whole series is cancelled. */
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** The series this one continues after a change to "this and following" occurrences. */
    previousSeriesId: uuid("previous_series_id").references((): AnyPgColumn => meetingSeries.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("meeting_series_network").on(table.networkId),
    index("meeting_series_owner").on(table.ownerOrganisationId),
    index("meeting_series_shared_with").using("gin", table.sharedWithOrganisationIds),
  ],
);

/** Everyone invited to a series: one invitation mail each, with one calendar file for the whole series. */
export const meetingSeriesInvitees = pgTable(
  "meeting_series_invitees",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => meetingSeries.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("meeting_series_invitees_email").on(table.seriesId, sql`lower(${table.email})`),
    index("meeting_series_invitees_user").on(table.userId),
  ],
);
