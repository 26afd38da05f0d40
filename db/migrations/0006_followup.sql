CREATE TYPE "public"."followup_period_kind" AS ENUM('t1', 't2', 'verksamhetsberattelse');--> statement-breakpoint
CREATE TYPE "public"."goal_judgement" AS ENUM('uppnas_helt', 'uppnas_delvis', 'uppnas_inte');--> statement-breakpoint
CREATE TYPE "public"."indicator_direction" AS ENUM('hogre_ar_battre', 'lagre_ar_battre');--> statement-breakpoint
CREATE TABLE "agreement_indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"baseline" double precision,
	"target" double precision,
	"direction" "indicator_direction" DEFAULT 'hogre_ar_battre' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "citizen_promise_occurrences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"promise_id" uuid NOT NULL,
	"occurred_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "citizen_promises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid,
	"owner_organisation_id" uuid NOT NULL,
	"shared_with_organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"year" integer NOT NULL,
	"area" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"target_count" integer NOT NULL,
	"target_description" text DEFAULT '' NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followup_goal_judgements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"judgement" "goal_judgement" NOT NULL,
	"reasoning" text NOT NULL,
	"judged_by" uuid,
	"judged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followup_item_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"action_item_id" uuid NOT NULL,
	"status" "action_status" NOT NULL,
	"judgement" "action_judgement" NOT NULL,
	"judgement_reason" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followup_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"kind" "followup_period_kind" NOT NULL,
	"year" integer NOT NULL,
	"deadline" date NOT NULL,
	"request_at" timestamp with time zone NOT NULL,
	"reminder_at" timestamp with time zone NOT NULL,
	"requests_queued_at" timestamp with time zone,
	"reminders_queued_at" timestamp with time zone,
	"next_scan_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_measurements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"indicator_id" uuid NOT NULL,
	"period" text NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agreement_indicators" ADD CONSTRAINT "agreement_indicators_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreement_indicators" ADD CONSTRAINT "agreement_indicators_goal_id_agreement_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."agreement_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citizen_promise_occurrences" ADD CONSTRAINT "citizen_promise_occurrences_promise_id_citizen_promises_id_fk" FOREIGN KEY ("promise_id") REFERENCES "public"."citizen_promises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citizen_promises" ADD CONSTRAINT "citizen_promises_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citizen_promises" ADD CONSTRAINT "citizen_promises_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_period_id_followup_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."followup_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_goal_id_agreement_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."agreement_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_judged_by_users_id_fk" FOREIGN KEY ("judged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_period_id_followup_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."followup_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_action_item_id_action_items_id_fk" FOREIGN KEY ("action_item_id") REFERENCES "public"."action_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_periods" ADD CONSTRAINT "followup_periods_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_periods" ADD CONSTRAINT "followup_periods_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_measurements" ADD CONSTRAINT "indicator_measurements_indicator_id_agreement_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."agreement_indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreement_indicators_goal" ON "agreement_indicators" USING btree ("goal_id","position");--> statement-breakpoint
CREATE INDEX "agreement_indicators_agreement" ON "agreement_indicators" USING btree ("agreement_id");--> statement-breakpoint
CREATE INDEX "citizen_promise_occurrences_promise" ON "citizen_promise_occurrences" USING btree ("promise_id","occurred_on");--> statement-breakpoint
CREATE INDEX "citizen_promises_agreement" ON "citizen_promises" USING btree ("agreement_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_goal_judgements_period_goal" ON "followup_goal_judgements" USING btree ("period_id","goal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_item_updates_period_item" ON "followup_item_updates" USING btree ("period_id","action_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_periods_agreement_kind_year" ON "followup_periods" USING btree ("agreement_id","kind","year");--> statement-breakpoint
CREATE INDEX "followup_periods_next_scan" ON "followup_periods" USING btree ("next_scan_at");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_measurements_period" ON "indicator_measurements" USING btree ("indicator_id","period");