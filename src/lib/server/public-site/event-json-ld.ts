/** schema.org `Event` for an event page (https://schema.org/Event, Google's event guidelines). */
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { eventIsoRange } from '../../event-time';
import { safeHref } from '../../safe-url';
import { plainText } from '../markdown';

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
			...(row.venueAddress ? { address: { '@type': 'PostalAddress', streetAddress: row.venueAddress } } : {})
		},
		...(row.description ? { description: plainText(row.description, 500) } : {}),
		...(urls.image ? { image: [urls.image] } : {}),
		url: urls.event,
		organizer: { '@type': 'Organization', name: site.name, url: urls.site },
		...(ticket && /^https?:/.test(ticket) ? { offers: { '@type': 'Offer', url: ticket } } : {})
	};
}
