ALTER TABLE "user" ADD COLUMN "discord_email" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "notice_email" text;