/**
 * ActivityPub per site, with Fedify: each site is one actor, `@events@<primary host>`, answered on
 * the site's own host only (WebFinger checks that the `acct:` host is the request's host, and the
 * context data is the site this host resolved to, never one named by the request). NodeInfo
 * describes the platform.
 *
 * First increment (see notes): WebFinger, the actor document (name, summary, icon and header
 * from branding, profile links) and NodeInfo. Keys, inbox, followers and delivery are not built
 * yet, so the actor is discoverable but not yet followable. FEDERATION_KEY unset: all of it is
 * off (404), as if the paths did not exist.
 */
import { createFederation, MemoryKvStore, type Federation } from '@fedify/fedify';
import { Endpoints, Image, Organization, PropertyValue } from '@fedify/fedify/vocab';
import type { Handle } from '@sveltejs/kit';
import { env } from '../env';
import type { SiteContext } from '../hosts/site-context';
import { publicOrigin } from '../urls';
import { listSocialLinks } from '../queries/links';
import { escapeHtml } from '../escape';
import { absoluteImageUrl } from '../public-site/seo';

/** What Fedify's callbacks know: the site this host resolved to, and its branding images' URLs. */
export interface FederationData {
	site: SiteContext;
	icon: string | null;
	header: string | null;
}

/** The one actor a site has: `@events@<host>`. */
export const ACTOR_HANDLE = 'events';
export const ACTOR_PATH = '/ap/actor/{identifier}';

let federation: Federation<FederationData> | null | undefined;

export function federationEnabled(): boolean {
	return Boolean(env().FEDERATION_KEY);
}

function build(): Federation<FederationData> {
	const f = createFederation<FederationData>({
		// Caches only (remote documents); nothing here must survive a restart in this increment.
		kv: new MemoryKvStore(),
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
		return new Organization({
			id: ctx.getActorUri(identifier),
			preferredUsername: ACTOR_HANDLE,
			name: site.name,
			summary: escapeHtml(site.tagline || site.description || site.name),
			url: new URL('/', origin),
			icon: image(ctx.data.icon, site.logo),
			image: image(ctx.data.header, site.background),
			manuallyApprovesFollowers: false,
			discoverable: true,
			endpoints: new Endpoints({}),
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
	});
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

export function siteFederation(): Federation<FederationData> | null {
	if (federation === undefined) federation = federationEnabled() ? build() : null;
	return federation;
}

/** Paths Fedify answers on a site's host (route-namespaces.ts lists their first segments). */
function isFederationPath(pathname: string): boolean {
	return (
		pathname === '/.well-known/webfinger' ||
		pathname.startsWith('/.well-known/nodeinfo') ||
		pathname.startsWith('/nodeinfo/') ||
		pathname.startsWith('/ap/')
	);
}

/**
 * After the site is resolved: on a site's host, the federation paths go to Fedify with that site
 * as context data; the request's URL is rebuilt on the site's canonical origin (scheme from
 * PUBLIC_SCHEME), so ids never carry a proxy's view of the request. Off: 404 for all of them.
 */
export const federationHandle: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (!isFederationPath(path)) return resolve(event);
	const site = event.locals.site;
	const f = siteFederation();
	const notFound = () => new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	if (!f || !site || event.locals.isHub) return notFound();
	const url = new URL(path + event.url.search, publicOrigin(site.primaryHost, event));
	const request = new Request(url, event.request);
	const data: FederationData = {
		site,
		icon: site.logo ? absoluteImageUrl(site, event, site.logo) : null,
		header: site.background ? absoluteImageUrl(site, event, site.background) : null
	};
	const notAcceptable = () => new Response('Not acceptable\n', { status: 406, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	return f.fetch(request, { contextData: data, onNotFound: notFound, onNotAcceptable: notAcceptable });
};
