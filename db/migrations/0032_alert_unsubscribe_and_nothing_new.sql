ALTER TYPE "public"."alert_pause_reason" ADD VALUE 'unsubscribed';--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "nothing_new_email" boolean DEFAULT false NOT NULL;