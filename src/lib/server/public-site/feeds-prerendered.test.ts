/**
 * The calendar and the Atom feed read the HTML stored at write time: building them for fresh
 * rows runs neither Markdown nor the sanitizer (both counted here), and the calendar's plain
 * text keeps the blocks the Markdown had. A stale row (an older renderer) is still rendered, so
 * the counters do see a render when one happens.
 */
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ marked: 0, sanitize: 0 }));

vi.mock('marked', async (importOriginal) => {
	const real = await importOriginal<typeof import('marked')>();
	class CountedMarked extends real.Marked<string, string> {
		constructor(...args: ConstructorParameters<typeof real.Marked<string, string>>) {
			super(...args);
			const parse = this.parse;
			this.parse = ((...a: Parameters<typeof parse>) => {
				calls.marked++;
				return parse(...a);
			}) as typeof parse;
		}
	}
	return { ...real, Marked: CountedMarked };
});
vi.mock('sanitize-html', async (importOriginal) => {
	const real = (await importOriginal<{ default: typeof import('sanitize-html') }>()).default;
	const counted = Object.assign((...a: Parameters<typeof real>) => {
		calls.sanitize++;
		return real(...a);
	}, real);
	return { default: counted };
});

const { buildCalendar, calendarText } = await import('./calendar');
const { buildEventsFeed } = await import('./feed');
const { renderRichText, RENDER_VERSION, plainTextBlocksOfHtml } = await import('../rich-text');
const { plainTextBlocks } = await import('../markdown');
type EventRow = import('../queries/events').EventRow;

const MARKDOWN =
	'## Doors at seven\n\nWe show *odd* films & talk.\nSame paragraph.\n\n- bring a cushion\n- bring a friend\n\n> Best worst film.';
const context = { images: new Map(), events: new Map(), mediaBase: '/media/' };
const UPDATED = new Date('2031-01-01T12:00:00Z');

function row(id: string, stored: { html: string; renderVersion: number }): EventRow {
	return {
		id,
		siteId: '00000000-0000-4000-8000-000000000000',
		slug: id,
		title: `Event ${id}`,
		description: MARKDOWN,
		...stored,
		startsAt: new Date('2031-02-01T18:00:00Z'),
		endsAt: null,
		allDay: false,
		venueName: 'Basement',
		venueAddress: '',
		ticketUrl: null,
		imageAssetId: null,
		status: 'published',
		createdAt: UPDATED,
		updatedAt: UPDATED
	} as EventRow;
}

const site = {
	id: '00000000-0000-4000-8000-000000000000',
	name: 'Film club',
	tagline: '',
	description: '',
	timezone: 'Europe/Berlin',
	locale: 'en' as const
};
const both = (rows: EventRow[]) => ({
	ics: calendarText(
		buildCalendar(rows, { site, eventUrl: (s) => `https://film.example/events/${s}`, calendarUrl: 'https://film.example/events' })
	),
	atom: buildEventsFeed(rows, {
		site,
		siteUrl: 'https://film.example/',
		feedUrl: 'https://film.example/feed.xml',
		eventUrl: (s) => `https://film.example/events/${s}`,
		imageUrl: null
	})
});

describe('calendar and feed from the stored HTML', () => {
	const html = renderRichText(MARKDOWN, context);

	it('plain text of the stored HTML keeps the blocks the Markdown had (as the old per-request text did)', () => {
		expect(plainTextBlocksOfHtml(html)).toBe(plainTextBlocks(MARKDOWN));
		expect(plainTextBlocksOfHtml(html)).toBe(
			'Doors at seven\n\nWe show odd films & talk. Same paragraph.\n\n• bring a cushion\n• bring a friend\n\nBest worst film.'
		);
	});

	it('fresh rows: no Markdown and no sanitizer while building either', () => {
		const rows = Array.from({ length: 20 }, (_, i) => row(`e${i}`, { html, renderVersion: RENDER_VERSION }));
		calls.marked = 0;
		calls.sanitize = 0;
		const { ics, atom } = both(rows);
		expect(calls).toEqual({ marked: 0, sanitize: 0 });
		expect(ics.replace(/\r\n /g, '')).toContain(
			'DESCRIPTION:Doors at seven\\n\\nWe show odd films & talk. Same paragraph.\\n\\n• bring a cushion'
		);
		expect(atom).toContain('<p>We show <em>odd</em> films');
	});

	it('a stale row is rendered on the fly (the counters see it)', () => {
		calls.marked = 0;
		calls.sanitize = 0;
		const { ics } = both([row('stale', { html: '', renderVersion: 0 })]);
		expect(calls.marked).toBeGreaterThan(0);
		expect(calls.sanitize).toBeGreaterThan(0);
		expect(ics).toContain('Doors at seven');
	});
});
