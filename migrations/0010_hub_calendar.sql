ALTER TABLE "site" ADD COLUMN "hub_listed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "hub_city" text DEFAULT '' NOT NULL;