-- Search in the super-admin panel: substring matches (ILIKE '%term%') on site name and slug and on
-- custom domain hostnames, answered from trigram indexes instead of a scan of every site.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "site_name_trgm_idx" ON "site" USING gin ("name" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "site_slug_trgm_idx" ON "site" USING gin ("slug" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "site_domain_hostname_trgm_idx" ON "site_domain" USING gin ("hostname" gin_trgm_ops);
