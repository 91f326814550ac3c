CREATE TABLE "federation_seen_activity" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "fediverse_enabled" boolean DEFAULT true NOT NULL;