/**
 * Tags (editors and up): a site's own small vocabulary of event kinds, each with an optional
 * colour. Public chips pick black or white text, whichever contrasts more (tag-colors.ts), so any
 * colour an organiser picks stays readable.
 */
import { z } from 'zod';
import { notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput, say, slugify } from '../input';
import { siteRead } from '../db';
import { createTag, deleteTagRow, getTag, getTagBySlug, listTags, updateTag, type TagRow } from '../queries/tags';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { m } from '../../paraglide/messages';

const tagSchema = z.object({
	name: fields.required(40, m.events_admin_name),
	slug: z
		.union([z.literal(''), fields.slug(m.admin_field_web_address)])
		.optional()
		.default(''),
	color: z
		.union([
			z.literal(''),
			z.string().regex(
				/^#[0-9a-fA-F]{6}$/,
				say(() => m.events_admin_error_tag_colour({ example: '#1f6feb' }))
			)
		])
		.optional()
		.default('')
		.transform((v) => (v ? v.toLowerCase() : null))
});

const takenMessage = (slug: string) => m.events_admin_error_tag_taken({ slug });

async function ownTag(siteId: string, id: unknown): Promise<TagRow> {
	const row = isUuid(id) ? await getTag(siteId, id) : undefined;
	if (!row) throw notFound();
	return row;
}

export async function tagsOfSite(actor: SiteActor): Promise<TagRow[]> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => listTags(who.site.id));
}

/** Create (`id` null) or rename/recolour a tag; its address follows the name unless given. */
export async function saveTag(actor: SiteActor, id: unknown | null, input: unknown): Promise<TagRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	if (id !== null) await siteRead(siteId, () => ownTag(siteId, id));
	const data = parseInput(tagSchema, input);
	const slug = data.slug || slugify(data.name) || 'tag';
	return write(
		{ siteId, actor: auditActor(who), unique: { tag_site_slug_key: { field: 'slug', message: takenMessage(slug) } } },
		async (w) => {
			const values = { name: data.name, slug, color: data.color };
			const row = id === null ? await createTag(siteId, values) : await updateTag(siteId, String(id), values);
			if (!row) throw notFound();
			await w.audit({ action: id === null ? 'tag.create' : 'tag.update', targetType: 'tag', targetId: row.id, target: row.name });
			return row;
		}
	);
}

/** Delete a tag: it disappears from every event and series that carried it. */
export async function deleteTag(actor: SiteActor, id: unknown): Promise<TagRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		await ownTag(siteId, id);
		const row = await deleteTagRow(siteId, String(id));
		if (!row) throw notFound();
		await w.audit({ action: 'tag.delete', targetType: 'tag', targetId: row.id, target: row.name });
		return row;
	});
}

/** `?tag=<slug>` on the public lists: the site's tag, or null for an unknown slug (the caller 404s). */
export async function tagForVisitor(siteId: string, slug: string): Promise<TagRow | null> {
	if (!/^[a-z0-9-]{1,63}$/.test(slug)) return null;
	return (await siteRead(siteId, () => getTagBySlug(siteId, slug))) ?? null;
}
