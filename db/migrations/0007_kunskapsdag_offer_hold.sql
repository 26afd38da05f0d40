ALTER TYPE "public"."kunskapsdag_registration_status" ADD VALUE 'erbjuden';--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD COLUMN "offered_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD COLUMN "offer_hold_hours" integer;--> statement-breakpoint
CREATE INDEX "kunskapsdag_registrations_offers_due" ON "kunskapsdag_registrations" USING btree ("offered_until") WHERE "kunskapsdag_registrations"."offered_until" is not null;