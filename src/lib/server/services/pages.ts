/**
 * Pages (editors and up). A page lives at /<slug> on the site, so its slug must not shadow one of
 * the site's own paths (the route-namespace table says which).
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput, say, slugify } from '../input';
import { m } from '../../paraglide/messages';
import { siteRead } from '../db';
import {
	createPage,
	deletePage as deletePageRow,
	getPage,
	getPageBySlug,
	listPages,
	pageSlugTaken,
	updatePage,
	type PageRow
} from '../queries/pages';
import { can } from '../auth/permissions';
import { isReservedPageSlug } from '../../route-namespaces';
import { SAVE_INTENTS, publishAtAfterSave, publishAtField, statusAfterSave } from './save-intent';
import { queuePublication } from './scheduled-publishing';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { keepRevision } from './revisions';
import { renderForSave } from './rich-text';

const pageSchema = z.object({
	title: fields.required(200, m.admin_field_title),
	slug: z
		.union([z.literal(''), fields.slug(m.admin_field_web_address)])
		.optional()
		.default(''),
	body: fields.markdown(50_000, m.admin_field_text),
	/** Which button saved it: Publish, Save draft, or Save (keeps the state). */
	intent: z.enum(SAVE_INTENTS, say(m.admin_error_save_intent)).optional(),
	/** The state itself, for clients that set it directly (no button). */
	published: fields.checkbox(),
	/** With "Schedule": when the draft publishes by itself (wall time in the site's timezone). */
	publishAt: publishAtField,
	showInNav: fields.checkbox()
});

const slugTakenMessage = (slug: string) => m.admin_page_slug_taken({ slug });

async function ownPage(siteId: string, id: unknown): Promise<PageRow> {
	const row = isUuid(id) ? await getPage(siteId, id) : undefined;
	if (!row) throw notFound();
	return row;
}

export async function pagesForAdmin(actor: SiteActor): Promise<PageRow[]> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => listPages(who.site.id));
}

export async function pageForEditor(actor: SiteActor, id: unknown): Promise<PageRow> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => ownPage(who.site.id, id));
}

/** Save the editor: `id` null creates a page. */
export async function savePage(actor: SiteActor, id: unknown | null, input: unknown): Promise<PageRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	const existing = id === null ? null : await siteRead(siteId, () => ownPage(siteId, id));
	const data = parseInput(pageSchema, input);
	const slug = data.slug || slugify(data.title);
	if (isReservedPageSlug(slug)) throw invalidInput({ slug: m.admin_page_slug_reserved({ slug }) });
	if (await siteRead(siteId, () => pageSlugTaken(siteId, slug, existing?.id))) throw invalidInput({ slug: slugTakenMessage(slug) });
	const explicit = data.intent === undefined ? (data.published ? 'published' : 'draft') : undefined;
	const published =
		statusAfterSave(data.intent, explicit, existing ? (existing.published ? 'published' : 'draft') : undefined, {
			published: 'published',
			draft: 'draft'
		}) === 'published';
	const schedule = publishAtAfterSave(data.intent, data.publishAt, existing?.publishAt, !published, who.site.timezone, new Date());
	if (!schedule.ok) throw invalidInput({ publishAt: schedule.error });
	const rendered = await renderForSave(who.site, data.body, 'body');
	const values = {
		slug,
		title: data.title,
		body: data.body,
		...rendered,
		published,
		publishAt: schedule.publishAt,
		showInNav: data.showInNav
	};
	return write(
		{ siteId, actor: auditActor(who), unique: { page_site_slug_key: { field: 'slug', message: slugTakenMessage(slug) } } },
		async (w) => {
			const row = existing ? await updatePage(siteId, existing.id, values) : await createPage(siteId, values);
			if (!row) throw notFound(m.admin_page_gone());
			await queuePublication(w, schedule.publishAt);
			await w.audit({ action: existing ? 'page.update' : 'page.create', targetType: 'page', targetId: row.id, target: row.title });
			await keepRevision(w, auditActor(who), { kind: 'page', row }, { created: !existing });
			return row;
		}
	);
}

export async function deletePage(actor: SiteActor, id: unknown, input: unknown): Promise<void> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	await siteRead(siteId, () => ownPage(siteId, id));
	parseInput(z.object({ confirm: fields.confirm() }), input);
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await deletePageRow(siteId, String(id));
		if (!row) throw notFound();
		await w.audit({ action: 'page.delete', targetType: 'page', targetId: row.id, target: row.title });
	});
}

/** The page at /<slug>: published for visitors; drafts too for the people who run the site (preview). */
export async function pageForVisitor(actor: SiteActor, slug: string): Promise<{ row: PageRow; draft: boolean }> {
	const drafts = can(actor, 'content.edit');
	const row = await siteRead(actor.site.id, () => getPageBySlug(actor.site.id, slug, { drafts }));
	if (!row) throw notFound(m.admin_page_not_found());
	return { row, draft: !row.published };
}
