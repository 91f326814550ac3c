ALTER TABLE "site_domain" ADD COLUMN "last_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site_domain" ADD COLUMN "next_check_at" timestamp with time zone DEFAULT now() + interval '1 minute' NOT NULL;--> statement-breakpoint
ALTER TABLE "site_domain" ADD COLUMN "check_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "site_domain" ADD COLUMN "last_check_error" text;--> statement-breakpoint
ALTER TABLE "site_domain" ADD COLUMN "misconfigured_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "site_domain_next_check_idx" ON "site_domain" USING btree ("next_check_at");