CREATE TABLE "notice_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notice_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"notice_id" text NOT NULL,
	"previous_notice_id" text NOT NULL,
	"solicitation_number" text,
	"diff" jsonb NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notice_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"notice_id" text NOT NULL,
	"version" jsonb NOT NULL,
	"superseded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "notice_changes_notice_idx" ON "notice_changes" USING btree ("notice_id","detected_at");--> statement-breakpoint
CREATE INDEX "notice_changes_solicitation_idx" ON "notice_changes" USING btree ("solicitation_number","detected_at");--> statement-breakpoint
CREATE INDEX "notice_changes_detected_idx" ON "notice_changes" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "notice_versions_notice_idx" ON "notice_versions" USING btree ("notice_id","superseded_at");