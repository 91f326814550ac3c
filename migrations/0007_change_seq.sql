-- Every published change takes the next number; a process whose change listener reconnects
-- compares the last number with the last one it heard, and drops its caches only when changes
-- may have been missed (numbers of rolled-back writes are used up too: a spurious drop, never a
-- missed one).
CREATE SEQUENCE IF NOT EXISTS "hub_change_seq";--> statement-breakpoint
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub_site') THEN
		GRANT USAGE, SELECT ON SEQUENCE "hub_change_seq" TO hub_site;
	END IF;
END $$;
