ALTER TABLE "site" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;
