CREATE TYPE "public"."poll_answer" AS ENUM('ja', 'om_nodvandigt', 'nej');--> statement-breakpoint
CREATE TYPE "public"."poll_status" AS ENUM('oppen', 'vald', 'stangd');--> statement-breakpoint
CREATE TYPE "public"."kunskapsdag_audience" AS ENUM('alla', 'valda');--> statement-breakpoint
CREATE TYPE "public"."kunskapsdag_status" AS ENUM('utkast', 'publicerad', 'stangd', 'genomford');--> statement-breakpoint
CREATE TYPE "public"."kunskapsdag_registration_status" AS ENUM('bekraftad', 'vantelista', 'avbokad');--> statement-breakpoint
CREATE TABLE "network_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "network_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "removed_meeting_invitees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "poll_answers" (
	"participant_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"answer" "poll_answer" NOT NULL,
	CONSTRAINT "poll_answers_participant_id_slot_id_pk" PRIMARY KEY("participant_id","slot_id")
);
--> statement-breakpoint
CREATE TABLE "poll_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"poll_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "poll_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"poll_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "polls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"video_url" text DEFAULT '' NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" "poll_status" DEFAULT 'oppen' NOT NULL,
	"meeting_id" uuid,
	"chosen_slot_id" uuid,
	"reminded_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network_id" uuid NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"video_url" text DEFAULT '' NOT NULL,
	"frequency" text NOT NULL,
	"rule" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Stockholm' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"cancelled_at" timestamp with time zone,
	"previous_series_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_series_invitees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"series_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kunskapsdag_organisers" (
	"kunskapsdag_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "kunskapsdag_organisers_kunskapsdag_id_user_id_pk" PRIMARY KEY("kunskapsdag_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "kunskapsdag_programme_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"time" text NOT NULL,
	"title" text NOT NULL,
	"speaker" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kunskapsdag_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"arrival" integer NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"organisation_id" uuid,
	"organisation_name" text NOT NULL,
	"job_title" text DEFAULT '' NOT NULL,
	"dietary_needs" text DEFAULT '' NOT NULL,
	"accessibility_needs" text DEFAULT '' NOT NULL,
	"free_text" text DEFAULT '' NOT NULL,
	"status" "kunskapsdag_registration_status" NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kunskapsdagar" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"video_url" text DEFAULT '' NOT NULL,
	"capacity" integer NOT NULL,
	"audience" "kunskapsdag_audience" DEFAULT 'alla' NOT NULL,
	"audience_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"registration_opens_at" timestamp with time zone NOT NULL,
	"registration_closes_at" timestamp with time zone NOT NULL,
	"questions" text[] DEFAULT '{}' NOT NULL,
	"free_text_question" text DEFAULT '' NOT NULL,
	"status" "kunskapsdag_status" DEFAULT 'utkast' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"registration_counter" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "recurrence_id" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "reminder_offsets_minutes" integer[] DEFAULT '{10080,1440}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "next_reminder_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "network_contacts" ADD CONSTRAINT "network_contacts_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_contacts" ADD CONSTRAINT "network_contacts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_links" ADD CONSTRAINT "network_links_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_links" ADD CONSTRAINT "network_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removed_meeting_invitees" ADD CONSTRAINT "removed_meeting_invitees_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removed_meeting_invitees" ADD CONSTRAINT "removed_meeting_invitees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removed_meeting_invitees" ADD CONSTRAINT "removed_meeting_invitees_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_answers" ADD CONSTRAINT "poll_answers_participant_id_poll_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."poll_participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_answers" ADD CONSTRAINT "poll_answers_slot_id_poll_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."poll_slots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_participants" ADD CONSTRAINT "poll_participants_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_participants" ADD CONSTRAINT "poll_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_slots" ADD CONSTRAINT "poll_slots_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_previous_series_id_meeting_series_id_fk" FOREIGN KEY ("previous_series_id") REFERENCES "public"."meeting_series"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series_invitees" ADD CONSTRAINT "meeting_series_invitees_series_id_meeting_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."meeting_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series_invitees" ADD CONSTRAINT "meeting_series_invitees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_organisers" ADD CONSTRAINT "kunskapsdag_organisers_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_organisers" ADD CONSTRAINT "kunskapsdag_organisers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_programme_items" ADD CONSTRAINT "kunskapsdag_programme_items_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD CONSTRAINT "kunskapsdag_registrations_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD CONSTRAINT "kunskapsdag_registrations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD CONSTRAINT "kunskapsdagar_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD CONSTRAINT "kunskapsdagar_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "network_contacts_email" ON "network_contacts" USING btree ("network_id",lower("email"));--> statement-breakpoint
CREATE INDEX "network_links_network" ON "network_links" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "removed_meeting_invitees_meeting" ON "removed_meeting_invitees" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "poll_answers_slot" ON "poll_answers" USING btree ("slot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "poll_participants_email" ON "poll_participants" USING btree ("poll_id",lower("email"));--> statement-breakpoint
CREATE INDEX "poll_participants_user" ON "poll_participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "poll_slots_position" ON "poll_slots" USING btree ("poll_id","position");--> statement-breakpoint
CREATE INDEX "polls_network" ON "polls" USING btree ("network_id","status");--> statement-breakpoint
CREATE INDEX "polls_reminder_due" ON "polls" USING btree ("closes_at") WHERE "polls"."status" = 'oppen' and "polls"."reminded_at" is null;--> statement-breakpoint
CREATE INDEX "meeting_series_network" ON "meeting_series" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "meeting_series_owner" ON "meeting_series" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "meeting_series_shared_with" ON "meeting_series" USING gin ("shared_with_organisation_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_series_invitees_email" ON "meeting_series_invitees" USING btree ("series_id",lower("email"));--> statement-breakpoint
CREATE INDEX "meeting_series_invitees_user" ON "meeting_series_invitees" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "kunskapsdag_organisers_user" ON "kunskapsdag_organisers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_programme_position" ON "kunskapsdag_programme_items" USING btree ("kunskapsdag_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_registrations_active_email" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id",lower("email")) WHERE "kunskapsdag_registrations"."status" <> 'avbokad';--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_registrations_arrival" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id","arrival");--> statement-breakpoint
CREATE INDEX "kunskapsdag_registrations_status" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id","status","arrival");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_status_starts" ON "kunskapsdagar" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_owner" ON "kunskapsdagar" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_shared_with" ON "kunskapsdagar" USING gin ("shared_with_organisation_ids");--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_series_id_meeting_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."meeting_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_series_occurrence" ON "meetings" USING btree ("series_id","recurrence_id");--> statement-breakpoint
CREATE INDEX "meetings_next_reminder" ON "meetings" USING btree ("next_reminder_at") WHERE "meetings"."status" = 'planerat';