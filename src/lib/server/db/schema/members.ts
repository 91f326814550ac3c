/** Who may edit a site, pending invitations, and the audit trail of every change. */
import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { user } from './auth';
import { site } from './sites';

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'editor']);

export const membership = pgTable(
	'membership',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: memberRole('role').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('membership_site_user_key').on(t.siteId, t.userId),
		// "My sites" looks memberships up by user.
		index('membership_user_idx').on(t.userId)
	]
);

export const invitation = pgTable(
	'invitation',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		role: memberRole('role').notNull(),
		/** Invite a known Discord account... */
		discordId: text('discord_id'),
		/** ...or anyone holding a one-time link: only the SHA-256 of the token is stored. */
		tokenHash: text('token_hash'),
		/** A link invitation sent by e-mail: the address it went to (shown in the list). */
		email: text('email'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		acceptedBy: text('accepted_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('invitation_site_idx').on(t.siteId),
		uniqueIndex('invitation_token_hash_key').on(t.tokenHash),
		index('invitation_discord_idx')
			.on(t.discordId)
			.where(sql`${t.discordId} is not null`)
	]
);

/**
 * One row per change. Site-scoped rows cascade with their site; platform actions (a site created
 * or deleted by the super admin) have site_id null and name the site in `target`.
 */
export const auditEvent = pgTable(
	'audit_event',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		siteId: uuid('site_id').references(() => site.id, { onDelete: 'cascade' }),
		actorUserId: text('actor_user_id').references(() => user.id, { onDelete: 'set null' }),
		/** Display name of the actor at the time, kept when the user is gone. */
		actorName: text('actor_name').notNull().default(''),
		action: text('action').notNull(),
		targetType: text('target_type').notNull().default(''),
		targetId: text('target_id'),
		/** What was changed, as its owner named it (an event's title, a member's name); never our own words. */
		target: text('target').notNull().default(''),
		/**
		 * The rest of the sentence as codes and values (roles, a direction), rendered in the reader's
		 * language (components/admin/audit-text.ts); null on rows older than it, whose target may say it in English.
		 */
		detail: jsonb('detail').$type<Record<string, string | number>>(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('audit_event_site_at_idx').on(t.siteId, t.at), index('audit_event_at_idx').on(t.at)]
);
