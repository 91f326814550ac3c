CREATE TABLE "site_former_actor" (
	"site_id" uuid NOT NULL,
	"host" text NOT NULL,
	"actor_uri" text NOT NULL,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"inboxes_told" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "site_former_actor_site_id_host_pk" PRIMARY KEY("site_id","host")
);
--> statement-breakpoint
ALTER TABLE "site_follower" ADD COLUMN "followed_actor_uri" text;--> statement-breakpoint
ALTER TABLE "site_former_actor" ADD CONSTRAINT "site_former_actor_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_former_actor" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "site_former_actor" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());