CREATE TABLE "data_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"result" jsonb,
	"error" text,
	CONSTRAINT "data_requests_kind_valid" CHECK ("data_requests"."kind" in ('deletion', 'export')),
	CONSTRAINT "data_requests_status_valid" CHECK ("data_requests"."status" in ('pending', 'processing', 'completed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "data_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ops_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"org_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"summary" text NOT NULL,
	"details" jsonb,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	CONSTRAINT "ops_alerts_status_valid" CHECK ("ops_alerts"."status" in ('open', 'resolved'))
);
--> statement-breakpoint
ALTER TABLE "ops_alerts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "ops_alerts_muted_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "data_requests_org_idx" ON "data_requests" USING btree ("org_id","requested_at");--> statement-breakpoint
CREATE INDEX "data_requests_status_idx" ON "data_requests" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ops_alerts_open_idx" ON "ops_alerts" USING btree ("kind","subject") WHERE "ops_alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "ops_alerts_status_idx" ON "ops_alerts" USING btree ("status","last_seen_at");--> statement-breakpoint
CREATE INDEX "ops_alerts_org_idx" ON "ops_alerts" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "usage_events_created_idx" ON "usage_events" USING btree ("created_at");