-- "Newest first" lists order by posted_at desc, id desc, which SQL reads as NULLS FIRST; the index
-- was NULLS LAST, so it could not give a LIMIT its first rows in order and every list sorted all
-- of its matches. Both columns are NOT NULL: only the planner sees the difference.
DROP INDEX "opportunities_posted_idx";--> statement-breakpoint
CREATE INDEX "opportunities_posted_idx" ON "opportunities" USING btree ("posted_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);