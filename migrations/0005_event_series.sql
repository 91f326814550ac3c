CREATE TYPE "public"."event_series_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "event_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"rrule" text NOT NULL,
	"first_date" date NOT NULL,
	"all_day" boolean DEFAULT false NOT NULL,
	"start_time" text,
	"end_time" text,
	"end_day_offset" integer DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"venue_name" text DEFAULT '' NOT NULL,
	"venue_address" text DEFAULT '' NOT NULL,
	"ticket_url" text,
	"image_asset_id" uuid,
	"status" "event_series_status" DEFAULT 'draft' NOT NULL,
	"materialised_until" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_series_site_id_id_key" UNIQUE("site_id","id")
);
--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "occurrence_date" date;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "detached" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_image_asset_fk" FOREIGN KEY ("site_id","image_asset_id") REFERENCES "public"."asset"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_series_site_slug_key" ON "event_series" USING btree ("site_id","slug");--> statement-breakpoint
CREATE INDEX "event_series_site_horizon_idx" ON "event_series" USING btree ("site_id","materialised_until");--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_series_fk" FOREIGN KEY ("site_id","series_id") REFERENCES "public"."event_series"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_site_series_date_key" ON "event" USING btree ("site_id","series_id","occurrence_date");--> statement-breakpoint
-- Row-level security like every site-owned table (0003_rls.sql).
ALTER TABLE "event_series" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "event_series" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());
