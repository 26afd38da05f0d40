CREATE TYPE "public"."notes_approver_status" AS ENUM('pending', 'approved', 'commented');--> statement-breakpoint
CREATE TABLE "notes_approval_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at" timestamp with time zone,
	"approval_version_id" uuid,
	"reopened_by" uuid,
	"reopened_at" timestamp with time zone,
	"reopen_reason" text
);
--> statement-breakpoint
CREATE TABLE "notes_approvers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "notes_approver_status" DEFAULT 'pending' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"responded_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notes_approval_rounds" ADD CONSTRAINT "notes_approval_rounds_document_id_notes_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."notes_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_approval_rounds" ADD CONSTRAINT "notes_approval_rounds_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_approval_rounds" ADD CONSTRAINT "notes_approval_rounds_approval_version_id_notes_versions_id_fk" FOREIGN KEY ("approval_version_id") REFERENCES "public"."notes_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_approval_rounds" ADD CONSTRAINT "notes_approval_rounds_reopened_by_users_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_approvers" ADD CONSTRAINT "notes_approvers_round_id_notes_approval_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."notes_approval_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes_approvers" ADD CONSTRAINT "notes_approvers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notes_approval_rounds_round" ON "notes_approval_rounds" USING btree ("document_id","round");--> statement-breakpoint
CREATE UNIQUE INDEX "notes_approvers_round_user" ON "notes_approvers" USING btree ("round_id","user_id");