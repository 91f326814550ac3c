CREATE TABLE "event_tag" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	"event_id" uuid,
	"series_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_tag_one_target" CHECK (("event_tag"."event_id" is null) <> ("event_tag"."series_id" is null))
);
--> statement-breakpoint
CREATE TABLE "place" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"accessibility" text DEFAULT '' NOT NULL,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "place_site_id_id_key" UNIQUE("site_id","id"),
	CONSTRAINT "place_coordinates" CHECK (("place"."latitude" is null) = ("place"."longitude" is null))
);
--> statement-breakpoint
CREATE TABLE "tag" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tag_site_id_id_key" UNIQUE("site_id","id")
);
--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "online_url" text;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "online_reveal_minutes" integer;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "place_id" uuid;--> statement-breakpoint
ALTER TABLE "event_series" ADD COLUMN "online_url" text;--> statement-breakpoint
ALTER TABLE "event_series" ADD COLUMN "online_reveal_minutes" integer;--> statement-breakpoint
ALTER TABLE "event_series" ADD COLUMN "place_id" uuid;--> statement-breakpoint
ALTER TABLE "event_tag" ADD CONSTRAINT "event_tag_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_tag" ADD CONSTRAINT "event_tag_tag_fk" FOREIGN KEY ("site_id","tag_id") REFERENCES "public"."tag"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_site_id_id_key" UNIQUE("site_id","id");--> statement-breakpoint
ALTER TABLE "event_tag" ADD CONSTRAINT "event_tag_event_fk" FOREIGN KEY ("site_id","event_id") REFERENCES "public"."event"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_tag" ADD CONSTRAINT "event_tag_series_fk" FOREIGN KEY ("site_id","series_id") REFERENCES "public"."event_series"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "place" ADD CONSTRAINT "place_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tag" ADD CONSTRAINT "tag_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_tag_event_key" ON "event_tag" USING btree ("site_id","event_id","tag_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_tag_series_key" ON "event_tag" USING btree ("site_id","series_id","tag_id");--> statement-breakpoint
CREATE INDEX "event_tag_site_tag_idx" ON "event_tag" USING btree ("site_id","tag_id");--> statement-breakpoint
CREATE UNIQUE INDEX "place_site_slug_key" ON "place" USING btree ("site_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "tag_site_slug_key" ON "tag" USING btree ("site_id","slug");--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_place_fk" FOREIGN KEY ("site_id","place_id") REFERENCES "public"."place"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_place_fk" FOREIGN KEY ("site_id","place_id") REFERENCES "public"."place"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_site_place_idx" ON "event" USING btree ("site_id","place_id");--> statement-breakpoint
-- Row-level security like every site-owned table (0003_rls.sql).
ALTER TABLE "place" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "place" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());--> statement-breakpoint
ALTER TABLE "tag" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "tag" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());--> statement-breakpoint
ALTER TABLE "event_tag" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "event_tag" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());
