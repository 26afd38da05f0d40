CREATE TYPE "public"."agreement_level" AS ENUM('stadsovergripande', 'lokal');--> statement-breakpoint
CREATE TYPE "public"."agreement_status" AS ENUM('utkast', 'for_beslut', 'gallande', 'upphord');--> statement-breakpoint
CREATE TYPE "public"."action_judgement" AS ENUM('gron', 'gul', 'rod');--> statement-breakpoint
CREATE TYPE "public"."action_status" AS ENUM('ej_paborjad', 'pagar', 'klar', 'stoppad');--> statement-breakpoint
CREATE TYPE "public"."focus_area" AS ENUM('forebyggande_arbete', 'riktade_sociala_insatser', 'stadens_offentliga_miljo', 'stadsutveckling');--> statement-breakpoint
CREATE TYPE "public"."perspective" AS ENUM('jamstalldhet', 'barn', 'funktionshinder', 'hbtqi', 'aldre');--> statement-breakpoint
CREATE TYPE "public"."prevention_type" AS ENUM('social', 'situationell');--> statement-breakpoint
CREATE TYPE "public"."notes_status" AS ENUM('open', 'for_approval', 'approved');--> statement-breakpoint
CREATE TYPE "public"."notes_version_kind" AS ENUM('approval', 'meeting_end', 'manual', 'restore');--> statement-breakpoint
CREATE TABLE "agreement_goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"problem_id" uuid,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agreement_problems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"probable_causes" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"level" "agreement_level" NOT NULL,
	"status" "agreement_status" DEFAULT 'utkast' NOT NULL,
	"period_start_year" integer NOT NULL,
	"period_end_year" integer NOT NULL,
	"parent_agreement_id" uuid,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"cause" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"operational_goal" text DEFAULT '' NOT NULL,
	"start_date" date,
	"deadline" date,
	"responsible_organisation_id" uuid,
	"contact_user_id" uuid,
	"contributing_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"follow_up_method" text DEFAULT '' NOT NULL,
	"follow_up_comment" text DEFAULT '' NOT NULL,
	"status" "action_status" DEFAULT 'ej_paborjad' NOT NULL,
	"judgement" "action_judgement",
	"judgement_reason" text DEFAULT '' NOT NULL,
	"focus_area" "focus_area",
	"perspectives" "perspective"[] DEFAULT '{}' NOT NULL,
	"prevention_type" "prevention_type",
	"agreement_id" uuid,
	"agreement_problem_id" uuid,
	"agreement_goal_id" uuid,
	"field_versions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "action_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"network_id" uuid,
	"agreement_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notes_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"status" "notes_status" DEFAULT 'open' NOT NULL,
	"snapshot" "bytea",
	"snapshot_through_update_id" bigint DEFAULT 0 NOT NULL,
	"plain_text" text DEFAULT '' NOT NULL,
	"content_json" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_documents_meeting_id_unique" UNIQUE("meeting_id")
);
--> statement-breakpoint
CREATE TABLE "notes_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"data" "bytea" NOT NULL,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notes_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "notes_version_kind" NOT NULL,
	"state" "bytea" NOT NULL,
	"content_json" jsonb,
	"plain_text" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agreement_goals" ADD CONSTRAINT "agreement_goals_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_goals" ADD CONSTRAINT "agreement_goals_problem_id_agreement_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."agreement_problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_problems" ADD CONSTRAINT "agreement_problems_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_list_id_action_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."action_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_responsible_organisation_id_organisations_id_fk" FOREIGN KEY ("responsible_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_contact_user_id_users_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_agreement_problem_id_agreement_problems_id_fk" FOREIGN KEY ("agreement_problem_id") REFERENCES "public"."agreement_problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_agreement_goal_id_agreement_goals_id_fk" FOREIGN KEY ("agreement_goal_id") REFERENCES "public"."agreement_goals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_lists" ADD CONSTRAINT "action_lists_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_lists" ADD CONSTRAINT "action_lists_network_id_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."networks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_lists" ADD CONSTRAINT "action_lists_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_lists" ADD CONSTRAINT "action_lists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_documents" ADD CONSTRAINT "notes_documents_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_updates" ADD CONSTRAINT "notes_updates_document_id_notes_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."notes_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_updates" ADD CONSTRAINT "notes_updates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_versions" ADD CONSTRAINT "notes_versions_document_id_notes_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."notes_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_versions" ADD CONSTRAINT "notes_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_goals_agreement" ON "agreement_goals" USING btree ("agreement_id","position");--> statement-breakpoint
CREATE INDEX "agreement_problems_agreement" ON "agreement_problems" USING btree ("agreement_id","position");--> statement-breakpoint
CREATE INDEX "agreements_owner" ON "agreements" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "agreements_shared_with" ON "agreements" USING gin ("shared_with_organisation_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "action_items_list_number" ON "action_items" USING btree ("list_id","number");--> statement-breakpoint
CREATE INDEX "action_items_responsible" ON "action_items" USING btree ("responsible_organisation_id");--> statement-breakpoint
CREATE INDEX "action_items_contact" ON "action_items" USING btree ("contact_user_id");--> statement-breakpoint
CREATE INDEX "action_items_deadline" ON "action_items" USING btree ("deadline");--> statement-breakpoint
CREATE INDEX "action_items_agreement" ON "action_items" USING btree ("agreement_id");--> statement-breakpoint
CREATE INDEX "action_lists_owner" ON "action_lists" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "action_lists_shared_with" ON "action_lists" USING gin ("shared_with_organisation_ids");--> statement-breakpoint
CREATE INDEX "action_lists_network" ON "action_lists" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "action_lists_agreement" ON "action_lists" USING btree ("agreement_id");--> statement-breakpoint
CREATE INDEX "notes_updates_document" ON "notes_updates" USING btree ("document_id","id");--> statement-breakpoint
CREATE INDEX "notes_versions_document" ON "notes_versions" USING btree ("document_id","created_at");