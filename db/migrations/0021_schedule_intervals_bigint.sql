ALTER TABLE "job_heartbeats" ALTER COLUMN "expected_every_ms" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "job_schedules" ALTER COLUMN "expected_every_ms" SET DATA TYPE bigint;