ALTER TABLE "alerts" ADD COLUMN "prefer_q" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "prefer_states" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "prefer_set_asides" text[] DEFAULT '{}'::text[] NOT NULL;