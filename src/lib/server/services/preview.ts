/**
 * "Update preview" of a Markdown field: the posted text through the same renderer as the public
 * page (the site's images with their sizes, event cards), server-side, nothing saved (a plain form
 * submit, so it works without JavaScript).
 */
import { siteRead } from '../db';
import { prepareRichText } from '../rich-text';
import { allow, type SiteActor } from './actor';

export async function previewMarkdown(actor: SiteActor, text: unknown, max = Infinity): Promise<string> {
	const who = allow(actor, 'content.edit');
	const markdown = typeof text === 'string' ? text.slice(0, max) : '';
	return (await siteRead(who.site.id, () => prepareRichText(who.site, markdown))).html;
}
