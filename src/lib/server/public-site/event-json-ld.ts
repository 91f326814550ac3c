/** schema.org `Event` for an event page (https://schema.org/Event, Google's event guidelines). */
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { eventIsoRange } from '../../event-time';
import { safeHref } from '../../safe-url';
import { excerptOf } from '../rich-text';

/**
 * "Weserstraße 7, 12047 Berlin" → street, postal code and town. Split only when the last part
 * reads as "<postal code> <town>" (or "<town> <postal code>", as in the UK and US); anything else
 * stays one streetAddress rather than being guessed wrong.
 */
export function postalAddress(address: string): Record<string, string> {
	const parts = address
		.split(/,|\n/)
		.map((p) => p.trim())
		.filter(Boolean);
	const last = parts.at(-1) ?? '';
	const postalFirst = /^(\d{4,5}|[A-Z]{1,2}-\d{4,5})\s+(\S.*)$/.exec(last);
	const postalLast = /^(\S.*?)\s+(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/.exec(last);
	if (parts.length < 2 || (!postalFirst && !postalLast)) return { '@type': 'PostalAddress', streetAddress: address.trim() };
	const [postalCode, locality] = postalFirst ? [postalFirst[1]!, postalFirst[2]!] : [postalLast![2]!, postalLast![1]!];
	return {
		'@type': 'PostalAddress',
		streetAddress: parts.slice(0, -1).join(', '),
		postalCode,
		addressLocality: locality
	};
}

export function eventJsonLd(
	row: EventRow,
	site: Pick<SiteContext, 'name' | 'timezone'>,
	urls: { event: string; site: string; image: string | null }
): Record<string, unknown> {
	const range = eventIsoRange(row, site.timezone);
	const ticket = safeHref(row.ticketUrl);
	return {
		'@context': 'https://schema.org',
		'@type': 'Event',
		name: row.title,
		startDate: range.start,
		...(range.end ? { endDate: range.end } : {}),
		eventStatus: row.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
		eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
		location: {
			'@type': 'Place',
			name: row.venueName || row.venueAddress || site.name,
			...(row.venueAddress ? { address: postalAddress(row.venueAddress) } : {})
		},
		...(row.description ? { description: excerptOf(row.description, row, 500) } : {}),
		...(urls.image ? { image: [urls.image] } : {}),
		url: urls.event,
		organizer: { '@type': 'Organization', name: site.name, url: urls.site },
		...(ticket && /^https?:/.test(ticket) ? { offers: { '@type': 'Offer', url: ticket } } : {})
	};
}
