/**
 * Replies and boosts on PostgreSQL and PGlite: the inbox handlers (what Fedify calls once a
 * signature is verified; the signed HTTP path is tests/http/activitypub-reactions.test.ts) count a
 * boost and a reply once each however often they are delivered, un-count them on the maker's own
 * Undo or Delete only, count nothing for a draft, an unknown event or another site's event, and
 * the counts reach only their own site's owners.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InboxContext } from '@fedify/fedify';
import { Announce, Create, Delete, Note, Tombstone, Undo } from '@fedify/fedify/vocab';
import { eq } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { useTestEnv } from '../../../../tests/support/env';
import { db } from '../db';
import { siteFediverseReaction } from '../db/schema';
import { fediverseForAdmin } from '../services/fediverse';
import type { SiteActor } from '../services/actor';
import type { FederationData } from './federation';
import { onAnnounce, onCreate, onDelete, onUndo } from './inbox';
import { eventObjectUri } from './objects';

useTestEnv({ FEDERATION_KEY: 'reactions-test-key-0123456789-abcdef', PLATFORM_DOMAIN: 'hub.test', PUBLIC_SCHEME: 'http' });

const FAN = 'https://social.example/users/fan';
const OTHER = 'https://elsewhere.example/users/troll';

for (const kind of databaseKinds()) {
	describe(`fediverse replies and boosts on ${kind}`, () => {
		useTestDatabase(kind);
		let ownerA: SiteActor, ownerB: SiteActor;
		let jam: string, draft: string, quiz: string;
		/**
		 * What Fedify hands the site's inbox listeners once a signature is verified: the handlers
		 * read the site; objects are embedded, and anything they would fetch is refused.
		 */
		const refuse = (url: string) => Promise.reject(new Error(`fetched ${url}`));
		const inbox = (actor: SiteActor) =>
			({
				data: { site: actor.site, icon: null, header: null },
				documentLoader: refuse,
				contextLoader: refuse
			}) as unknown as InboxContext<FederationData>;
		const objectOf = (actor: SiteActor, eventId: string) => eventObjectUri(actor.site, eventId);
		const announce = (n: number, object: URL, by = FAN) =>
			new Announce({ id: new URL(`${by}/statuses/${n}/activity`), actor: new URL(by), object });
		const reply = (n: number, target: URL, by = FAN) =>
			new Create({
				id: new URL(`${by}/creates/${n}-${Math.random()}`),
				actor: new URL(by),
				object: new Note({ id: new URL(`${by}/statuses/${n}`), attribution: new URL(by), replyTarget: target, content: '<p>Yes!</p>' })
			});
		const counts = async (actor: SiteActor) =>
			(await fediverseForAdmin(actor)).reactions.map((r) => ({ event: r.eventId, replies: r.replies, boosts: r.boosts }));
		const stored = (siteId: string) => db().select().from(siteFediverseReaction).where(eq(siteFediverseReaction.siteId, siteId));

		beforeAll(async () => {
			const a = await f.createSite({ slug: `react-a-${kind}`, name: 'Alpha Reactions' });
			const b = await f.createSite({ slug: `react-b-${kind}`, name: 'Bravo Reactions' });
			jam = (await f.createEvent(a, { title: 'Alpha Jam Night' })).id;
			draft = (await f.createEvent(a, { title: 'Alpha Draft', status: 'draft' })).id;
			quiz = (await f.createEvent(b, { title: 'Bravo Quiz' })).id;
			ownerA = await f.actorOn(a, await f.createMember(a, 'owner'), 'owner');
			ownerB = await f.actorOn(b, await f.createMember(b, 'owner'), 'owner');
		}, 60_000);

		it('counts a boost and a reply once each, however often they arrive', async () => {
			await onAnnounce(inbox(ownerA), announce(1, objectOf(ownerA, jam)));
			await onCreate(inbox(ownerA), reply(1, objectOf(ownerA, jam)));
			// Redelivered: the same Announce, the same reply in another Create.
			await onAnnounce(inbox(ownerA), announce(1, objectOf(ownerA, jam)));
			await onCreate(inbox(ownerA), reply(1, objectOf(ownerA, jam)));
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 1, boosts: 1 }]);
			await onCreate(inbox(ownerA), reply(2, objectOf(ownerA, jam)));
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 2, boosts: 1 }]);
		});

		it('counts nothing for a draft, an unknown event, or a reply in another actor’s name', async () => {
			await onAnnounce(inbox(ownerA), announce(3, objectOf(ownerA, draft)));
			await onAnnounce(inbox(ownerA), announce(4, objectOf(ownerA, '00000000-0000-4000-8000-000000000000')));
			const forged = new Create({
				id: new URL(`${OTHER}/creates/5`),
				actor: new URL(OTHER),
				object: new Note({ id: new URL(`${FAN}/statuses/5`), attribution: new URL(FAN), replyTarget: objectOf(ownerA, jam) })
			});
			await onCreate(inbox(ownerA), forged);
			expect((await stored(ownerA.site.id)).map((r) => r.kind).sort()).toEqual(['boost', 'reply', 'reply']);
		});

		it('never counts another site’s event, and shows each site only its own counts', async () => {
			// B's event announced to A's inbox, and a reply to it there: neither site counts it.
			await onAnnounce(inbox(ownerA), announce(6, objectOf(ownerB, quiz)));
			await onCreate(inbox(ownerA), reply(6, objectOf(ownerB, quiz)));
			// A's event announced to B's inbox: not B's event, so nothing either.
			await onAnnounce(inbox(ownerB), announce(7, objectOf(ownerA, jam)));
			expect(await stored(ownerB.site.id)).toEqual([]);
			expect(await counts(ownerB)).toEqual([]);
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 2, boosts: 1 }]);
			// B's own boost is B's alone.
			await onAnnounce(inbox(ownerB), announce(8, objectOf(ownerB, quiz)));
			expect(await counts(ownerB)).toEqual([{ event: quiz, replies: 0, boosts: 1 }]);
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 2, boosts: 1 }]);
		});

		it('un-counts on the maker’s own Undo or Delete only, and only on its own site', async () => {
			const undoBy = (by: string) =>
				new Undo({ id: new URL(`${by}/undo/1`), actor: new URL(by), object: announce(1, objectOf(ownerA, jam)) });
			const deleteBy = (by: string) =>
				new Delete({
					id: new URL(`${by}/statuses/2#delete`),
					actor: new URL(by),
					object: new Tombstone({ id: new URL(`${FAN}/statuses/2`) })
				});
			await onUndo(inbox(ownerA), undoBy(OTHER));
			await onDelete(inbox(ownerA), deleteBy(OTHER));
			// The right actor, but sent to B's inbox: B has no such reaction, A keeps its own.
			await onUndo(inbox(ownerB), undoBy(FAN));
			await onDelete(inbox(ownerB), deleteBy(FAN));
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 2, boosts: 1 }]);
			expect(await counts(ownerB)).toEqual([{ event: quiz, replies: 0, boosts: 1 }]);
			await onUndo(inbox(ownerA), undoBy(FAN));
			await onDelete(inbox(ownerA), deleteBy(FAN));
			expect(await counts(ownerA)).toEqual([{ event: jam, replies: 1, boosts: 0 }]);
			expect(await counts(ownerB)).toEqual([{ event: quiz, replies: 0, boosts: 1 }]);
		});
	});
}
