/**
 * ActivityPub discovery per site over HTTP with real Host headers (FEDERATION_KEY set): WebFinger
 * for `acct:events@<primary host>` answers on that host only, never on another site's host or
 * the hub; the actor document carries the site's name and summary; NodeInfo is discoverable.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, request, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createSite } from '../support/factories';
import { setPrimaryDomain, setSiteStatus } from '../../src/lib/server/queries/sites';

const AP = { accept: 'application/activity+json' };

describe.runIf(inject('templateDatabase'))('fediverse: discovery', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	const A = 'alpha-fedi.example';
	let betaHost: string;
	let goneHost: string;
	const ev = {} as Record<'published' | 'cancelled' | 'draft' | 'beta', { id: string; slug: string }>;

	beforeAll(async () => {
		const alpha = await createSite({ name: 'Alpha Film Club', tagline: 'Films <b>on</b> Fridays' });
		await setPrimaryDomain(alpha.id, (await createDomain(alpha.id, A, true)).id);
		const beta = await createSite({ name: 'Beta Zine' });
		betaHost = `${beta.slug}.hub.test`;
		ev.published = await createEvent(alpha, { title: 'Fedi Object Night', venueName: 'The Vault' });
		ev.cancelled = await createEvent(alpha, { title: 'Called Off', status: 'cancelled' });
		ev.draft = await createEvent(alpha, { title: 'Secret Draft', status: 'draft' });
		ev.beta = await createEvent(beta, { title: 'Beta Only' });
		const gone = await createSite({ name: 'Suspended Collective' });
		await setSiteStatus(gone.id, 'suspended');
		goneHost = `${gone.slug}.hub.test`;
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, FEDERATION_KEY: 'test-federation-key-0123456789-abcdef' } });
	}, 60_000);

	afterAll(async () => {
		await hub?.stop();
	});

	const webfinger = (host: string, resource: string) =>
		get(hub.origin, `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`, host);

	it('answers WebFinger for acct:events@<primary host> on that host', async () => {
		const r = await webfinger(A, `acct:events@${A}`);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/application\/jrd\+json/);
		const jrd = JSON.parse(r.body);
		expect(jrd.subject).toBe(`acct:events@${A}`);
		const self = jrd.links.find((l: { rel: string }) => l.rel === 'self');
		expect(self).toMatchObject({ type: 'application/activity+json', href: `http://${A}/ap/actor/events` });
	});

	it('does not answer for one site on another site’s host or on the hub', async () => {
		expect((await webfinger(betaHost, `acct:events@${A}`)).status).toBe(404);
		expect((await webfinger('hub.test', `acct:events@${A}`)).status).toBe(404);
		expect((await webfinger(A, `acct:events@${betaHost}`)).status).toBe(404);
		expect((await webfinger(A, `acct:someone@${A}`)).status).toBe(404);
		expect((await webfinger(A, 'not a uri')).status).toBe(400);
		// Beta's own actor answers on Beta's host, and names Beta.
		const beta = JSON.parse((await webfinger(betaHost, `acct:events@${betaHost}`)).body);
		expect(beta.links.find((l: { rel: string }) => l.rel === 'self').href).toBe(`http://${betaHost}/ap/actor/events`);
	});

	it('serves the actor with the site’s name and summary, and only on its host', async () => {
		const r = await get(hub.origin, '/ap/actor/events', A, AP);
		expect(r.status).toBe(200);
		const actor = JSON.parse(r.body);
		expect(actor).toMatchObject({
			id: `http://${A}/ap/actor/events`,
			type: 'Organization',
			preferredUsername: 'events',
			name: 'Alpha Film Club',
			url: `http://${A}/`
		});
		// Plain text from the settings, escaped: the summary is HTML in ActivityPub.
		expect(actor.summary).toBe('Films &lt;b&gt;on&lt;/b&gt; Fridays');
		const beta = JSON.parse((await get(hub.origin, '/ap/actor/events', betaHost, AP)).body);
		expect(beta.name).toBe('Beta Zine');
		expect(JSON.stringify(beta)).not.toContain('Alpha');
		expect((await get(hub.origin, '/ap/actor/events', 'hub.test', AP)).status).toBe(404);
		expect((await get(hub.origin, '/ap/actor/nobody', A, AP)).status).toBe(404);
	});

	it('offers NodeInfo 2.1', async () => {
		const links = JSON.parse((await get(hub.origin, '/.well-known/nodeinfo', A)).body).links;
		const href = links.find((l: { rel: string }) => l.rel.includes('nodeinfo.diaspora.software/ns/schema/2.1')).href;
		expect(href).toBe(`http://${A}/nodeinfo/2.1`);
		const info = JSON.parse((await get(hub.origin, '/nodeinfo/2.1', A)).body);
		expect(info.software.name).toBe('collective-hub');
		expect(info.protocols).toEqual(['activitypub']);
	});

	it('serves a public event’s object at its id, on its own host only', async () => {
		const r = await get(hub.origin, `/ap/events/${ev.published.id}`, A, AP);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/application\/activity\+json/);
		expect(JSON.parse(r.body)).toMatchObject({
			type: 'Event',
			id: `http://${A}/ap/events/${ev.published.id}`,
			name: 'Fedi Object Night',
			url: `http://${A}/events/${ev.published.slug}`,
			attributedTo: `http://${A}/ap/actor/events`,
			location: { type: 'Place', name: 'The Vault' }
		});
		expect(JSON.parse((await get(hub.origin, `/ap/events/${ev.cancelled.id}`, A, AP)).body).name).toBe('Cancelled: Called Off');
		// Drafts, another site's event, the hub, junk ids: not found.
		expect((await get(hub.origin, `/ap/events/${ev.draft.id}`, A, AP)).status).toBe(404);
		expect((await get(hub.origin, `/ap/events/${ev.beta.id}`, A, AP)).status).toBe(404);
		expect((await get(hub.origin, `/ap/events/${ev.published.id}`, betaHost, AP)).status).toBe(404);
		expect((await get(hub.origin, `/ap/events/${ev.published.id}`, 'hub.test', AP)).status).toBe(404);
		expect((await get(hub.origin, '/ap/events/not-a-uuid', A, AP)).status).toBe(404);
		expect((await get(hub.origin, `/ap/events/${ev.beta.id}`, betaHost, AP)).status).toBe(200);
	});

	it('sends a browser asking for an object as HTML to its page', async () => {
		const html = { accept: 'text/html,application/xhtml+xml' };
		const r = await get(hub.origin, `/ap/events/${ev.published.id}`, A, html);
		expect(r.status).toBe(302);
		expect(r.headers.location).toBe(`/events/${ev.published.slug}`);
		expect((await get(hub.origin, '/ap/actor/events', A, html)).headers.location).toBe('/');
		expect((await get(hub.origin, `/ap/events/${ev.draft.id}`, A, html)).status).toBe(404);
		expect((await get(hub.origin, `/ap/events/${ev.beta.id}`, A, html)).status).toBe(404);
	});

	it('answers 410 Gone for a suspended site’s actor and WebFinger', async () => {
		expect((await get(hub.origin, '/ap/actor/events', goneHost, AP)).status).toBe(410);
		expect((await webfinger(goneHost, `acct:events@${goneHost}`)).status).toBe(410);
		expect(
			(
				await request(hub.origin, '/ap/inbox', goneHost, {
					method: 'POST',
					headers: { 'content-type': 'application/activity+json' },
					body: '{}'
				})
			).status
		).toBe(410);
	});
});
