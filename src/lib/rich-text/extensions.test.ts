/**
 * Markdown → editor document → Markdown, for every construct the editor offers, through the
 * editor's own Markdown support (the same extensions the browser runs): what is stored comes back
 * unchanged, so a text edited in the editor and in the textarea (no JavaScript) never drifts.
 */
import { describe, expect, it } from 'vitest';
import { MarkdownManager } from '@tiptap/markdown';
import type { JSONContent } from '@tiptap/core';
import { isAllowedHref, richTextExtensions, storedMarkdown } from './extensions';

const manager = new MarkdownManager({ extensions: richTextExtensions() });
const roundTrip = (markdown: string) => storedMarkdown(manager.serialize(manager.parse(markdown)));
const types = (doc: JSONContent): string[] => [
	doc.type!,
	...(doc.content ?? []).flatMap(types),
	...(doc.marks ?? []).map((m) => `mark:${m.type}`)
];

const MEDIA = '/media/sites/film/page/0b7e4a9c-1f2d-4c3b-8a5e-6d7f8091a2b3-1600.webp';

const CONSTRUCTS: Record<string, { markdown: string; node: string }> = {
	'heading 1': { markdown: '# Title', node: 'heading' },
	'heading 2': { markdown: '## Who we are', node: 'heading' },
	'heading 3': { markdown: '### Details', node: 'heading' },
	'heading 4': { markdown: '#### Small print', node: 'heading' },
	paragraphs: { markdown: 'One paragraph.\n\nAnother one.', node: 'paragraph' },
	bold: { markdown: 'We show **bad** films.', node: 'mark:bold' },
	italic: { markdown: 'An *ironic* night.', node: 'mark:italic' },
	'bold italic': { markdown: 'Very ***loud*** indeed.', node: 'mark:italic' },
	strike: { markdown: 'Was ~~Friday~~ Saturday.', node: 'mark:strike' },
	'inline code': { markdown: 'Type `/events` to see them.', node: 'mark:code' },
	link: { markdown: 'Read the [manifesto](https://example.org/manifesto).', node: 'mark:link' },
	'link on this site': { markdown: 'See [all events](/events).', node: 'mark:link' },
	'mail link': { markdown: 'Write to [us](mailto:hi@example.org).', node: 'mark:link' },
	'bold link': { markdown: 'A [**strong** link](https://example.org).', node: 'mark:link' },
	'bulleted list': { markdown: '- popcorn\n- heckling\n- bad dubbing', node: 'bulletList' },
	'numbered list': { markdown: '1. doors\n2. film\n3. talk', node: 'orderedList' },
	'nested list': { markdown: '- snacks\n  - popcorn\n  - nachos\n- drinks', node: 'bulletList' },
	quote: { markdown: '> The worst film ever made.', node: 'blockquote' },
	'quote of two paragraphs': { markdown: '> First.\n>\n> Second.', node: 'blockquote' },
	'horizontal rule': { markdown: 'Above\n\n---\n\nBelow', node: 'horizontalRule' },
	image: { markdown: `![Our projector](${MEDIA})`, node: 'image' },
	'decorative image': { markdown: `![](${MEDIA})`, node: 'image' },
	'event card': { markdown: ':::event {slug="cult-classics"} :::', node: 'eventCard' },
	'code block': { markdown: '```\nnpm start\n```', node: 'codeBlock' }
};

describe('Markdown ↔ editor round trip', () => {
	for (const [name, { markdown, node }] of Object.entries(CONSTRUCTS)) {
		it(name, () => {
			expect(types(manager.parse(markdown))).toContain(node);
			expect(roundTrip(markdown)).toBe(markdown);
		});
	}

	it('a whole page of them together, twice in a row', () => {
		const page = Object.values(CONSTRUCTS)
			.map((c) => c.markdown)
			.join('\n\n');
		expect(roundTrip(page)).toBe(page);
		expect(roundTrip(roundTrip(page))).toBe(page);
	});

	it('keeps an image’s alt text and an event card’s slug as attributes', () => {
		const doc = manager.parse(`![Poster](${MEDIA})\n\n:::event {slug="film-night"} :::`);
		expect(doc.content?.[0]).toMatchObject({ type: 'image', attrs: { src: MEDIA, alt: 'Poster' } });
		expect(doc.content?.[1]).toMatchObject({ type: 'eventCard', attrs: { slug: 'film-night' } });
	});

	it('drops the empty paragraph kept after a last block, not one in the middle', () => {
		expect(storedMarkdown('Text\n\n&nbsp;\n\n&nbsp;\n')).toBe('Text');
		expect(storedMarkdown('A\n\n&nbsp;\n\nB')).toBe('A\n\n&nbsp;\n\nB');
	});
});

describe('isAllowedHref', () => {
	it('allows web, mail and phone links and paths on the site; nothing that runs', () => {
		for (const ok of ['https://example.org/x', 'http://a.b', 'mailto:hi@example.org', 'tel:+49 30 1234', '/events', '/about#team'])
			expect(isAllowedHref(ok), ok).toBe(true);
		for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,x', '//evil.example', 'vbscript:x', 'ftp://x', ''])
			expect(isAllowedHref(bad), bad).toBe(false);
	});
});
