CREATE TABLE "not_relevant_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"notice_id" text NOT NULL,
	"solicitation_number" text,
	"agency" text NOT NULL,
	"naics_code" text,
	"marked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "not_relevant_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "digest_limit" integer DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE "not_relevant_notices" ADD CONSTRAINT "not_relevant_notices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "not_relevant_notices" ADD CONSTRAINT "not_relevant_notices_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "not_relevant_notices_org_notice_idx" ON "not_relevant_notices" USING btree ("org_id","notice_id");--> statement-breakpoint
CREATE INDEX "not_relevant_notices_org_created_idx" ON "not_relevant_notices" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "not_relevant_notices" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("not_relevant_notices"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("not_relevant_notices"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "system_access" ON "not_relevant_notices" AS PERMISSIVE FOR ALL TO "beacon_system" USING (current_user = 'beacon_system') WITH CHECK (current_user = 'beacon_system');