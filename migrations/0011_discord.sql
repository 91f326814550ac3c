CREATE TABLE "discord_event_link" (
	"site_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"message_state" text DEFAULT 'none' NOT NULL,
	"message_id" text,
	"message_url" text,
	"message_title" text,
	"message_claimed_at" timestamp with time zone,
	"message_digest" text,
	"message_when" text,
	"message_where" text,
	"scheduled_state" text DEFAULT 'none' NOT NULL,
	"scheduled_event_id" text,
	"scheduled_claimed_at" timestamp with time zone,
	"scheduled_url" text,
	"scheduled_digest" text,
	"scheduled_guild_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discord_event_link_site_id_event_id_pk" PRIMARY KEY("site_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "discord_problem" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"event_id" uuid,
	"area" text NOT NULL,
	"kind" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discord_settings" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"webhook_id" text,
	"webhook_token" text,
	"webhook_channel_id" text,
	"guild_id" text,
	"announce_publish" boolean DEFAULT true NOT NULL,
	"announce_changes" boolean DEFAULT true NOT NULL,
	"announce_cancel" boolean DEFAULT true NOT NULL,
	"sync_events" boolean DEFAULT false NOT NULL,
	"entity_type" text DEFAULT 'external' NOT NULL,
	"event_channel_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "discord_event_link" ADD CONSTRAINT "discord_event_link_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discord_problem" ADD CONSTRAINT "discord_problem_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discord_settings" ADD CONSTRAINT "discord_settings_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discord_problem_site_at_idx" ON "discord_problem" USING btree ("site_id","at");--> statement-breakpoint
-- Row-level security like every site-owned table (0003_rls.sql).
ALTER TABLE "discord_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "discord_settings" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());--> statement-breakpoint
ALTER TABLE "discord_event_link" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "discord_event_link" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());--> statement-breakpoint
ALTER TABLE "discord_problem" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "discord_problem" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());
