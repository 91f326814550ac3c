/**
 * E-mail: a site's followers (double opt-in, per site: the same address on two sites is two
 * unrelated rows), which events each follower was told about (so a cancellation reaches exactly
 * them), the site's digest schedule, and the mails already handed to the SMTP server (so a
 * retried job never sends one twice).
 */
import { date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { site } from './sites';
import { event } from './content';

export const followerStatus = pgEnum('follower_status', ['pending', 'confirmed']);

export const follower = pgTable(
	'follower',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		/** Lowercased. */
		email: text('email').notNull(),
		status: followerStatus('status').notNull().default('pending'),
		/** SHA-256 of the double opt-in token (the token itself is only in the mail); null once used. */
		confirmTokenHash: text('confirm_token_hash'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('follower_site_email_key').on(t.siteId, t.email), uniqueIndex('follower_confirm_token_key').on(t.confirmTokenHash)]
);

/** A follower was sent this event (in a digest): they hear of its cancellation. */
export const followerNotice = pgTable(
	'follower_notice',
	{
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		followerId: uuid('follower_id')
			.notNull()
			.references(() => follower.id, { onDelete: 'cascade' }),
		eventId: uuid('event_id')
			.notNull()
			.references(() => event.id, { onDelete: 'cascade' }),
		toldAt: timestamp('told_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.followerId, t.eventId] }), index('follower_notice_site_event_idx').on(t.siteId, t.eventId)]
);

/** When a site's weekly digest goes out, in the site's timezone (no row: Monday 9:00). */
export const siteMailSetting = pgTable('site_mail_setting', {
	siteId: uuid('site_id')
		.primaryKey()
		.references(() => site.id, { onDelete: 'cascade' }),
	/** 1 = Monday … 7 = Sunday (ISO). */
	digestWeekday: integer('digest_weekday').notNull().default(1),
	/** 0–23, local hour. */
	digestHour: integer('digest_hour').notNull().default(9),
	/** Local date (YYYY-MM-DD) of the last digest sent: one a week however often the job runs. */
	lastDigestOn: date('last_digest_on', { mode: 'string' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A mail handed to the SMTP server, by its message key (`digest:<follower>:<date>` …). The send job
 * looks here first and writes here right after the server accepted the message.
 */
export const sentMail = pgTable(
	'sent_mail',
	{
		messageKey: text('message_key').primaryKey(),
		siteId: uuid('site_id').references(() => site.id, { onDelete: 'cascade' }),
		messageId: text('message_id').notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sent_mail_sent_at_idx').on(t.sentAt)]
);
