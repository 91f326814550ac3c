CREATE TABLE "site_fediverse_reaction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"remote_id" text NOT NULL,
	"actor_uri" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_fediverse_reaction" ADD CONSTRAINT "site_fediverse_reaction_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_fediverse_reaction" ADD CONSTRAINT "site_fediverse_reaction_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "site_fediverse_reaction_remote_key" ON "site_fediverse_reaction" USING btree ("site_id","kind","remote_id");--> statement-breakpoint
CREATE INDEX "site_fediverse_reaction_event_idx" ON "site_fediverse_reaction" USING btree ("site_id","event_id");--> statement-breakpoint
ALTER TABLE "site_fediverse_reaction" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "site_fediverse_reaction" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());
