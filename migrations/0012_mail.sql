CREATE TYPE "public"."follower_status" AS ENUM('pending', 'confirmed');--> statement-breakpoint
CREATE TABLE "follower" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"email" text NOT NULL,
	"status" "follower_status" DEFAULT 'pending' NOT NULL,
	"confirm_token_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "follower_notice" (
	"site_id" uuid NOT NULL,
	"follower_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"told_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follower_notice_follower_id_event_id_pk" PRIMARY KEY("follower_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "sent_mail" (
	"message_key" text PRIMARY KEY NOT NULL,
	"site_id" uuid,
	"message_id" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_mail_setting" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"digest_weekday" integer DEFAULT 1 NOT NULL,
	"digest_hour" integer DEFAULT 9 NOT NULL,
	"last_digest_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "follower" ADD CONSTRAINT "follower_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follower_notice" ADD CONSTRAINT "follower_notice_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follower_notice" ADD CONSTRAINT "follower_notice_follower_id_follower_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."follower"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follower_notice" ADD CONSTRAINT "follower_notice_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sent_mail" ADD CONSTRAINT "sent_mail_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_mail_setting" ADD CONSTRAINT "site_mail_setting_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follower_site_email_key" ON "follower" USING btree ("site_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "follower_confirm_token_key" ON "follower" USING btree ("confirm_token_hash");--> statement-breakpoint
CREATE INDEX "follower_notice_site_event_idx" ON "follower_notice" USING btree ("site_id","event_id");--> statement-breakpoint
CREATE INDEX "sent_mail_sent_at_idx" ON "sent_mail" USING btree ("sent_at");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['follower', 'follower_notice', 'site_mail_setting', 'sent_mail'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY site_scope ON %I USING (site_id = hub_scope_site()) WITH CHECK (site_id = hub_scope_site())', t);
	END LOOP;
END $$;
