ALTER TABLE "meetings" ADD COLUMN "reminder_offsets_minutes" integer[] DEFAULT '{10080,1440}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "next_reminder_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
CREATE INDEX "meetings_next_reminder" ON "meetings" USING btree ("next_reminder_at") WHERE "meetings"."status" = 'planerat';