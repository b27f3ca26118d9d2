CREATE TABLE "job_schedules" (
	"function_id" text PRIMARY KEY NOT NULL,
	"expected_every_ms" integer NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_schedules" ENABLE ROW LEVEL SECURITY;