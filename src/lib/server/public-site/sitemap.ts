/**
 * sitemap.xml (sitemaps.org 0.9) and robots.txt. Only public content (published pages, published
 * or cancelled events), only absolute URLs on the site's primary host. Every value written into
 * the XML goes through `xmlText`.
 */
import { ROBOTS_DISALLOW } from '../../route-namespaces';
import { escapeHtml } from '../escape';

export interface SitemapEntry {
	loc: string;
	lastmod?: Date;
}

export function xmlText(s: string): string {
	// XML 1.0 forbids these characters even as references: drop them, then escape.
	return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}

export function sitemapXml(entries: SitemapEntry[]): string {
	const urls = entries
		.map((e) => {
			const lastmod = e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : '';
			return `  <url><loc>${xmlText(e.loc)}</loc>${lastmod}</url>`;
		})
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}

export function robotsTxt(sitemapUrl: string): string {
	const disallow = ROBOTS_DISALLOW.map((path) => `Disallow: ${path}\n`).join('');
	return `User-agent: *\n${disallow}Allow: /\n\nSitemap: ${sitemapUrl}\n`;
}
