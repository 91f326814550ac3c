import { describe, expect, it } from 'vitest';
import type { AssetRow } from './queries/assets';
import { mediaReference, plainTextOfHtml, references, renderRichText, type RichTextContext } from './rich-text';

const ID = '0b7e4a9c-1f2d-4c3b-8a5e-6d7f8091a2b3';
const OTHER = '9f8e7d6c-5b4a-4392-8170-fedcba987654';
const asset = {
	id: ID,
	cdnKey: `sites/film/page/${ID}`,
	variants: [1600, 960, 480],
	width: 3200,
	height: 1600,
	altText: 'lib alt'
} as AssetRow;
const ctx = (over: Partial<RichTextContext> = {}): RichTextContext => ({
	images: new Map([[ID, asset]]),
	events: new Map([
		[
			'film-night',
			{ slug: 'film-night', title: 'Film <night>', when: 'Fri 3 May, 20:00', venue: 'Hall', cancelled: false, cancelledLabel: 'Cancelled' }
		]
	]),
	mediaBase: '/media/',
	...over
});

describe('renderRichText', () => {
	it('gives the site’s own images srcset, sizes, dimensions and the alt text written with them', () => {
		const html = renderRichText(`![Poster of the night](/media/sites/film/page/${ID}-1600.webp)`, ctx());
		expect(html).toContain(`src="/media/sites/film/page/${ID}-960.webp"`);
		expect(html).toContain(
			`srcset="/media/sites/film/page/${ID}-480.webp 480w, /media/sites/film/page/${ID}-960.webp 960w, /media/sites/film/page/${ID}-1600.webp 1600w"`
		);
		expect(html).toMatch(/sizes="\(min-width: 48rem\) 46rem, 100vw"/);
		expect(html).toContain('width="960" height="480"');
		expect(html).toContain('alt="Poster of the night"');
	});

	it('keeps an empty alt (decorative) empty', () => {
		expect(renderRichText(`![](/media/sites/film/page/${ID}-480.webp)`, ctx())).toContain('alt=""');
	});

	it('never renders another site’s image, by id or by key, in Markdown or raw HTML', () => {
		const texts = [
			`![x](/media/sites/other/page/${OTHER}-480.webp)`,
			`![x](https://cdn.example/sites/other/page/${OTHER}-480.webp)`,
			// This site's id under another site's key: the key is checked too.
			`![x](/media/sites/other/page/${ID}-480.webp)`,
			`<img src="/media/sites/other/page/${OTHER}-480.webp" alt="x">`
		];
		for (const text of texts) expect(renderRichText(`Before\n\n${text}\n\nAfter`, ctx())).not.toContain('<img');
	});

	it('renders an event card of the site’s event, escaped, and nothing for an unknown one', () => {
		const html = renderRichText('Intro\n\n:::event {slug="film-night"} :::\n\n:::event {slug="nope"} :::\n\nEnd', ctx());
		expect(html).toContain(
			'<aside class="event-card"><a href="/events/film-night"><strong>Film &lt;night&gt;</strong><span>Fri 3 May, 20:00 · Hall</span></a></aside>'
		);
		expect(html).not.toContain('nope');
		expect(html).toContain('<p>End</p>');
	});

	it('stores nothing executable from hostile pasted HTML', () => {
		const html = renderRichText(
			[
				'<p onclick="alert(1)">Hi <script>alert(2)</script></p>',
				'<a href="javascript:alert(3)">x</a> [y](javascript:alert(4)) <a href="JAVASCRIPT:alert(5)">z</a>',
				'<iframe src="https://evil.example"></iframe><img src="x" onerror="alert(6)">',
				'<img src="https://ok.example/a.png" srcset="javascript:alert(7) 1x">',
				'<aside class="event-card" onmouseover="alert(8)" style="x">fake</aside><object data="x"></object>'
			].join('\n\n'),
			ctx()
		);
		expect(html).not.toMatch(/<script|<iframe|<object|\son\w+=|javascript:|style=/i);
		expect(html).not.toContain('alert(2)');
		expect(html).toContain('Hi');
	});
});

describe('references', () => {
	it('finds media ids and keys in Markdown and HTML images, and embedded event slugs', () => {
		const refs = references(
			`![a](/media/sites/film/page/${ID}-480.webp) <img src="https://cdn.x/sites/b/event/${OTHER}-960.webp">\n\n:::event {slug="film-night"} :::\n`
		);
		expect(refs.media.map((r) => r.id)).toEqual([ID, OTHER]);
		expect(refs.media[1]!.cdnKey).toBe(`sites/b/event/${OTHER}`);
		expect(refs.eventSlugs).toEqual(['film-night']);
		expect(mediaReference('https://example.org/picture.webp')).toBeNull();
	});
});

describe('plainTextOfHtml', () => {
	it('drops tags, decodes entities once, cuts at a word', () => {
		expect(plainTextOfHtml('<h2>Fish &amp; chips</h2><p>at &lt;the&gt; pier</p>')).toBe('Fish & chips at <the> pier');
		expect(plainTextOfHtml('<p>one two three four five six seven</p>', 16)).toBe('one two three…');
	});
});
