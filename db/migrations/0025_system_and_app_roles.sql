-- beacon_system: the one role for work that crosses orgs (withSystem in db/tenant.ts); every
-- tenant table gets a policy letting it through (next migration), never BYPASSRLS, which only a
-- superuser could grant. beacon_app: what the app's own connections act as — no policy names it,
-- so by itself it sees no tenant row; tenant and system transactions switch from it.
-- Roles are cluster-wide: create each once, tolerate a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'beacon_system') THEN
    CREATE ROLE beacon_system NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'beacon_app') THEN
    CREATE ROLE beacon_app NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
-- SET ROLE is checked against the connecting (session) user, so it is the one granted each role;
-- beacon_app needs no membership of the others. A member inherits a role's policies, so the
-- system policy also checks that the current role IS beacon_system (see systemAccess()).
DO $$
BEGIN
  EXECUTE format('GRANT beacon_system TO %I', current_user);
  EXECUTE format('GRANT beacon_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO beacon_system, beacon_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO beacon_tenant, beacon_system, beacon_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO beacon_tenant, beacon_system, beacon_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO beacon_system, beacon_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO beacon_system, beacon_app;
