ALTER TABLE "event" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "page" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "event_publish_at_idx" ON "event" USING btree ("publish_at") WHERE "event"."publish_at" is not null;--> statement-breakpoint
CREATE INDEX "page_publish_at_idx" ON "page" USING btree ("publish_at") WHERE "page"."publish_at" is not null;