CREATE TYPE "public"."alert_pause_reason" AS ENUM('plan_limit', 'plan_excludes_instant');--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "paused_reason" "alert_pause_reason";