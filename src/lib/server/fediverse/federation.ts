/**
 * ActivityPub per site, with Fedify: each site is one actor, `@events@<primary host>`, answered on
 * the site's own host only (WebFinger checks that the `acct:` host is the request's host, and the
 * context data is the site this host resolved to, never one named by the request). NodeInfo
 * describes the platform.
 *
 * The actor has key pairs (keys.ts), an inbox (Follow, Undo; replies and boosts counted: inbox.ts), a followers
 * collection (its size only: the list is for the site's owners) and the shared inbox. Fedify
 * checks the HTTP signatures of what arrives (401 when they fail) and refuses unparsable bodies
 * (400); bodies over INBOX_MAX_BYTES are refused here first (413). What the site sends goes
 * through the jobs queue (delivery.ts). FEDERATION_KEY unset: all of it is off (404), as if the
 * paths did not exist. A site that turned federation off, or a suspended one, answers 410 Gone
 * on its actor's paths and WebFinger.
 *
 * After a primary-domain change (move.ts) the actor lists its former ids as `alsoKnownAs`, and on
 * a former host still attached to the site the actor's paths answer the former actor (its old
 * id, the same keys, `movedTo` the current one), as Mastodon expects of a moved account.
 */
import { createFederation, type Context, type Federation } from '@fedify/fedify';
import {
	Activity,
	Announce,
	Create,
	Delete,
	Endpoints,
	Event,
	Follow,
	Image,
	Organization,
	PropertyValue,
	Undo
} from '@fedify/fedify/vocab';
import type { Handle } from '@sveltejs/kit';
import { env } from '../env';
import { log } from '../log';
import type { SiteContext } from '../hosts/site-context';
import { publicOrigin } from '../urls';
import { listSocialLinks } from '../queries/links';
import { escapeHtml } from '../escape';
import { absoluteImageUrl } from '../public-site/seo';
import { siteKeyPairs } from './keys';
import { countFollowers, listFormerActors } from '../queries/fediverse';
import { siteRead } from '../db';
import { onAnnounce, onCreate, onDelete, onFollow, onOtherActivity, onUndo } from './inbox';
import { HubKvStore } from './seen-activities';
import { EVENT_OBJECT_PATH, eventObject } from './objects';
import { getPublicEvent } from '../queries/events';
import { isUuid } from '../ids';

/** What Fedify's callbacks know: the site this host resolved to, and its branding images' URLs. */
export interface FederationData {
	site: SiteContext;
	icon: string | null;
	header: string | null;
	/** Set on a former actor host (move.ts): the current actor, which the former one moved to. */
	movedTo?: URL | null;
}

/** The one actor a site has: `@events@<host>`. */
export const ACTOR_HANDLE = 'events';
export const ACTOR_PATH = '/ap/actor/{identifier}';
export const INBOX_PATH = '/ap/actor/{identifier}/inbox';
export const SHARED_INBOX_PATH = '/ap/inbox';
export const FOLLOWERS_PATH = '/ap/actor/{identifier}/followers';
/** Largest activity the inboxes take (Mastodon's own limit is about 1 MB; activities are a few KB). */
export const INBOX_MAX_BYTES = 256 * 1024;

let federation: Federation<FederationData> | null | undefined;

export function federationEnabled(): boolean {
	return Boolean(env().FEDERATION_KEY);
}

function build(): Federation<FederationData> {
	const f = createFederation<FederationData>({
		// Caches in memory; which activities were processed in the database (replays refused by every process).
		kv: new HubKvStore(),
		// Tests federate between servers on loopback (Fedify's documented test setting).
		allowPrivateAddress: env().NODE_ENV !== 'production' || process.env.FEDERATION_ALLOW_PRIVATE === 'true'
	});
	f.setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
		const { site } = ctx.data;
		if (identifier !== ACTOR_HANDLE || site.status !== 'active') return null;
		const origin = ctx.origin;
		const image = (url: string | null, ref: SiteContext['logo']) =>
			url ? new Image({ url: new URL(url), name: ref?.altText || null }) : null;
		const links = await listSocialLinks(site.id);
		const keys = await ctx.getActorKeyPairs(identifier);
		const me = ctx.getActorUri(identifier);
		const movedTo = ctx.data.movedTo ?? null;
		// The current actor names the former ones (never itself: a domain changed back is no alias).
		const aliases = movedTo
			? []
			: (await siteRead(site.id, () => listFormerActors(site.id))).map((f) => new URL(f.actorUri)).filter((u) => u.href !== me.href);
		return new Organization({
			id: me,
			successor: movedTo,
			aliases,
			publicKey: keys[0]?.cryptographicKey ?? null,
			assertionMethods: keys.map((k) => k.multikey),
			inbox: ctx.getInboxUri(identifier),
			followers: ctx.getFollowersUri(identifier),
			preferredUsername: ACTOR_HANDLE,
			name: site.name,
			summary: escapeHtml(site.tagline || site.description || site.name),
			url: new URL('/', origin),
			icon: image(ctx.data.icon, site.logo),
			image: image(ctx.data.header, site.background),
			manuallyApprovesFollowers: false,
			discoverable: true,
			endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
			attachments: links
				.filter((l) => /^https?:\/\//.test(l.url))
				.map(
					(l) =>
						new PropertyValue({
							name: l.platform,
							value: `<a href="${escapeHtml(l.url)}" rel="me nofollow noopener" target="_blank">${escapeHtml(l.url)}</a>`
						})
				)
		});
	}).setKeyPairsDispatcher(async (ctx, identifier) => {
		if (identifier !== ACTOR_HANDLE) return [];
		return siteKeyPairs(ctx.data.site.id);
	});
	// Who follows a site is for its owners (the Fediverse screen): the collection tells its size only.
	f.setFollowersDispatcher(FOLLOWERS_PATH, async (_ctx, identifier) => (identifier === ACTOR_HANDLE ? { items: [] } : null)).setCounter(
		(ctx, identifier) => (identifier === ACTOR_HANDLE ? siteRead(ctx.data.site.id, () => countFollowers(ctx.data.site.id)) : null)
	);
	// An event's object by its id: public events of this host's site only (drafts, other sites: 404).
	f.setObjectDispatcher(Event, EVENT_OBJECT_PATH, async (ctx, { id }) => {
		const { site } = ctx.data;
		if (site.status !== 'active' || !isUuid(id)) return null;
		const row = await siteRead(site.id, () => getPublicEvent(site.id, id));
		return row ? eventObject(ctx, site, row) : null;
	});
	f.setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH)
		.on(Follow, onFollow)
		.on(Undo, onUndo)
		.on(Announce, onAnnounce)
		.on(Create, onCreate)
		.on(Delete, onDelete)
		.on(Activity, onOtherActivity)
		.onError((_ctx, error) => log.warn('fediverse inbox error', { error }));
	f.setNodeInfoDispatcher('/nodeinfo/2.1', async () => ({
		software: {
			name: 'collective-hub',
			version: '0.1.0',
			homepage: new URL(`${env().PUBLIC_SCHEME ?? 'https'}://${env().PLATFORM_DOMAIN}/`)
		},
		protocols: ['activitypub'],
		usage: { users: { total: 1 }, localPosts: 0, localComments: 0 },
		openRegistrations: false
	}));
	return f;
}

/** A host's origin as federation ids carry it (PUBLIC_SCHEME, no port). */
function hostOrigin(host: string): URL {
	return new URL(`${env().PUBLIC_SCHEME ?? 'https'}://${host}`);
}

/** The site's origin as its federation ids carry it (its primary host). */
export function siteOrigin(site: Pick<SiteContext, 'primaryHost'>): URL {
	return hostOrigin(site.primaryHost);
}

/**
 * A Fedify context for work outside a request (delivery jobs, building activities in a write),
 * on the site's primary host, or on `formerHost` to act as the actor that lived there (move.ts).
 */
export function siteContext(site: SiteContext, formerHost?: string): Context<FederationData> {
	const f = siteFederation();
	if (!f) throw new Error('Federation is off (FEDERATION_KEY unset)');
	if (!formerHost) return f.createContext(siteOrigin(site), { site, icon: null, header: null });
	const movedTo = f.createContext(siteOrigin(site), { site, icon: null, header: null }).getActorUri(ACTOR_HANDLE);
	return f.createContext(hostOrigin(formerHost), { site, icon: null, header: null, movedTo });
}

export function siteFederation(): Federation<FederationData> | null {
	if (federation === undefined) federation = federationEnabled() ? build() : null;
	return federation;
}

/** NodeInfo describes the platform, not the site: it stays when a site's actor is gone. */
const isNodeInfoPath = (pathname: string) => pathname.startsWith('/.well-known/nodeinfo') || pathname.startsWith('/nodeinfo/');

/** Paths Fedify answers on a site's host (route-namespaces.ts lists their first segments). */
function isFederationPath(pathname: string): boolean {
	return pathname === '/.well-known/webfinger' || isNodeInfoPath(pathname) || pathname.startsWith('/ap/');
}

/**
 * After the site is resolved: on a site's host, the federation paths go to Fedify with that site
 * as context data; the request's URL is rebuilt on the site's canonical origin (scheme from
 * PUBLIC_SCHEME), so ids never carry a proxy's view of the request; on a former actor host
 * (the hosts handle let it through: move.ts), on that host's origin. Off: 404 for all of them.
 */
export const federationHandle: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (!isFederationPath(path)) return resolve(event);
	const site = event.locals.site;
	const f = siteFederation();
	const notFound = () => plain(404, 'Not found');
	if (!f || !site || event.locals.isHub) return notFound();
	// A site that turned federation off (or is suspended): its actor existed and is gone.
	if ((site.status !== 'active' || !site.fediverseEnabled) && !isNodeInfoPath(path)) return plain(410, 'Gone');
	const formerHost = event.locals.formerActorHost ?? null;
	const url = new URL(path + event.url.search, publicOrigin(formerHost ?? site.primaryHost, event));
	let request: Request;
	if (event.request.method === 'POST') {
		const body = await readLimited(event.request, INBOX_MAX_BYTES);
		if (body === null) return plain(413, 'Payload too large');
		request = new Request(url, { method: 'POST', headers: event.request.headers, body });
	} else {
		request = new Request(url, { method: event.request.method, headers: event.request.headers });
	}
	const data: FederationData = {
		site,
		icon: site.logo ? absoluteImageUrl(site, event, site.logo) : null,
		header: site.background ? absoluteImageUrl(site, event, site.background) : null,
		movedTo: formerHost ? new URL(`/ap/actor/${ACTOR_HANDLE}`, publicOrigin(site.primaryHost, event)) : null
	};
	// A browser (or a Mastodon user clicking through) asking for an object as HTML gets the page.
	const notAcceptable = async () => {
		const page = await htmlPageFor(site, path);
		if (page) return new Response(null, { status: 302, headers: { location: page } });
		return EVENT_OBJECT.test(path) ? notFound() : plain(406, 'Not acceptable');
	};
	return f.fetch(request, { contextData: data, onNotFound: notFound, onNotAcceptable: notAcceptable });
};

const EVENT_OBJECT = /^\/ap\/events\/([^/]+)$/;

/** The HTML page of what a federation path names: an event's page, the home page for the actor. */
async function htmlPageFor(site: SiteContext, path: string): Promise<string | null> {
	if (path === `/ap/actor/${ACTOR_HANDLE}`) return '/';
	const id = EVENT_OBJECT.exec(path)?.[1];
	if (!id || !isUuid(id)) return null;
	const row = await siteRead(site.id, () => getPublicEvent(site.id, id));
	return row ? `/events/${row.slug}` : null;
}

function plain(status: number, text: string): Response {
	return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The body, or null when it is (or says it is) larger than `max` bytes; read no further than that. */
async function readLimited(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > max) return null;
	if (!request.body) return new Uint8Array(0);
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel().catch(() => {});
			return null;
		}
		chunks.push(value);
	}
	const body = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		body.set(c, at);
		at += c.byteLength;
	}
	return body;
}
