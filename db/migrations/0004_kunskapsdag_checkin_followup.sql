ALTER TYPE "public"."kunskapsdag_status" ADD VALUE 'installd';--> statement-breakpoint
CREATE TABLE "kunskapsdag_checkins" (
	"registration_id" uuid PRIMARY KEY NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_by" uuid
);
--> statement-breakpoint
CREATE TABLE "kunskapsdag_evaluation_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"overall" integer NOT NULL,
	"content" integer NOT NULL,
	"speakers" integer NOT NULL,
	"organisation" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"answered_on" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kunskapsdag_evaluation_markers" (
	"marker" text PRIMARY KEY NOT NULL,
	"kunskapsdag_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "reminder_days_before" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "next_reminder_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "evaluation_queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_registration_id_kunskapsdag_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."kunskapsdag_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_evaluation_answers" ADD CONSTRAINT "kunskapsdag_evaluation_answers_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_evaluation_markers" ADD CONSTRAINT "kunskapsdag_evaluation_markers_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kunskapsdag_checkins_day" ON "kunskapsdag_checkins" USING btree ("kunskapsdag_id");--> statement-breakpoint
CREATE INDEX "kunskapsdag_evaluation_answers_day" ON "kunskapsdag_evaluation_answers" USING btree ("kunskapsdag_id");--> statement-breakpoint
CREATE INDEX "kunskapsdag_registrations_email" ON "kunskapsdag_registrations" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "kunskapsdagar_next_reminder" ON "kunskapsdagar" USING btree ("next_reminder_at") WHERE "kunskapsdagar"."next_reminder_at" is not null;--> statement-breakpoint
CREATE INDEX "kunskapsdagar_evaluation_due" ON "kunskapsdagar" USING btree ("ends_at") WHERE "kunskapsdagar"."evaluation_queued_at" is null;--> statement-breakpoint
CREATE INDEX "kunskapsdagar_anonymisation_due" ON "kunskapsdagar" USING btree ("ends_at") WHERE "kunskapsdagar"."anonymised_at" is null;