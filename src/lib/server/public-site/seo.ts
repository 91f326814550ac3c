/**
 * The head of every public page: title, description, canonical URL on the primary host, Open
 * Graph / Twitter card image (the page's own, else the site's background or logo, else a card
 * generated in the site's colours).
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { SiteContext } from '../hosts/site-context';
import { canonicalUrl, publicOrigin } from '../urls';
import { absoluteMediaBase } from '../media-base';
import { largestVariantUrl, type StoredImage } from '../../media-url';
import type { SeoMeta } from '../../site-view';
import { themeColors } from '../../theme';
import { OG_CARD, ogCardVersion } from './og-card';

export interface SeoInput {
	/** Path (and query) of the canonical URL, e.g. `/events/troll-2` or `/events?page=2`. */
	path: string;
	/** Page title; the site name is appended. Omit on the home page. */
	title?: string;
	description?: string;
	image?: StoredImage | null;
	type?: SeoMeta['type'];
	jsonLd?: Record<string, unknown>;
	noindex?: boolean;
}

export function siteOrigin(site: Pick<SiteContext, 'primaryHost'>, event: Pick<RequestEvent, 'url' | 'platform'>): string {
	return publicOrigin(site.primaryHost, event);
}

export function absoluteImageUrl(
	site: Pick<SiteContext, 'primaryHost'>,
	event: Pick<RequestEvent, 'url' | 'platform'>,
	image: StoredImage
): string {
	return largestVariantUrl(absoluteMediaBase(siteOrigin(site, event)), image);
}

export function buildSeo(site: SiteContext, event: Pick<RequestEvent, 'url' | 'platform'>, input: SeoInput): SeoMeta {
	const image = input.image ?? site.background ?? site.logo;
	const largest = image ? Math.max(...image.variants, 0) || image.width : 0;
	return {
		title: input.title ? `${input.title} · ${site.name}` : site.tagline ? `${site.name} — ${site.tagline}` : site.name,
		description: (input.description || site.description || site.tagline || site.name).slice(0, 300),
		canonical: canonicalUrl(site.primaryHost, input.path, event),
		type: input.type ?? 'website',
		siteName: site.name,
		image: image
			? {
					url: absoluteImageUrl(site, event, image),
					alt: image.altText,
					width: largest,
					height: image.width ? Math.round((largest * image.height) / image.width) : image.height
				}
			: {
					// No image uploaded anywhere: the generated card in the site's colours (og-card.ts).
					url: `${siteOrigin(site, event)}/og-image.png?v=${ogCardVersion(themeColors(site.theme))}`,
					alt: '',
					...OG_CARD
				},
		noindex: input.noindex,
		jsonLd: input.jsonLd
	};
}
