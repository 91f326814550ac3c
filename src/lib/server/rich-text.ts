/**
 * Rich text (home intro, page bodies, event descriptions) beside its Markdown: rendered and
 * sanitized once, when it is written, and stored in the row's `html` column with the renderer's
 * version (db/schema/content.ts). A public render reads that column and never runs Markdown or
 * the sanitizer; a row written by an older renderer (or by a writer that changed the Markdown
 * without rendering it: version 0) is rendered on the fly until the rich-text job stores it.
 *
 * Two constructs go beyond plain Markdown, both rendered from the site's own rows only:
 *   - images from the site's media library (`![alt](<media base>sites/<slug>/<kind>/<id>-<w>.webp)`)
 *     get `srcset`/`sizes` from the asset's WebP variants and its size. A URL in the shape of a
 *     media key that is not one of this site's assets (another site's id or key) is refused on
 *     save and never rendered;
 *   - an event card, `:::event {slug="film-night"} :::` on a line of its own (Tiptap's atom block
 *     syntax, which the editor writes): the site's published event with that address, as a card.
 */
import { Marked, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import { getAssetsByIds, type AssetRow } from './queries/assets';
import { embeddableEvents } from './queries/rich-text';
import { escapeHtml } from './escape';
import { mediaBase } from './media-base';
import { sanitizeRendered } from './markdown';
import { imageSource } from '../media-url';
import { describeWhen } from '../event-time';
import { m } from '../paraglide/messages';
import type { Locale } from '../i18n';

import { RENDER_VERSION } from './rich-text-version';

export { RENDER_VERSION };

/** `sizes` of an image in text: the reading column is at most ~46rem wide. */
const TEXT_IMAGE_SIZES = '(min-width: 48rem) 46rem, 100vw';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The variant key at the end of a media URL: `sites/<slug>/<kind>/<id>-<width>.webp`. */
const MEDIA_KEY = new RegExp(`(?:^|/)(sites/[a-z0-9-]{1,63}/[a-z]+/(${UUID}))-[1-9][0-9]{0,4}\\.webp$`, 'i');
/** The Markdown of an event card (slugs are lower-case words and dashes). */
const EVENT_EMBED = /^ {0,3}:::event\s+\{\s*slug="([a-z0-9][a-z0-9-]{0,99})"\s*\}\s*:::[ \t]*(?:\n|$)/;
const EVENT_EMBED_ANYWHERE = /^ {0,3}:::event\s+\{\s*slug="([a-z0-9][a-z0-9-]{0,99})"\s*\}\s*:::[ \t]*$/gm;
/** Markdown image and bare-HTML image sources, for finding the assets a text refers to. */
const IMAGE_URLS = /!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)/gi;

export interface EventCard {
	slug: string;
	title: string;
	when: string;
	venue: string;
	cancelled: boolean;
	cancelledLabel: string;
}

export interface RichTextContext {
	/** The site's assets the text names, by id. */
	images: Map<string, AssetRow>;
	/** The site's public events the text embeds, by slug. */
	events: Map<string, EventCard>;
	mediaBase: string;
}

export interface RenderSite {
	id: string;
	timezone: string;
	locale: Locale;
}

/** The asset a media URL names (id and key base), or null when the URL is not a media key. */
export function mediaReference(url: string): { id: string; cdnKey: string } | null {
	const path = url.split(/[?#]/, 1)[0] ?? '';
	const m = MEDIA_KEY.exec(path);
	return m ? { cdnKey: m[1]!, id: m[2]!.toLowerCase() } : null;
}

/** What a text refers to: the media it names and the events it embeds. */
export function references(markdown: string): { media: { id: string; cdnKey: string; url: string }[]; eventSlugs: string[] } {
	const media = [];
	for (const m of markdown.matchAll(IMAGE_URLS)) {
		const url = m[1] ?? m[2] ?? '';
		const ref = mediaReference(url);
		if (ref) media.push({ ...ref, url });
	}
	const eventSlugs = [...new Set([...markdown.matchAll(EVENT_EMBED_ANYWHERE)].map((m) => m[1]!))];
	return { media, eventSlugs };
}

let context: RichTextContext | null = null;

const eventEmbed: TokenizerAndRendererExtension = {
	name: 'eventEmbed',
	level: 'block',
	start(src) {
		return src.match(/^ {0,3}:::event\b/m)?.index;
	},
	tokenizer(src) {
		const m = EVENT_EMBED.exec(src);
		return m ? { type: 'eventEmbed', raw: m[0], slug: m[1]! } : undefined;
	},
	renderer(token) {
		const card = context?.events.get(String(token.slug));
		if (!card) return '';
		const details = [card.when, card.venue].filter(Boolean).map(escapeHtml).join(' · ');
		const status = card.cancelled ? `<span class="event-card-status">${escapeHtml(card.cancelledLabel)}</span>` : '';
		return `<aside class="event-card"><a href="/events/${card.slug}"><strong>${escapeHtml(card.title)}</strong><span>${details}</span>${status}</a></aside>\n`;
	}
};

function renderImage(token: Tokens.Image): string {
	const ref = mediaReference(token.href);
	const alt = escapeHtml(token.text);
	if (!ref) return `<img src="${escapeHtml(token.href)}" alt="${alt}"${token.title ? ` title="${escapeHtml(token.title)}"` : ''}>`;
	const asset = context?.images.get(ref.id);
	// Not this site's image (another site's id, or its key with this site's id): nothing.
	if (!asset || asset.cdnKey.toLowerCase() !== ref.cdnKey.toLowerCase()) return '';
	const source = imageSource(context!.mediaBase, asset, 960);
	return (
		`<img src="${escapeHtml(source.src)}" srcset="${escapeHtml(source.srcset)}" sizes="${TEXT_IMAGE_SIZES}"` +
		` width="${source.width}" height="${source.height}" alt="${alt}">`
	);
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({ extensions: [eventEmbed], renderer: { image: renderImage } });

/** Raw HTML images in the text go through the same check as Markdown ones. */
function rawImages(html: string): string {
	return html.replace(/<img\b[^>]*>/gi, (tag) => {
		const src = /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1];
		if (!src || !mediaReference(src)) return tag;
		const alt = /\balt\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? '';
		return renderImage({ type: 'image', raw: tag, href: src, title: null, text: alt, tokens: [] });
	});
}

/** Safe HTML for a text, with the context's images and event cards. Pure and synchronous. */
export function renderRichText(markdown: string, ctx: RichTextContext): string {
	if (!markdown.trim()) return '';
	context = ctx;
	try {
		return sanitizeRendered(rawImages(marked.parse(markdown) as string));
	} finally {
		context = null;
	}
}

const emptyContext = (): RichTextContext => ({ images: new Map(), events: new Map(), mediaBase: mediaBase() });

export interface PreparedText {
	html: string;
	renderVersion: number;
	/** Media URLs in the text that are not this site's images (refused on save). */
	foreignMedia: string[];
}

/** Render a text for storing: looks up the site's images and events it names (site id in every WHERE). */
export async function prepareRichText(site: RenderSite, markdown: string): Promise<PreparedText> {
	const refs = references(markdown);
	const [assets, rows] = await Promise.all([
		getAssetsByIds(
			site.id,
			refs.media.map((r) => r.id)
		),
		embeddableEvents(site.id, refs.eventSlugs)
	]);
	const events = new Map<string, EventCard>(
		rows.map((r) => [
			r.slug,
			{
				slug: r.slug,
				title: r.title,
				when: describeWhen(r, site.timezone).label,
				venue: r.venueName,
				cancelled: r.status === 'cancelled',
				cancelledLabel: m.cancelled({}, { locale: site.locale })
			}
		])
	);
	const images = new Map(assets.map((a) => [a.id, a]));
	const foreignMedia = refs.media.filter((r) => images.get(r.id)?.cdnKey.toLowerCase() !== r.cdnKey.toLowerCase()).map((r) => r.url);
	return { html: renderRichText(markdown, { images, events, mediaBase: mediaBase() }), renderVersion: RENDER_VERSION, foreignMedia };
}

/** A row's stored rendering of its text. */
export interface StoredHtml {
	html: string;
	renderVersion: number;
}

export const isFresh = (stored: StoredHtml) => stored.renderVersion === RENDER_VERSION;

/** The HTML to show for a row's text: the stored one, or (stale row) rendered now. */
export async function htmlOf(site: RenderSite, markdown: string, stored: StoredHtml): Promise<string> {
	return isFresh(stored) ? stored.html : (await prepareRichText(site, markdown)).html;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * Plain text of stored HTML (sanitizer output, so every `<` in text is `&lt;` and a tag is all
 * between `<` and `>`): block ends become spaces, whitespace collapsed, cut at a word boundary.
 */
export function plainTextOfHtml(html: string, maxLength = Infinity): string {
	if (!html) return '';
	const text = html
		.replace(/<\/(p|li|h\d|blockquote|pre|tr|dd|dt|ul|ol|aside)>|<br\s*\/?>/g, ' ')
		.replace(/<[^>]*>/g, '')
		.replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)
		.replace(/\s+/g, ' ')
		.trim();
	if (text.length <= maxLength) return text;
	const cut = text.slice(0, maxLength - 1);
	const space = cut.lastIndexOf(' ');
	return `${(space > maxLength * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
 * A row's HTML without any lookup (feeds, excerpts): the stored one; a stale row (until the
 * rich-text job re-renders it) is rendered now without images or cards.
 */
export function storedHtmlOf(markdown: string, stored: StoredHtml): string {
	return isFresh(stored) ? stored.html : renderRichText(markdown, emptyContext());
}

/** Text of a stored row without any lookup (excerpts). */
export function excerptOf(markdown: string, stored: StoredHtml, maxLength: number): string {
	return plainTextOfHtml(storedHtmlOf(markdown, stored), maxLength);
}

/**
 * Plain text of stored HTML that keeps blocks apart, for calendars (DESCRIPTION is plain text):
 * paragraphs and headings separated by a blank line, list items on lines of their own with a
 * bullet, line breaks kept. String work on sanitizer output (see plainTextOfHtml), so a calendar
 * request runs neither Markdown nor the sanitizer.
 */
export function plainTextBlocksOfHtml(html: string): string {
	if (!html) return '';
	return (
		html
			// Source line breaks carry no meaning in HTML; the block ends below decide the lines.
			.replace(/>\s*\n\s*</g, '><')
			.replace(/\n/g, ' ')
			.replace(/<li\b[^>]*>/g, '$&• ')
			.replace(/<\/(p|li|h\d|blockquote|pre|tr|dd|dt|ul|ol|aside)>/g, (tag) => (tag === '</li>' ? `${tag}\n` : `${tag}\n\n`))
			.replace(/<br\s*\/?>/g, '\n')
			.replace(/<[^>]*>/g, '')
			.replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)
			.split('\n')
			.map((line) => line.replace(/[ \t]+/g, ' ').trim())
			.join('\n')
			.replace(/\n{3,}/g, '\n\n')
			.trim()
	);
}

/** A row's text for a calendar: plain text of its stored HTML. */
export const calendarTextOf = (markdown: string, stored: StoredHtml) => plainTextBlocksOfHtml(storedHtmlOf(markdown, stored));

/**
 * Stored HTML for a document read away from the site's host (the hub's feed): root-relative
 * links and images (event cards, local media) made absolute on the site's origin.
 */
export function absoluteUrlsIn(html: string, origin: string): string {
	return html
		.replace(/\b(href|src)="\/(?!\/)/g, `$1="${origin}/`)
		.replace(/\bsrcset="([^"]*)"/g, (_, set: string) => `srcset="${set.replace(/(^|,\s*)\/(?!\/)/g, `$1${origin}/`)}"`);
}
