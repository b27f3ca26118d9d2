ALTER TABLE "quota_adjustments" DROP CONSTRAINT "quota_adjustments_reason_valid";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_headers" jsonb;--> statement-breakpoint
ALTER TABLE "quota_adjustments" ADD COLUMN "balance" text DEFAULT 'allowance' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "balance" text DEFAULT 'allowance' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_quotas" ADD COLUMN "credits_remaining" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quota_adjustments" ADD CONSTRAINT "quota_adjustments_balance_valid" CHECK ("quota_adjustments"."balance" in ('allowance', 'credits'));--> statement-breakpoint
ALTER TABLE "quota_adjustments" ADD CONSTRAINT "quota_adjustments_reason_valid" CHECK ("quota_adjustments"."reason" in ('period_opened', 'credit_pack', 'credit_refund', 'credit_grant', 'credits_carried', 'plan_change', 'operator_set', 'opening_balance'));--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_balance_valid" CHECK ("usage_events"."balance" in ('allowance', 'credits'));--> statement-breakpoint
ALTER TABLE "usage_quotas" ADD CONSTRAINT "usage_quotas_credits_nonnegative" CHECK ("usage_quotas"."credits_remaining" >= 0);