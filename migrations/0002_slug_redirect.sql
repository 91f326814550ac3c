CREATE TABLE "site_slug_redirect" (
	"old_slug" text PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_slug_redirect" ADD CONSTRAINT "site_slug_redirect_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "site_slug_redirect_site_idx" ON "site_slug_redirect" USING btree ("site_id");