/**
 * Rich text on save, and the job that re-renders stored HTML written by an older renderer
 * (server/rich-text.ts says what is stored and why).
 */
import { invalidInput } from '../errors';
import { siteRead } from '../db';
import { prepareRichText, type RenderSite } from '../rich-text';
import { staleTexts, storeRendered, textsEmbedding } from '../queries/rich-text';
import { getSiteById } from '../queries/sites';
import { isLocale, baseLocale } from '../../i18n';
import { m } from '../../paraglide/messages';
import { systemActor } from './actor';
import { write } from './write';

/**
 * The HTML to store with a text being saved. An image that is not from this site's library
 * (another site's id or key) is refused on the text's field: it would not be shown anyway.
 */
export async function renderForSave(site: RenderSite, markdown: string, field: string): Promise<{ html: string; renderVersion: number }> {
	const text = await siteRead(site.id, () => prepareRichText(site, markdown));
	if (text.foreignMedia.length) throw invalidInput({ [field]: m.editor_error_foreign_image() });
	return { html: text.html, renderVersion: text.renderVersion };
}

/**
 * Re-render a batch of stale texts (every site), each in its own site's transaction; a text
 * edited meanwhile is left as its editor stored it. Returns how many rows were updated.
 */
export async function rerenderStaleTexts(batch = 200): Promise<number> {
	const rows = await staleTexts(batch);
	const sites = new Map<string, RenderSite | null>();
	let updated = 0;
	for (const row of rows) {
		if (!sites.has(row.siteId)) {
			const s = await getSiteById(row.siteId);
			sites.set(row.siteId, s ? { id: s.id, timezone: s.timezone, locale: isLocale(s.locale) ? s.locale : baseLocale } : null);
		}
		const site = sites.get(row.siteId);
		if (!site) continue;
		const text = await siteRead(site.id, () => prepareRichText(site, row.markdown));
		// Nothing audited: the text visitors see does not change (stale rows are rendered on the fly).
		const stored = await write({ siteId: site.id, actor: systemActor() }, () =>
			storeRendered(row.table, site.id, row.id, row.markdown, text.html)
		);
		if (stored) updated++;
	}
	return updated;
}

/**
 * Inside an event's write: the site's texts showing its card (title, date, state) stored again
 * with the event as it is now; a deleted event's cards disappear.
 */
export async function rerenderEmbeds(site: RenderSite, slug: string): Promise<void> {
	for (const row of await textsEmbedding(site.id, slug)) {
		const text = await prepareRichText(site, row.markdown);
		await storeRendered(row.table, site.id, row.id, row.markdown, text.html);
	}
}
