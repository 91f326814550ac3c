/**
 * The pages section: a page lives at /<slug> on the site, so its slug must not shadow one of the
 * site's own paths (events, feeds, sign-in, admin...). Saves go through siteWrite (audit + cache).
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { fields, invalid, parseForm, slugify } from '../forms';
import { requirePermission } from '../auth/permissions';
import { createPage, deletePage, getPage, pageSlugTaken, updatePage, type PageRow } from '../queries/pages';
import { siteWrite } from '../queries/write';
import { actorOf, adminPath } from './context';
import { isUniqueViolation } from '../errors';

/** First path segments the site itself answers; a page there would never be reached. */
const SITE_PATHS = new Set([
	'admin',
	'api',
	'auth',
	'events',
	'events.ics',
	'feed.xml',
	'sitemap.xml',
	'robots.txt',
	'login',
	'logout',
	'invite',
	'media',
	'internal',
	'healthz',
	'readyz',
	'sites',
	'favicon.ico'
]);

export const pageFormSchema = z.object({
	title: fields.required(200, 'Title'),
	slug: z
		.union([z.literal(''), fields.slug('Web address')])
		.optional()
		.default(''),
	body: fields.text(50_000, 'Text'),
	published: fields.checkbox(),
	showInNav: fields.checkbox()
});

export async function savePage(event: RequestEvent, existing: PageRow | null) {
	const { locals, request } = event;
	requirePermission(locals, 'content.edit');
	const site = locals.site!;
	const form = await request.formData();
	const parsed = parseForm(pageFormSchema, form);
	if (!parsed.ok) return parsed.failure;
	const data = parsed.data;
	const slug = data.slug || slugify(data.title);
	if (SITE_PATHS.has(slug)) return invalid(form, { slug: `/${slug} is used by the site itself; choose another address` });
	if (await pageSlugTaken(site.id, slug, existing?.id)) return invalid(form, { slug: `Another page already uses the address /${slug}` });

	const input = { slug, title: data.title, body: data.body, published: data.published, showInNav: data.showInNav };
	let saved: PageRow | undefined;
	try {
		saved = await siteWrite(
			site.id,
			actorOf(locals),
			(row: PageRow | undefined) =>
				row ? { action: existing ? 'page.update' : 'page.create', targetType: 'page', targetId: row.id, target: row.title } : null,
			(tx) => (existing ? updatePage(site.id, existing.id, input, tx) : createPage(site.id, input, tx))
		);
	} catch (error) {
		if (isUniqueViolation(error, 'page_site_slug_key')) return invalid(form, { slug: `Another page already uses the address /${slug}` });
		throw error;
	}
	if (!saved) error(404, 'Not found');
	redirect(303, adminPath(event, `/pages/${saved.id}?saved=1`));
}

const isId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/** The site's page named by the route's id, or 404 (another site's id looks like no page at all). */
export async function sitePageOr404(event: RequestEvent): Promise<PageRow> {
	const id = event.params.id ?? '';
	const row = isId(id) ? await getPage(event.locals.site!.id, id) : undefined;
	if (!row) error(404, 'Not found');
	return row;
}

export async function removePage(event: RequestEvent): Promise<void> {
	requirePermission(event.locals, 'content.edit');
	const site = event.locals.site!;
	const id = event.params.id ?? '';
	const deleted = await siteWrite(
		site.id,
		actorOf(event.locals),
		(row: PageRow | undefined) => (row ? { action: 'page.delete', targetType: 'page', targetId: row.id, target: row.title } : null),
		(tx) => (isId(id) ? deletePage(site.id, id, tx) : Promise.resolve(undefined))
	);
	if (!deleted) error(404, 'Not found');
}
