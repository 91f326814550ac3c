/**
 * The page visitors of a suspended site see (410 Gone): the site's own name, colours and fonts,
 * so it reads as "this collective is taking a break" rather than as a platform error. Rendered as
 * one self-contained HTML string because it is answered from a hook, before any route runs.
 */
import type { SiteContext } from '../hosts/site-context';
import { themeCss } from '../../theme-css';
import { imageSource } from '../../media-url';
import { mediaBase } from '../media-base';
import { escapeHtml } from '../escape';
import { m } from '../../paraglide/messages';
import { getLocale } from '../../paraglide/runtime';
import { textDirection } from '../../i18n';

export function pausedPageHtml(site: Pick<SiteContext, 'name' | 'theme' | 'logo'>): string {
	const logo = site.logo ? imageSource(mediaBase(), site.logo, 256) : null;
	const img = logo
		? `<img src="${escapeHtml(logo.src)}" alt="" width="${logo.width}" height="${logo.height}">`
		: `<div class="mark" aria-hidden="true">${escapeHtml(site.name.trim().charAt(0).toUpperCase() || '•')}</div>`;
	return `<!doctype html>
<html lang="${getLocale()}" dir="${textDirection(getLocale())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(m.site_paused_title({ site: site.name }))}</title>
<style>
${themeCss(site.theme)}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--text);font:1.0625rem/1.6 var(--font-body);padding:1.5rem}
main{max-width:34rem;text-align:center}
img{width:5rem;height:5rem;object-fit:contain;border-radius:1rem}
.mark{width:4.5rem;height:4.5rem;margin:0 auto;border-radius:50%;display:grid;place-items:center;background:var(--accent);color:var(--on-accent);font:700 2rem/1 var(--font-heading)}
h1{font:700 clamp(1.8rem,6vw,2.6rem)/1.15 var(--font-heading);margin:1.25rem 0 .75rem;text-wrap:balance}
p{margin:0;color:var(--muted)}
.bar{width:3rem;height:.25rem;margin:1.5rem auto 0;border-radius:1rem;background:var(--accent)}
</style>
</head>
<body>
<main>
${img}
<h1>${escapeHtml(m.site_paused_title({ site: site.name }))}</h1>
<p>${escapeHtml(m.site_paused_text())}</p>
<div class="bar" aria-hidden="true"></div>
</main>
</body>
</html>
`;
}

export function pausedPage(site: Pick<SiteContext, 'name' | 'theme' | 'logo'>): Response {
	return new Response(pausedPageHtml(site), {
		status: 410,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' }
	});
}
