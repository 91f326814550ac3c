/**
 * ActivityPub per site (fediverse/): the site actor's key pairs, its followers and its former
 * ids. Each row belongs to one site (row-level security like every site table).
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { site } from './sites';
import { event } from './content';

const siteRef = () =>
	uuid('site_id')
		.notNull()
		.references(() => site.id, { onDelete: 'cascade' });

/**
 * One key pair per site and algorithm (`RSASSA-PKCS1-v1_5`, `Ed25519`), made on first need. The
 * public key is a JWK; the private key is its JWK encrypted with a key derived from FEDERATION_KEY
 * (fediverse/keys.ts), so a copy of the database alone cannot sign as the site.
 */
export const siteFederationKey = pgTable(
	'site_federation_key',
	{
		siteId: siteRef(),
		algorithm: text('algorithm').notNull(),
		publicKey: jsonb('public_key').$type<JsonWebKey>().notNull(),
		privateKeySealed: text('private_key_sealed').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.siteId, t.algorithm] })]
);

/** A remote actor following the site's actor, with where to deliver and how delivery went. */
export const siteFollower = pgTable(
	'site_follower',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		actorUri: text('actor_uri').notNull(),
		/** `@name@host` when the actor said so (shown to owners), else ''. */
		handle: text('handle').notNull().default(''),
		inbox: text('inbox').notNull(),
		sharedInbox: text('shared_inbox'),
		/**
		 * The actor id the Follow named (the site's actor on the primary host of the time, or a
		 * former one): an Undo of a Follow of another id leaves the row, so a follower whose server
		 * re-followed the new actor after a Move, then undid the old follow, stays. Null on rows
		 * from before this was kept (any Undo removes them).
		 */
		followedActorUri: text('followed_actor_uri'),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
		lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
		lastError: text('last_error'),
		lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
		failures: integer('failures').notNull().default(0)
	},
	(t) => [uniqueIndex('site_follower_site_actor_key').on(t.siteId, t.actorUri)]
);

/**
 * A host the site's actor lived on before the primary domain changed (fediverse/move.ts): while
 * that domain still serves the site, its actor URL there answers the old actor with `movedTo`
 * the current one, and the current actor lists these as `alsoKnownAs` (what Mastodon checks
 * before it moves followers). The current primary host is never one (removed on changing back).
 */
export const siteFormerActor = pgTable(
	'site_former_actor',
	{
		siteId: siteRef(),
		host: text('host').notNull(),
		actorUri: text('actor_uri').notNull(),
		movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
		/** Inboxes sent the Move (one per shared inbox), for the owners' screen. */
		inboxesTold: integer('inboxes_told').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.siteId, t.host] })]
);

/**
 * A remote reply to, or boost of, one of the site's events (fediverse/reactions.ts): only counted
 * for the owners, never shown publicly. One row per remote object (the reply Note's id, the
 * Announce's id), so a redelivered activity counts once.
 */
export const siteFediverseReaction = pgTable(
	'site_fediverse_reaction',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		eventId: uuid('event_id')
			.notNull()
			.references(() => event.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['reply', 'boost'] }).notNull(),
		remoteId: text('remote_id').notNull(),
		actorUri: text('actor_uri').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('site_fediverse_reaction_remote_key').on(t.siteId, t.kind, t.remoteId),
		index('site_fediverse_reaction_event_idx').on(t.siteId, t.eventId)
	]
);

/**
 * Activities the inboxes have processed, by Fedify's idempotence key (the inbox's origin and the
 * activity id), until they expire: a replay is refused by every process, not only the one that saw
 * it first (fediverse/seen-activities.ts). Platform-wide; holds no site content.
 */
export const federationSeenActivity = pgTable('federation_seen_activity', {
	key: text('key').primaryKey(),
	value: jsonb('value').notNull(),
	expiresAt: timestamp('expires_at', { withTimezone: true })
});
