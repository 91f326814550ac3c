/**
 * One layout for every mail: a plain-text part and an HTML part with the site's colours (inline
 * styles and tables, which is what mail clients read), in the site's language (callers render
 * inside `withLocale(site.locale, …)`). Content is given as blocks, so both parts say the same.
 */
import { escapeHtml } from '../escape';
import { themeColors, type Theme } from '../../theme';
import { publicScheme } from '../urls';

export type MailBlock =
	| { kind: 'text'; text: string }
	| { kind: 'button'; label: string; url: string }
	| { kind: 'item'; title: string; url: string; lines: string[]; cancelled?: boolean };

export interface MailContent {
	siteName: string;
	theme: Theme;
	heading: string;
	blocks: MailBlock[];
	/** Small print at the bottom (why you get this), and the unsubscribe link if any. */
	footer: string[];
	unsubscribe?: { label: string; url: string };
}

/** Absolute URL on the site's primary host (mails are built in the worker, outside any request). */
export function siteUrl(primaryHost: string, path: string): string {
	return new URL(path, `${publicScheme(primaryHost)}://${primaryHost}`).href;
}

export function renderMail(content: MailContent): { text: string; html: string } {
	const c = themeColors(content.theme);
	const text: string[] = [content.heading, '='.repeat(Math.min(60, content.heading.length)), ''];
	const html: string[] = [];
	for (const block of content.blocks) {
		if (block.kind === 'text') {
			text.push(block.text, '');
			html.push(`<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(block.text)}</p>`);
		} else if (block.kind === 'button') {
			text.push(`${block.label}: ${block.url}`, '');
			html.push(
				`<p style="margin:24px 0"><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:${c.accent};color:${c.onAccent};text-decoration:none;font-weight:bold">${escapeHtml(block.label)}</a></p>`
			);
		} else {
			text.push(`* ${block.title}`, ...block.lines.map((l) => `  ${l}`), `  ${block.url}`, '');
			html.push(
				`<div style="margin:0 0 12px;padding:12px 16px;background:${c.surface};border-radius:6px"><a href="${escapeHtml(block.url)}" style="color:${c.accentText};font-weight:bold;font-size:17px;text-decoration:${block.cancelled ? 'line-through' : 'none'}">${escapeHtml(block.title)}</a>${block.lines.map((l) => `<div style="color:${c.muted};margin-top:4px">${escapeHtml(l)}</div>`).join('')}</div>`
			);
		}
	}
	text.push('--', ...content.footer);
	if (content.unsubscribe) text.push(`${content.unsubscribe.label}: ${content.unsubscribe.url}`);
	const footer = content.footer.map((l) => escapeHtml(l)).join('<br>');
	const unsubscribe = content.unsubscribe
		? `<br><a href="${escapeHtml(content.unsubscribe.url)}" style="color:${c.muted}">${escapeHtml(content.unsubscribe.label)}</a>`
		: '';
	const page = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.heading)}</title></head>
<body style="margin:0;padding:0;background:${c.background};color:${c.text};font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${c.background}"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px"><tr><td>
<p style="margin:0 0 8px;color:${c.muted};font-size:14px">${escapeHtml(content.siteName)}</p>
<h1 style="margin:0 0 20px;font-size:24px;line-height:1.25;color:${c.text}">${escapeHtml(content.heading)}</h1>
${html.join('\n')}
<p style="margin:32px 0 0;padding-top:16px;border-top:1px solid ${c.muted};color:${c.muted};font-size:13px;line-height:1.5">${footer}${unsubscribe}</p>
</td></tr></table></td></tr></table></body></html>`;
	return { text: text.join('\n'), html: page };
}
