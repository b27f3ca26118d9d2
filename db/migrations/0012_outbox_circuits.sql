CREATE TABLE "outbox_circuits" (
	"destination" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"trips" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone,
	"open_until" timestamp with time zone,
	"probe_token" uuid,
	"probe_until" timestamp with time zone,
	"last_error" text,
	"last_failure_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_circuits_state_valid" CHECK ("outbox_circuits"."state" in ('closed', 'open', 'half_open'))
);
--> statement-breakpoint
ALTER TABLE "outbox_circuits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "destination" text GENERATED ALWAYS AS (case when kind = 'email' then 'smtp' else 'webhook:' || lower(coalesce(substring(payload->>'url' from '^([A-Za-z][A-Za-z0-9+.-]*://)'), '')) || lower(regexp_replace(coalesce(substring(payload->>'url' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#\\]*)'), ''), '^.*@', '')) end) STORED NOT NULL;