CREATE TABLE "kunskapsdag_checkins" (
	"registration_id" uuid PRIMARY KEY NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_by" uuid
);
--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_registration_id_kunskapsdag_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."kunskapsdag_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_checkins" ADD CONSTRAINT "kunskapsdag_checkins_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kunskapsdag_checkins_day" ON "kunskapsdag_checkins" USING btree ("kunskapsdag_id");