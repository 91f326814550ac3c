import { describe, expect, it } from 'vitest';
import { plainText, plainTextBlocks, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
	it('renders ordinary Markdown', () => {
		const html = renderMarkdown('# Title\n\nSome **bold** and [a link](/about).\n\n- one\n- two');
		expect(html).toContain('<h2>Title</h2>');
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('<a href="/about">a link</a>');
		expect(html).toContain('<li>one</li>');
	});

	it('drops scripts, event handlers and javascript: links', () => {
		const html = renderMarkdown(
			[
				'Hello <script>alert(1)</script>',
				'<img src="x" onerror="alert(2)">',
				'[click](javascript:alert(3)) <a href="JaVaScRiPt:alert(4)">b</a> <a href="java&#x09;script:alert(5)">c</a>',
				'<iframe src="https://evil.example"></iframe><svg onload="alert(6)"><circle/></svg>',
				'<a href="data:text/html,<script>alert(7)</script>">d</a> <p style="background:url(javascript:alert(8))" onclick="alert(9)">p</p>',
				'<form action="https://evil.example"><input name="x"></form>'
			].join('\n\n')
		);
		expect(html).not.toMatch(/<script|<iframe|<svg|<form|<input/i);
		expect(html).not.toMatch(/\son\w+=/i);
		expect(html).not.toMatch(/javascript:|data:text/i);
		expect(html).not.toMatch(/style=/i);
		expect(html).not.toContain('alert(1)');
		expect(html).toContain('Hello');
	});

	it('marks external links noopener and leaves internal links alone', () => {
		const html = renderMarkdown('[out](https://example.org/x) [in](/events) <a href="https://a.example" rel="opener">x</a>');
		expect(html).toContain('<a href="https://example.org/x" rel="noopener">out</a>');
		expect(html).toContain('<a href="/events">in</a>');
		expect(html).toContain('<a href="https://a.example" rel="noopener">x</a>');
	});

	it('keeps only http(s) images, lazily loaded', () => {
		const html = renderMarkdown('![poster](https://cdn.example/p.webp) ![bad](data:image/png;base64,AAAA)');
		expect(html).toContain('<img src="https://cdn.example/p.webp" alt="poster" loading="lazy" decoding="async" />');
		expect(html).not.toContain('data:image');
	});

	it('returns an empty string for blank input', () => {
		expect(renderMarkdown('  \n ')).toBe('');
	});
});

describe('plainText', () => {
	it('strips markup and decodes entities once', () => {
		expect(plainText('**Fish & chips** <b>at</b> "the" <script>x()</script>pier')).toBe('Fish & chips at "the" pier');
	});

	it('cuts at a word boundary with an ellipsis', () => {
		const text = plainText('one two three four five six seven eight nine ten', 20);
		expect(text.length).toBeLessThanOrEqual(20);
		expect(text).toBe('one two three four…');
	});
});

describe('plainTextBlocks', () => {
	it('keeps paragraphs and list items apart', () => {
		expect(plainTextBlocks('First para.\n\n- a\n- b\n\nLast, with ; and ,')).toBe('First para.\n\n• a\n• b\n\nLast, with ; and ,');
	});
});
