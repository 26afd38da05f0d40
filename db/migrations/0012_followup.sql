CREATE TYPE "public"."followup_period_kind" AS ENUM('t1', 't2', 'verksamhetsberattelse');--> statement-breakpoint
CREATE TYPE "public"."goal_judgement" AS ENUM('uppnas_helt', 'uppnas_delvis', 'uppnas_inte');--> statement-breakpoint
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
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_period_id_followup_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."followup_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_goal_id_agreement_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."agreement_goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_goal_judgements" ADD CONSTRAINT "followup_goal_judgements_judged_by_users_id_fk" FOREIGN KEY ("judged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_period_id_followup_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."followup_periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_action_item_id_action_items_id_fk" FOREIGN KEY ("action_item_id") REFERENCES "public"."action_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_item_updates" ADD CONSTRAINT "followup_item_updates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_periods" ADD CONSTRAINT "followup_periods_agreement_id_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followup_periods" ADD CONSTRAINT "followup_periods_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "followup_goal_judgements_period_goal" ON "followup_goal_judgements" USING btree ("period_id","goal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_item_updates_period_item" ON "followup_item_updates" USING btree ("period_id","action_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followup_periods_agreement_kind_year" ON "followup_periods" USING btree ("agreement_id","kind","year");--> statement-breakpoint
CREATE INDEX "followup_periods_next_scan" ON "followup_periods" USING btree ("next_scan_at");