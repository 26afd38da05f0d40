CREATE TABLE "action_item_meetings" (
	"action_item_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "action_item_meetings_action_item_id_meeting_id_pk" PRIMARY KEY("action_item_id","meeting_id")
);
--> statement-breakpoint
ALTER TABLE "action_item_meetings" ADD CONSTRAINT "action_item_meetings_action_item_id_action_items_id_fk" FOREIGN KEY ("action_item_id") REFERENCES "public"."action_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_item_meetings" ADD CONSTRAINT "action_item_meetings_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_item_meetings" ADD CONSTRAINT "action_item_meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_item_meetings_meeting" ON "action_item_meetings" USING btree ("meeting_id");