CREATE TABLE "dunning_notices" (
	"invoice_id" text NOT NULL,
	"day" integer NOT NULL,
	"org_id" uuid NOT NULL,
	"recipients" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_notices_invoice_id_day_pk" PRIMARY KEY("invoice_id","day")
);
--> statement-breakpoint
ALTER TABLE "dunning_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "dunning_notices" ADD CONSTRAINT "dunning_notices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dunning_notices_org_idx" ON "dunning_notices" USING btree ("org_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "dunning_notices" AS PERMISSIVE FOR ALL TO "beacon_tenant" USING ("dunning_notices"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK ("dunning_notices"."org_id" = nullif(current_setting('app.org_id', true), '')::uuid);