/**
 * "Update preview" of a Markdown field: the posted text through the same sanitizing renderer as
 * the public page, server-side, nothing saved (a plain form submit, so it works without JavaScript).
 */
import { renderMarkdown } from '../markdown';
import { allow, type SiteActor } from './actor';

export function previewMarkdown(actor: SiteActor, text: unknown, max: number): string {
	allow(actor, 'content.edit');
	return renderMarkdown(typeof text === 'string' ? text.slice(0, max) : '');
}
