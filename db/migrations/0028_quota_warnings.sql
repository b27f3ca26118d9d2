CREATE TABLE "quota_warnings" (
	"org_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"threshold" integer NOT NULL,
	"recipients" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_warnings_org_id_period_start_threshold_pk" PRIMARY KEY("org_id","period_start","threshold"),
	CONSTRAINT "quota_warnings_threshold" CHECK ("quota_warnings"."threshold" in (80, 100))
);
--> statement-breakpoint
ALTER TABLE "quota_warnings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "quota_warnings" ADD CONSTRAINT "quota_warnings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quota_warnings" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("quota_warnings"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("quota_warnings"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "quota_warnings" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');