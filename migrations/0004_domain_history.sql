CREATE TABLE "domain_history" (
	"hostname" text NOT NULL,
	"site_id" uuid NOT NULL,
	"first_attached_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domain_history_hostname_site_id_pk" PRIMARY KEY("hostname","site_id")
);
--> statement-breakpoint
-- Domains attached today are part of the history.
INSERT INTO "domain_history" ("hostname", "site_id", "first_attached_at") SELECT "hostname", "site_id", "created_at" FROM "site_domain" ON CONFLICT DO NOTHING;
