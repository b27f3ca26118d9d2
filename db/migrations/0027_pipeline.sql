CREATE TYPE "public"."pipeline_stage" AS ENUM('watching', 'bidding', 'submitted', 'won', 'lost', 'no_bid');--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pipeline_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"tracked_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pipeline_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "pipeline_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"reminder_days" integer DEFAULT 3 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pipeline_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tracked_opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"notice_id" text NOT NULL,
	"stage" "pipeline_stage" DEFAULT 'watching' NOT NULL,
	"assignee_id" uuid,
	"created_by" uuid,
	"reminded_deadline" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tracked_opportunities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_notes" ADD CONSTRAINT "pipeline_notes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_notes" ADD CONSTRAINT "pipeline_notes_tracked_id_tracked_opportunities_id_fk" FOREIGN KEY ("tracked_id") REFERENCES "public"."tracked_opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_notes" ADD CONSTRAINT "pipeline_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_settings" ADD CONSTRAINT "pipeline_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_opportunities" ADD CONSTRAINT "tracked_opportunities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_opportunities" ADD CONSTRAINT "tracked_opportunities_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracked_opportunities" ADD CONSTRAINT "tracked_opportunities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feeds_token_hash_idx" ON "calendar_feeds" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "pipeline_notes_tracked_idx" ON "pipeline_notes" USING btree ("tracked_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracked_opportunities_org_notice_idx" ON "tracked_opportunities" USING btree ("org_id","notice_id");--> statement-breakpoint
CREATE INDEX "tracked_opportunities_org_created_idx" ON "tracked_opportunities" USING btree ("org_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tracked_opportunities_notice_idx" ON "tracked_opportunities" USING btree ("notice_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_notes" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("pipeline_notes"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("pipeline_notes"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "pipeline_notes" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_settings" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("pipeline_settings"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("pipeline_settings"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "pipeline_settings" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tracked_opportunities" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("tracked_opportunities"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("tracked_opportunities"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "tracked_opportunities" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');