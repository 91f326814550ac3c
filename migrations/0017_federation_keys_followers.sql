CREATE TABLE "site_federation_key" (
	"site_id" uuid NOT NULL,
	"algorithm" text NOT NULL,
	"public_key" jsonb NOT NULL,
	"private_key_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_federation_key_site_id_algorithm_pk" PRIMARY KEY("site_id","algorithm")
);
--> statement-breakpoint
CREATE TABLE "site_follower" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"actor_uri" text NOT NULL,
	"handle" text DEFAULT '' NOT NULL,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_delivered_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_federation_key" ADD CONSTRAINT "site_federation_key_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_follower" ADD CONSTRAINT "site_follower_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "site_follower_site_actor_key" ON "site_follower" USING btree ("site_id","actor_uri");--> statement-breakpoint
ALTER TABLE "site_federation_key" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "site_federation_key" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());--> statement-breakpoint
ALTER TABLE "site_follower" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY site_scope ON "site_follower" USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site());
