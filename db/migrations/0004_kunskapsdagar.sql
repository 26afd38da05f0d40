CREATE TYPE "public"."kunskapsdag_audience" AS ENUM('alla', 'valda');--> statement-breakpoint
CREATE TYPE "public"."kunskapsdag_status" AS ENUM('utkast', 'publicerad', 'stangd', 'genomford');--> statement-breakpoint
CREATE TYPE "public"."kunskapsdag_registration_status" AS ENUM('bekraftad', 'vantelista', 'avbokad');--> statement-breakpoint
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
ALTER TABLE "kunskapsdag_organisers" ADD CONSTRAINT "kunskapsdag_organisers_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_organisers" ADD CONSTRAINT "kunskapsdag_organisers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_programme_items" ADD CONSTRAINT "kunskapsdag_programme_items_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD CONSTRAINT "kunskapsdag_registrations_kunskapsdag_id_kunskapsdagar_id_fk" FOREIGN KEY ("kunskapsdag_id") REFERENCES "public"."kunskapsdagar"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdag_registrations" ADD CONSTRAINT "kunskapsdag_registrations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD CONSTRAINT "kunskapsdagar_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kunskapsdagar" ADD CONSTRAINT "kunskapsdagar_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kunskapsdag_organisers_user" ON "kunskapsdag_organisers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_programme_position" ON "kunskapsdag_programme_items" USING btree ("kunskapsdag_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_registrations_active_email" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id",lower("email")) WHERE "kunskapsdag_registrations"."status" <> 'avbokad';--> statement-breakpoint
CREATE UNIQUE INDEX "kunskapsdag_registrations_arrival" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id","arrival");--> statement-breakpoint
CREATE INDEX "kunskapsdag_registrations_status" ON "kunskapsdag_registrations" USING btree ("kunskapsdag_id","status","arrival");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_status_starts" ON "kunskapsdagar" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_owner" ON "kunskapsdagar" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE INDEX "kunskapsdagar_shared_with" ON "kunskapsdagar" USING gin ("shared_with_organisation_ids");