ALTER TYPE "public"."kunskapsdag_registration_status" ADD VALUE 'erbjuden';--> statement-breakpoint
CREATE TABLE "kunskapsdag_registration_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kunskapsdag_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"moved_by" uuid,
	"moved_by_name" text NOT NULL,
	"from_status" "kunskapsdag_registration_status" NOT NULL,
	"from_position" integer,
	"to_status" "kunskapsdag_registration_status" NOT NULL,
	"to_position" integer,
	"reason" text NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD COLUMN "offered_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "series" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "offer_hold_hours" integer;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registration_moves" ADD CONSTRAINT "kunskapsdag_registration_moves_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registration_moves" ADD CONSTRAINT "kunskapsdag_registration_moves_registration_id_kunskapsdag_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."kunskapsdag_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registration_moves" ADD CONSTRAINT "kunskapsdag_registration_moves_moved_by_users_id_fk" FOREIGN KEY ("moved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kunskapsdag_registration_moves_registration" ON "kunskapsdag_registration_moves" USING btree ("registration_id","moved_at");--> statement-breakpoint
CREATE INDEX "kunskapsdag_registration_moves_day" ON "kunskapsdag_registration_moves" USING btree ("kunskapsdag_id");--> statement-breakpoint
CREATE INDEX "kunskapsdag_registrations_offers_due" ON "kunskapsdag_registrations" USING btree ("offered_until") WHERE "kunskapsdag_registrations"."offered_until" is not null;--> statement-breakpoint
CREATE INDEX "kunskapsdagar_series" ON "kunskapsdagar" USING btree ("owner_organisation_id",lower("series")) WHERE "kunskapsdagar"."series" <> '';