-- Row-level security as defence in depth (see src/lib/server/db/index.ts): a transaction scoped to
-- one site runs as the role hub_site with app.site_id set, and these policies hide every other
-- site's rows from it, even from a query that forgot its WHERE site_id. The owning role (the one
-- that runs migrations and platform code) is not bound by them: tables are not FORCEd.
--
-- Creating a role needs CREATEROLE; a database user without it still migrates (the policies then
-- only ever see the owner, which they do not bind) and start-up logs that scopes are not enforced.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_site') THEN
		CREATE ROLE hub_site NOLOGIN NOBYPASSRLS;
	END IF;
EXCEPTION
	WHEN duplicate_object OR unique_violation THEN NULL; -- another database of this cluster made it first
	WHEN insufficient_privilege THEN RAISE NOTICE 'hub_site role not created (no CREATEROLE): row-level security scopes are not enforced';
END $$;
--> statement-breakpoint
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_site') THEN
		EXECUTE format('GRANT hub_site TO %I', current_user);
		GRANT USAGE ON SCHEMA public TO hub_site;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hub_site;
		GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO hub_site;
		-- Tables and sequences of later migrations (made by this same user) are granted too.
		ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hub_site;
		ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO hub_site;
	END IF;
EXCEPTION
	WHEN insufficient_privilege THEN RAISE NOTICE 'hub_site role not granted: row-level security scopes are not enforced';
END $$;
--> statement-breakpoint
CREATE FUNCTION hub_scope_site() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.site_id', true), '')::uuid $$;
--> statement-breakpoint
ALTER TABLE "site" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "site_scope" ON "site" USING ("id" = hub_scope_site()) WITH CHECK ("id" = hub_scope_site());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['site_domain', 'site_slug_redirect', 'home', 'page', 'event', 'nav_link', 'social_link', 'asset', 'membership', 'invitation', 'audit_event'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY site_scope ON %I USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site())', t);
	END LOOP;
END $$;
