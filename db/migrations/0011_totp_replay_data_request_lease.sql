ALTER TABLE "users" ADD COLUMN "totp_last_step" integer;--> statement-breakpoint
ALTER TABLE "data_requests" ADD COLUMN "lease_until" timestamp with time zone;