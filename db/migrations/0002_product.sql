CREATE TYPE "public"."alert_frequency" AS ENUM('instant', 'daily', 'weekly');--> statement-breakpoint
CREATE TABLE "ingestion_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"posted_from" date,
	"posted_to" date,
	"next_offset" integer DEFAULT 0 NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "naics_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"level" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opportunities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"notice_id" text NOT NULL,
	"title" text NOT NULL,
	"solicitation_number" text,
	"department" text,
	"sub_tier" text,
	"office" text,
	"agency_path" text DEFAULT '' NOT NULL,
	"type" text,
	"base_type" text,
	"naics_code" text,
	"classification_code" text,
	"set_aside_code" text,
	"set_aside_description" text,
	"posted_at" timestamp with time zone NOT NULL,
	"response_deadline" timestamp with time zone,
	"archive_date" date,
	"active" boolean DEFAULT true NOT NULL,
	"pop_state" text,
	"pop_city" text,
	"pop_country" text,
	"ui_link" text,
	"additional_info_link" text,
	"description" text DEFAULT '' NOT NULL,
	"description_excerpt" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"raw" jsonb NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(agency_path, '')), 'B') || setweight(to_tsvector('english', left(coalesce(description, ''), 100000)), 'C')) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_digests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"match_count" integer NOT NULL,
	"notice_ids" text[] NOT NULL,
	"email_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_digests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"created_by" uuid,
	"name" text NOT NULL,
	"frequency" "alert_frequency" NOT NULL,
	"q" text,
	"naics" text[] DEFAULT '{}'::text[] NOT NULL,
	"states" text[] DEFAULT '{}'::text[] NOT NULL,
	"set_asides" text[] DEFAULT '{}'::text[] NOT NULL,
	"delivery_email" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_window_end" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "business_profiles" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"company_name" text NOT NULL,
	"naics_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"set_asides" text[] DEFAULT '{}'::text[] NOT NULL,
	"states" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_profiles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "onboarding_progress" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"profile_completed_at" timestamp with time zone,
	"alert_completed_at" timestamp with time zone,
	"matches_viewed_at" timestamp with time zone,
	"plan_chosen_at" timestamp with time zone,
	"onboarding_completed_at" timestamp with time zone,
	"first_alert_id" uuid,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "onboarding_progress" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_email_message_id_email_messages_id_fk" FOREIGN KEY ("email_message_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_profiles" ADD CONSTRAINT "business_profiles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_progress" ADD CONSTRAINT "onboarding_progress_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "naics_codes_title_idx" ON "naics_codes" USING btree (lower("title"));--> statement-breakpoint
CREATE UNIQUE INDEX "opportunities_notice_id_idx" ON "opportunities" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "opportunities_search_idx" ON "opportunities" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "opportunities_naics_idx" ON "opportunities" USING btree ("naics_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "opportunities_state_idx" ON "opportunities" USING btree ("pop_state");--> statement-breakpoint
CREATE INDEX "opportunities_posted_idx" ON "opportunities" USING btree ("posted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "opportunities_deadline_idx" ON "opportunities" USING btree ("response_deadline");--> statement-breakpoint
CREATE INDEX "opportunities_set_aside_idx" ON "opportunities" USING btree ("set_aside_code");--> statement-breakpoint
CREATE INDEX "opportunities_created_idx" ON "opportunities" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_digests_window_idx" ON "alert_digests" USING btree ("alert_id","window_end");--> statement-breakpoint
CREATE INDEX "alert_digests_org_idx" ON "alert_digests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "alerts_org_idx" ON "alerts" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "alerts_due_idx" ON "alerts" USING btree ("frequency","last_window_end");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "alert_digests" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("alert_digests"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("alert_digests"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "alerts" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("alerts"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("alerts"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "business_profiles" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("business_profiles"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("business_profiles"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "onboarding_progress" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("onboarding_progress"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("onboarding_progress"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);