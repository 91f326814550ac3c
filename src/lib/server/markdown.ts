/**
 * Rich text (homepage intro, page bodies, event descriptions) is stored as Markdown and rendered
 * here, on the server only: marked turns it into HTML (raw HTML in the source passes through it),
 * then sanitize-html keeps a small allow-list of tags and attributes. No script or style, no
 * event handlers, no javascript:/data: URLs; external links get rel="noopener".
 *
 * Use `renderMarkdown` for every {@html} of member-written text, and `plainText` for meta
 * descriptions, feeds and calendar entries.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { LRUCache } from 'lru-cache';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'hr',
		'h2',
		'h3',
		'h4',
		'h5',
		'h6',
		'strong',
		'b',
		'em',
		'i',
		's',
		'del',
		'ins',
		'mark',
		'sub',
		'sup',
		'small',
		'code',
		'pre',
		'kbd',
		'blockquote',
		'ul',
		'ol',
		'li',
		'dl',
		'dt',
		'dd',
		'a',
		'img',
		'table',
		'thead',
		'tbody',
		'tfoot',
		'tr',
		'th',
		'td',
		'figure',
		'figcaption',
		'abbr',
		// Event cards (server/rich-text.ts).
		'aside',
		'span'
	],
	allowedAttributes: {
		a: ['href', 'title', 'rel'],
		img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
		aside: ['class'],
		span: ['class'],
		th: ['align', 'scope'],
		td: ['align'],
		ol: ['start'],
		abbr: ['title'],
		code: ['class']
	},
	allowedClasses: { code: ['language-*'], aside: ['event-card'], span: ['event-card-status'] },
	allowedSchemes: ['http', 'https', 'mailto', 'tel'],
	allowedSchemesByTag: { img: ['http', 'https'] },
	allowProtocolRelative: false,
	// Dropped with their content, not just unwrapped.
	nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
	transformTags: {
		// The page's own title is the only h1.
		h1: 'h2',
		a: (tagName, attribs) => {
			const href = attribs.href ?? '';
			const attrs: Record<string, string> = { ...attribs };
			delete attrs.rel;
			if (/^https?:/i.test(href)) attrs.rel = 'noopener';
			return { tagName, attribs: attrs };
		},
		img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt ?? '', loading: 'lazy', decoding: 'async' } })
	}
};

const rendered = new LRUCache<string, string>({
	maxSize: 8 * 1024 * 1024,
	sizeCalculation: (html, markdown) => Math.max(1, html.length + markdown.length)
});

/** HTML from a Markdown renderer (member-written text in it) through the allow-list. */
export function sanitizeRendered(html: string): string {
	return sanitizeHtml(html, ALLOWED);
}

/** Safe HTML for a Markdown text written by a site member. */
export function renderMarkdown(markdown: string): string {
	if (!markdown.trim()) return '';
	let html = rendered.get(markdown);
	if (html === undefined) {
		html = sanitizeRendered(marked.parse(markdown) as string);
		rendered.set(markdown, html);
	}
	return html;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

function textOf(markdown: string, blockEnd: string): string {
	// Source line breaks carry no meaning in HTML; the block markers below decide the lines.
	const html = renderMarkdown(markdown)
		.replace(/>\s*\n\s*</g, '><')
		.replace(/\n/g, ' ')
		.replace(/<li>/g, blockEnd === ' ' ? '$&' : '$&• ')
		.replace(/<\/(p|li|h\d|blockquote|pre|tr|dd|dt|ul|ol)>/g, (tag) => (tag === '</li>' ? `${tag}\n` : `${tag}${blockEnd}`))
		.replace(/<br\s*\/?>/g, '$&\n');
	return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e);
}

/**
 * The text of a Markdown source without any markup, whitespace collapsed, cut at a word boundary
 * to at most `maxLength` characters (with an ellipsis). The result is plain text: escape it where
 * it is used (Svelte does).
 */
export function plainText(markdown: string, maxLength = Infinity): string {
	if (!markdown.trim()) return '';
	const text = textOf(markdown, ' ').replace(/\s+/g, ' ').trim();
	if (text.length <= maxLength) return text;
	const cut = text.slice(0, maxLength - 1);
	const space = cut.lastIndexOf(' ');
	return `${(space > maxLength * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** Plain text that keeps paragraphs apart (blank lines) and list items on their own lines: calendars. */
export function plainTextBlocks(markdown: string): string {
	if (!markdown.trim()) return '';
	return textOf(markdown, '\n\n')
		.split('\n')
		.map((line) => line.replace(/[ \t]+/g, ' ').trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
