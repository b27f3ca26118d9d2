ALTER TABLE "email_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "system_access" ON "invitations" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "memberships" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "organizations" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "api_keys" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "email_messages" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("email_messages"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("email_messages"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "email_messages" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "alert_digests" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "alerts" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "business_profiles" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "onboarding_progress" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "idempotency_keys" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "quota_adjustments" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "usage_events" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "usage_quotas" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "billing_customers" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "credit_packs" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "dunning_notices" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "stripe_events" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "subscriptions" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "audit_log" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("audit_log"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("audit_log"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "audit_log" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "outbox_circuits" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "outbox_events" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "job_events" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "job_heartbeats" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "job_runs" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("job_runs"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("job_runs"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "job_runs" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "job_schedules" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "data_requests" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("data_requests"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("data_requests"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "data_requests" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ops_alerts" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("ops_alerts"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("ops_alerts"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "ops_alerts" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "break_glass_sessions" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "system_access" ON "feature_flags" AS PERMISSIVE FOR ALL TO "beacon_system" USING (true) WITH CHECK (true);