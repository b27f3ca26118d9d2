CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	CONSTRAINT "outbox_events_dedupe_key" UNIQUE NULLS NOT DISTINCT("org_id","dedupe_key"),
	CONSTRAINT "outbox_events_kind_valid" CHECK ("outbox_events"."kind" in ('email', 'webhook')),
	CONSTRAINT "outbox_events_status_valid" CHECK ("outbox_events"."status" in ('pending', 'sending', 'delivered', 'dead', 'discarded'))
);
--> statement-breakpoint
ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "job_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"step_id" text,
	"attempt" integer DEFAULT 0 NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"duration_ms" integer,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "job_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "job_heartbeats" (
	"function_id" text PRIMARY KEY NOT NULL,
	"last_success_at" timestamp with time zone NOT NULL,
	"last_run_id" text,
	"expected_every_ms" integer NOT NULL,
	"paused_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_heartbeats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"function_id" text NOT NULL,
	"run_id" text NOT NULL,
	"trigger" text DEFAULT 'event' NOT NULL,
	"event_name" text,
	"event_id" text,
	"event_payload" jsonb,
	"org_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"error" text,
	"output" jsonb,
	"rerun_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_runs_status_valid" CHECK ("job_runs"."status" in ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "job_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_job_run_id_job_runs_id_fk" FOREIGN KEY ("job_run_id") REFERENCES "public"."job_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_rerun_of_job_runs_id_fk" FOREIGN KEY ("rerun_of") REFERENCES "public"."job_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_events_due_idx" ON "outbox_events" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_events_org_idx" ON "outbox_events" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "job_events_run_idx" ON "job_events" USING btree ("job_run_id","at");--> statement-breakpoint
CREATE INDEX "job_events_at_idx" ON "job_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_run_idx" ON "job_runs" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "job_runs_function_idx" ON "job_runs" USING btree ("function_id","created_at");--> statement-breakpoint
CREATE INDEX "job_runs_status_idx" ON "job_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "job_runs_org_idx" ON "job_runs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "job_runs_created_idx" ON "job_runs" USING btree ("created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "outbox_events" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("outbox_events"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("outbox_events"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);