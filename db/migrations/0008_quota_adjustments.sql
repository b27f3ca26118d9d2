CREATE TABLE "quota_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_adjustments_reason_valid" CHECK ("quota_adjustments"."reason" in ('period_opened', 'credit_pack', 'credit_refund', 'plan_change', 'operator_set', 'opening_balance'))
);
--> statement-breakpoint
ALTER TABLE "quota_adjustments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "quota_adjustments" ADD CONSTRAINT "quota_adjustments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quota_adjustments_org_period_idx" ON "quota_adjustments" USING btree ("org_id","period_start");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quota_adjustments" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("quota_adjustments"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("quota_adjustments"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- Rows are facts: never rewritten (DELETE stays possible for org deletion and retention).
CREATE OR REPLACE FUNCTION quota_adjustments_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'quota_adjustments is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER quota_adjustments_no_update BEFORE UPDATE ON "quota_adjustments" FOR EACH ROW EXECUTE FUNCTION quota_adjustments_refuse_update();
--> statement-breakpoint
-- Periods already open when the ledger starts: one opening balance that explains today's
-- counter (what is left plus the calls charged so far), so they report no drift.
INSERT INTO "quota_adjustments" ("org_id", "period_start", "delta", "reason", "created_at")
SELECT q."org_id", q."period_start",
       q."quota_remaining" + (SELECT count(*) FROM "usage_events" e
                              WHERE e."org_id" = q."org_id" AND e."created_at" >= q."period_start" AND e."created_at" < q."period_end"
                                AND e."quota_after" < e."quota_before")::int,
       'opening_balance', now()
FROM "usage_quotas" q;
