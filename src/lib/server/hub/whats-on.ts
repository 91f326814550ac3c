/**
 * The hub's "What's on": one calendar of the upcoming events of every collective that opted in
 * (Settings → "List our events in the hub calendar"), by day, filterable by collective, city and tag,
 * as a page, an iCalendar feed and an Atom feed. Each entry links to the event on its own site's
 * primary domain. Reads only; the page and the feeds share the filter parsing and the query.
 *
 * Places: a city comes from the collective's settings (`site.hub_city`); a venue is one of a site's
 * places (`?place=<site slug>.<place slug>`), and narrows to that site. Tags are per site; the
 * filter names a tag by its slug, so "film" shows every listed site's events tagged "film".
 */
import { z } from 'zod';
import { Feed } from 'feed';
import ical, { ICalEventStatus } from 'ical-generator';
import { AppError } from '../errors';
import {
	citiesOf,
	findWhatsOnPlace,
	listWhatsOn,
	placeKey,
	listWhatsOnPlaces,
	listWhatsOnSites,
	listWhatsOnTags,
	type WhatsOnEvent,
	type WhatsOnFilter,
	type WhatsOnPlace,
	type WhatsOnSite
} from '../queries/whats-on';
import { env } from '../env';
import { canonicalUrl, publicOrigin } from '../urls';
import { describeWhen, isoInZone } from '../../event-time';
import { absoluteUrlsIn, calendarTextOf, storedHtmlOf } from '../rich-text';
import { escapeHtml } from '../escape';
import { eventJsonLd } from '../public-site/event-json-ld';
import { calendarText } from '../public-site/calendar';
import { formatter } from '../../time';
import { intlLocale } from '../../i18n';
import { getLocale } from '../../paraglide/runtime';
import { m } from '../../paraglide/messages';
import type { RequestEvent } from '@sveltejs/kit';

export const WHATS_ON_PER_PAGE = 30;
/** Feeds carry more than a page, but stay bounded. */
const FEED_LIMIT = 300;

type UrlEvent = Pick<RequestEvent, 'url'> & { platform?: unknown };

const SLUG = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** `<site slug>.<place slug>` (queries/whats-on.ts placeKey). */
const PLACE_KEY = new RegExp(`^${SLUG}\\.${SLUG}$`);

const querySchema = z.object({
	site: z
		.string()
		.trim()
		.toLowerCase()
		.regex(new RegExp(`^${SLUG}$`))
		.optional()
		.catch(undefined),
	city: z.string().trim().max(80).optional(),
	tag: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/)
		.optional()
		.catch(undefined),
	page: z.coerce.number().int().min(1).max(1000).default(1)
});
const PARAMS = ['site', 'city', 'place', 'tag', 'page'] as const;

export interface WhatsOnQuery {
	filter: WhatsOnFilter;
	page: number;
}

/**
 * The filter and page a URL asks for; junk in `page` or `place` is a 400 (a place is never
 * guessed from junk: showing everything would pass for that venue's list), an empty value is none.
 */
export function parseWhatsOnQuery(url: URL): WhatsOnQuery {
	const raw = Object.fromEntries(PARAMS.map((k) => [k, url.searchParams.get(k) || undefined]));
	const parsed = querySchema.safeParse(raw);
	if (!parsed.success) throw new AppError('bad_request', m.fediverse_whats_on_no_page());
	const place = raw.place?.trim().toLowerCase();
	if (place && !PLACE_KEY.test(place)) throw new AppError('bad_request', m.fediverse_whats_on_no_place());
	const { site, city, tag, page } = parsed.data;
	return { filter: { ...(site ? { site } : {}), ...(city ? { city } : {}), ...(place ? { place } : {}), ...(tag ? { tag } : {}) }, page };
}

/** `?site=…&city=…&place=…&tag=…` in a fixed order (links, feeds, cache keys), with `extra` added. */
export function whatsOnSearch(filter: WhatsOnFilter, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams();
	if (filter.site) params.set('site', filter.site);
	if (filter.city) params.set('city', filter.city);
	if (filter.place) params.set('place', filter.place);
	if (filter.tag) params.set('tag', filter.tag);
	for (const [k, v] of Object.entries(extra)) params.set(k, v);
	const s = params.toString();
	return s ? `?${s}` : '';
}

/** What a rendered calendar depends on, for the hub calendar cache (whats-on-cache.ts). */
export interface WhatsOnDependencies {
	/** Sites whose change may change this answer. */
	sites: string[];
	/** Not filtered by collective (nor by a place, which names one): a site newly listed (or moved city) may appear here. */
	unscoped: boolean;
	/** Epoch ms when the answer goes stale by itself (an event on it ends), or null. */
	freshUntil: number | null;
}

function dependencies(filter: WhatsOnFilter, candidates: WhatsOnSite[], rows: WhatsOnEvent[]): WhatsOnDependencies {
	const ends = rows.map((r) => (r.event.endsAt ?? r.event.startsAt).getTime());
	return {
		sites: candidates.map((s) => s.id),
		unscoped: !filter.site && !filter.place,
		freshUntil: ends.length ? Math.min(...ends) : null
	};
}

function siteHost(site: WhatsOnSite): string {
	return site.primaryHost ?? `${site.slug}.${env().PLATFORM_DOMAIN}`;
}

export function eventUrlOf(row: WhatsOnEvent, event: UrlEvent): string {
	return canonicalUrl(siteHost(row.site), `/events/${row.event.slug}`, event);
}

interface Scope {
	all: WhatsOnSite[];
	candidates: WhatsOnSite[];
	place: WhatsOnPlace | null;
}

/**
 * The scope of a filter: the listed sites it can show; an unknown collective is a 404, and so is
 * a place that is not one of a listed site's (the same answer whether the site is unknown,
 * unlisted or suspended, or has no such place: nothing tells them apart).
 */
async function scope(filter: WhatsOnFilter): Promise<Scope> {
	const [all, place] = await Promise.all([listWhatsOnSites(), filter.place ? findWhatsOnPlace(filter.place) : undefined]);
	if (filter.place && !place) throw new AppError('not_found', m.fediverse_whats_on_no_place());
	const candidates = all.filter(
		(s) =>
			(!filter.site || s.slug === filter.site) &&
			(!filter.city || s.city.trim().toLowerCase() === filter.city.toLowerCase()) &&
			(!place || s.id === place.siteId)
	);
	if (filter.site && !all.some((s) => s.slug === filter.site)) throw new AppError('not_found', m.fediverse_whats_on_no_collective());
	return { all, candidates, place: place ?? null };
}

export interface WhatsOnEntry {
	id: string;
	title: string;
	url: string;
	cancelled: boolean;
	time: string;
	place: string;
	/** The venue's filter value when it is one of the site's places. */
	placeKey: string | null;
	collective: { name: string; slug: string; city: string };
}

export interface WhatsOnDay {
	date: string;
	label: string;
	entries: WhatsOnEntry[];
}

export interface WhatsOnPage {
	days: WhatsOnDay[];
	total: number;
	page: number;
	pages: number;
	filter: WhatsOnFilter;
	collectives: { slug: string; name: string }[];
	cities: string[];
	/** Venues of the sites this filter can show (so the choices change with the same sites' changes). */
	places: { key: string; name: string }[];
	/** The chosen venue, named. */
	place: { key: string; name: string; collective: string } | null;
	tags: { slug: string; name: string }[];
	jsonLd: Record<string, unknown>;
	feeds: { ics: string; atom: string };
	dependencies: WhatsOnDependencies;
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };

/** The calendar page: a page of events grouped by their day (in each collective's own zone). */
export async function loadWhatsOn(query: WhatsOnQuery, event: UrlEvent, now = new Date()): Promise<WhatsOnPage> {
	const { filter, page } = query;
	const { all, candidates, place } = await scope(filter);
	const [tags, places] = await Promise.all([
		listWhatsOnTags(now),
		listWhatsOnPlaces(
			now,
			candidates.map((s) => s.id)
		)
	]);
	const { rows, total } = candidates.length
		? await listWhatsOn(now, filter, page, WHATS_ON_PER_PAGE)
		: { rows: [] as WhatsOnEvent[], total: 0 };
	const pages = Math.max(1, Math.ceil(total / WHATS_ON_PER_PAGE));
	if (page > pages) throw new AppError('not_found', m.fediverse_whats_on_no_page());

	const days: WhatsOnDay[] = [];
	const dayFormat = formatter(intlLocale(getLocale(), 'UTC'), 'UTC', DAY);
	for (const row of rows) {
		const date = isoInZone(row.event.startsAt, row.site.timezone, true);
		let day = days.at(-1);
		if (day?.date !== date) {
			day = { date, label: dayFormat.format(new Date(`${date}T12:00:00Z`)), entries: [] };
			days.push(day);
		}
		const when = describeWhen(row.event, row.site.timezone);
		day.entries.push({
			id: row.event.id,
			title: row.event.title,
			url: eventUrlOf(row, event),
			cancelled: row.event.status === 'cancelled',
			time: when.time || when.date,
			place: [row.event.venueName, row.event.venueAddress].filter(Boolean).join(', '),
			placeKey: row.placeSlug ? placeKey(row.site.slug, row.placeSlug) : null,
			collective: { name: row.site.name, slug: row.site.slug, city: row.site.city }
		});
	}
	// Days are grouped in each collective's zone; a later event in a zone ahead can open a day
	// already listed: merge such days (rows stay in start order within a day).
	const merged = new Map<string, WhatsOnDay>();
	for (const day of days) {
		const seen = merged.get(day.date);
		if (seen) seen.entries.push(...day.entries);
		else merged.set(day.date, day);
	}

	const hub = publicOrigin(env().PLATFORM_DOMAIN, event);
	return {
		days: [...merged.values()].sort((a, b) => a.date.localeCompare(b.date)),
		total,
		page,
		pages,
		filter,
		collectives: all.map((s) => ({ slug: s.slug, name: s.name })),
		cities: citiesOf(all),
		places: placeChoices(places, place, candidates.length > 1),
		place: place && { key: place.key, name: place.name, collective: place.siteName },
		tags,
		jsonLd: {
			'@context': 'https://schema.org',
			'@type': 'ItemList',
			name: m.fediverse_whats_on_title(),
			url: `${hub}/whats-on${whatsOnSearch(filter, page > 1 ? { page: String(page) } : {})}`,
			numberOfItems: rows.length,
			itemListElement: rows.map((row, i) => {
				const { '@context': _context, ...item } = eventJsonLd(row.event, row.site, {
					event: eventUrlOf(row, event),
					site: `${publicOrigin(siteHost(row.site), event)}/`,
					image: null
				});
				void _context;
				return { '@type': 'ListItem', position: (page - 1) * WHATS_ON_PER_PAGE + i + 1, item };
			})
		},
		feeds: { ics: `${hub}/whats-on.ics${whatsOnSearch(filter)}`, atom: `${hub}/whats-on.xml${whatsOnSearch(filter)}` },
		dependencies: dependencies(filter, candidates, rows)
	};
}

/**
 * The venue choices: each named with its collective when several collectives' places are listed
 * (two sites may both have a "Hall"); the chosen one stays listed even with nothing coming there.
 */
function placeChoices(places: WhatsOnPlace[], chosen: WhatsOnPlace | null, named: boolean) {
	const all = chosen && !places.some((p) => p.key === chosen.key) ? [chosen, ...places] : places;
	return all.map((p) => ({ key: p.key, name: named ? `${p.name} · ${p.siteName}` : p.name }));
}

async function feedRows(query: WhatsOnQuery, now: Date) {
	const { candidates, place } = await scope(query.filter);
	const { rows } = candidates.length ? await listWhatsOn(now, query.filter, 1, FEED_LIMIT) : { rows: [] as WhatsOnEvent[] };
	return { rows, place, deps: dependencies(query.filter, candidates, rows) };
}

function feedTitle(filter: WhatsOnFilter, rows: WhatsOnEvent[], place: WhatsOnPlace | null): string {
	const collective = filter.site ? (rows[0]?.site.name ?? filter.site) : null;
	const base = m.fediverse_whats_on_title();
	return [base, collective, filter.city, place?.name, filter.tag && `#${filter.tag}`].filter(Boolean).join(' · ');
}

/**
 * The calendar as iCalendar. Collectives live in different zones, so times are written in UTC
 * (every reader converts them); UIDs are the events' ids, as in each site's own feed, so a
 * subscriber to both sees one event.
 */
export async function whatsOnCalendar(query: WhatsOnQuery, event: UrlEvent, now = new Date()) {
	const { rows, place, deps } = await feedRows(query, now);
	const hub = publicOrigin(env().PLATFORM_DOMAIN, event);
	const calendar = ical({
		name: feedTitle(query.filter, rows, place),
		prodId: { company: 'Collective Hub', product: 'Whats on', language: getLocale().toUpperCase() },
		url: `${hub}/whats-on${whatsOnSearch(query.filter)}`,
		ttl: 3600
	});
	for (const row of rows) {
		const e = row.event;
		const url = eventUrlOf(row, event);
		calendar.createEvent({
			id: e.id,
			start: e.startsAt,
			end: e.endsAt,
			allDay: e.allDay,
			stamp: e.updatedAt,
			created: e.createdAt,
			lastModified: e.updatedAt,
			summary: e.status === 'cancelled' ? `${m.cancelled_prefix()}${e.title}` : e.title,
			description: [row.site.name, calendarTextOf(e.description, e), url].filter(Boolean).join('\n\n'),
			location:
				e.venueName || e.venueAddress ? { title: e.venueName || e.venueAddress, address: e.venueName ? e.venueAddress : undefined } : null,
			url,
			status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED
		});
	}
	return { text: calendarText(calendar), dependencies: deps };
}

/** The calendar as an Atom feed (RFC 4287): one entry per event, `updated` its last change. */
export async function whatsOnFeed(query: WhatsOnQuery, event: UrlEvent, now = new Date()) {
	const { rows, place, deps } = await feedRows(query, now);
	const hub = publicOrigin(env().PLATFORM_DOMAIN, event);
	const search = whatsOnSearch(query.filter);
	const updated = rows.reduce((max, r) => (r.event.updatedAt > max ? r.event.updatedAt : max), new Date(0));
	const feed = new Feed({
		title: feedTitle(query.filter, rows, place),
		id: `${hub}/whats-on.xml${search}`,
		link: `${hub}/whats-on${search}`,
		language: getLocale(),
		updated,
		generator: 'Collective Hub',
		feedLinks: { atom: `${hub}/whats-on.xml${search}` },
		copyright: env().PLATFORM_DOMAIN
	});
	for (const row of rows) {
		const e = row.event;
		const when = describeWhen(e, row.site.timezone);
		const cancelled = e.status === 'cancelled';
		const where = [e.venueName, e.venueAddress].filter(Boolean).join(', ');
		const summary = `${cancelled ? `${m.cancelled()}. ` : ''}${when.label}${where ? ` · ${where}` : ''} · ${row.site.name}`;
		feed.addItem({
			title: escapeHtml(cancelled ? `${m.cancelled_prefix()}${e.title}` : e.title),
			id: `urn:uuid:${e.id}`,
			link: eventUrlOf(row, event),
			date: e.updatedAt,
			published: e.createdAt,
			author: [{ name: row.site.name, link: `${publicOrigin(siteHost(row.site), event)}/` }],
			description: escapeHtml(summary),
			content: `<p><strong>${escapeHtml(summary)}</strong></p>${absoluteUrlsIn(storedHtmlOf(e.description, e), publicOrigin(siteHost(row.site), event))}`
		});
	}
	return { text: feed.atom1(), dependencies: deps };
}
