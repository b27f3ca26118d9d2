-- FORCE: the tables' owner is held by the policies too. The app acts as beacon_app (no policy
-- names it) and switches to beacon_tenant or beacon_system per transaction; with FORCE, a
-- DATABASE_URL user that owns the tables gains nothing by skipping that switch. Every table
-- with row-level security on, so none is forgotten; tests/rls-catalog.ts fails for a later
-- table without it. (Superusers and BYPASSRLS roles are never held: the app never acts as one.)
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.relname);
  END LOOP;
END $$;
--> statement-breakpoint
-- Readiness compares the applied migrations with the build's, as the app (beacon_app).
GRANT USAGE ON SCHEMA drizzle TO beacon_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO beacon_app;
