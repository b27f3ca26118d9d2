CREATE TABLE "alert_channels" (
	"org_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	CONSTRAINT "alert_channels_alert_id_channel_id_pk" PRIMARY KEY("alert_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "alert_channels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"url_sealed" text NOT NULL,
	"url_hint" text NOT NULL,
	"secret_sealed" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_channels_kind_valid" CHECK ("notification_channels"."kind" in ('slack', 'teams', 'webhook'))
);
--> statement-breakpoint
ALTER TABLE "notification_channels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "outbox_events" DROP CONSTRAINT "outbox_events_kind_valid";--> statement-breakpoint
ALTER TABLE "outbox_events" drop column "destination";--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "destination" text GENERATED ALWAYS AS (case when kind = 'email' then 'smtp' when kind = 'event' then 'inngest' when kind = 'channel' then 'channel:' || coalesce(payload->>'channel_id', '') else 'webhook:' || lower(coalesce(substring(payload->>'url' from '^([A-Za-z][A-Za-z0-9+.-]*://)'), '')) || lower(regexp_replace(coalesce(substring(payload->>'url' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#\\]*)'), ''), '^.*@', '')) end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_channel_id_notification_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_channels_channel_idx" ON "alert_channels" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "notification_channels_org_idx" ON "notification_channels" USING btree ("org_id","created_at");--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_kind_valid" CHECK ("outbox_events"."kind" in ('email', 'webhook', 'event', 'channel'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "alert_channels" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("alert_channels"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("alert_channels"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "alert_channels" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_channels" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("notification_channels"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("notification_channels"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "notification_channels" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');--> statement-breakpoint
-- drizzle-kit does not write FORCE: without it the tables' owner would skip the policies (see 0035).
ALTER TABLE "notification_channels" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "alert_channels" FORCE ROW LEVEL SECURITY;
