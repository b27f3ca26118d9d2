ALTER TABLE "users" ADD COLUMN "daily_alert_summary" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "alerts_created_by_idx" ON "alerts" USING btree ("created_by");