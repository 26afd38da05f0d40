import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { meetings } from "./meetings";
import { networks } from "./networks";
import { organisations, users } from "./organisations";

/** oppen (taking answers until `closes_at`), vald (a time was picked and the meeting made), stangd (closed without a meeting). */
export const pollStatus = pgEnum("poll_status", ["oppen", "vald", "stangd"]);
/** ja, om_nodvandigt (if need be), nej. */
export const pollAnswer = pgEnum("poll_answer", ["ja", "om_nodvandigt", "nej"]);

/**
 * A time poll (tidsförslag): a coordinator proposes times for a network's next meeting. Owner and
 * sharing are copied from the network like every shared record; the meeting it became is linked.
 */
export const polls = pgTable(
  "polls",
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
    /** No answers from this instant on (midnight after the last answer day, Stockholm time). */
    closesAt: timestamp("closes_at", { withTimezone: true }).notNull(),
    status: pollStatus("status").notNull().default("oppen"),
    meetingId: uuid("meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    chosenSlotId: uuid("chosen_slot_id"),
    /** When the reminder scan queued the reminders to those who had not answered. */
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("polls_network").on(table.networkId, table.status),
    // The reminder scan reads only open polls not yet reminded, by closing time.
    index("polls_reminder_due").on(table.closesAt).where(sql`${table.status} = 'oppen' and ${table.remindedAt} is null`),
  ],
);

/** A proposed time, stored in UTC. */
export const pollSlots = pgTable(
  "poll_slots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pollId: uuid("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex("poll_slots_position").on(table.pollId, table.position)],
);

/** Everyone asked; `user_id` is empty for people without an account, who answer by link. */
export const pollParticipants = pgTable(
  "poll_participants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pollId: uuid("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("poll_participants_email").on(table.pollId, sql`lower(${table.email})`),
    index("poll_participants_user").on(table.userId),
  ],
);

/** One answer per participant and proposed time. */
export const pollAnswers = pgTable(
  "poll_answers",
  {
    participantId: uuid("participant_id")
      .notNull()
      .references(() => pollParticipants.id, { onDelete: "cascade" }),
    slotId: uuid("slot_id")
      .notNull()
      .references(() => pollSlots.id, { onDelete: "cascade" }),
    answer: pollAnswer("answer").notNull(),
  },
  (table) => [primaryKey({ columns: [table.participantId, table.slotId] }), index("poll_answers_slot").on(table.slotId)],
);
