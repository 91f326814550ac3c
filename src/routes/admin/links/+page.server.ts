/**
 * Links (admins and up): the site's navigation links and its social media links, each added,
 * edited, deleted and reordered with Move up / Move down buttons (keyboard friendly; no drag).
 * Navigation links may be the site's own paths (/events) or http(s) URLs; social links are
 * http(s) URLs with a platform picked from a list. Every write goes through siteWrite.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { fields, isHttpUrl, parseForm } from '$lib/server/forms';
import {
	addNavLink,
	addSocialLink,
	deleteLink,
	listNavLinks,
	listSocialLinks,
	moveLink,
	updateNavLink,
	updateSocialLink,
	type LinkKind
} from '$lib/server/queries/links';
import { siteWrite } from '$lib/server/queries/write';
import { isUuid } from '$lib/server/queries/assets';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { SOCIAL_PLATFORM_KEYS, SOCIAL_PLATFORMS } from '$lib/social';

// A real UUID or nothing: a 36-character string of dashes would reach the database as a bad uuid.
const linkId = z.string().refine(isUuid, 'Link not found');
const navUrl = z
	.string()
	.trim()
	.min(1, 'Address is required')
	.max(2000, 'Address is too long')
	.refine(
		(v) => (v.startsWith('/') && !v.startsWith('//') && !v.includes('\\')) || isHttpUrl(v),
		'Use a path on this site like /events, or an address starting with https://'
	);
const navSchema = z.object({ label: fields.required(60, 'Label'), url: navUrl });
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
/** A social link: an http(s) address, or for "Email" an address (stored as mailto:). */
const socialSchema = z
	.object({
		platform: z.enum(SOCIAL_PLATFORM_KEYS, { message: 'Choose a platform from the list' }),
		url: z.string().trim().min(1, 'Address is required').max(2000, 'Address is too long')
	})
	.transform((v, ctx) => {
		if (v.platform === 'email') {
			const address = v.url.replace(/^mailto:/i, '');
			if (EMAIL.test(address)) return { platform: v.platform, url: `mailto:${address}` };
			ctx.addIssue({ code: 'custom', path: ['url'], message: 'Enter an email address like hello@example.org' });
			return z.NEVER;
		}
		if (isHttpUrl(v.url)) return v;
		ctx.addIssue({ code: 'custom', path: ['url'], message: 'Address must start with https:// or http://' });
		return z.NEVER;
	});
const kindSchema = z.enum(['nav', 'social']);

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.links');
	const [nav, social] = await Promise.all([listNavLinks(locals.site!.id), listSocialLinks(locals.site!.id)]);
	return {
		nav: nav.map((l) => ({ id: l.id, label: l.label, url: l.url })),
		social: social.map((l) => ({ id: l.id, platform: l.platform, url: l.url })),
		platforms: Object.entries(SOCIAL_PLATFORMS).map(([key, p]) => ({ key, label: p.label, icon: p.icon }))
	};
};

function done(event: RequestEvent, focus?: string): never {
	redirect(303, adminPath(event, `/links?saved=1${focus ? `#${focus}` : ''}`));
}

export const actions: Actions = {
	addNav: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(navSchema, form, 'addNav');
		if (!parsed.ok) return parsed.failure;
		const site = event.locals.site!;
		await siteWrite(site.id, actorOf(event.locals), { action: 'links.update', targetType: 'nav_link', target: parsed.data.label }, (tx) =>
			addNavLink(site.id, parsed.data, tx)
		);
		done(event);
	},
	addSocial: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(socialSchema, form, 'addSocial');
		if (!parsed.ok) return parsed.failure;
		const site = event.locals.site!;
		const input = parsed.data;
		await siteWrite(site.id, actorOf(event.locals), { action: 'links.update', targetType: 'social_link', target: input.platform }, (tx) =>
			addSocialLink(site.id, input, tx)
		);
		done(event);
	},
	updateNav: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(navSchema.extend({ id: linkId }), form, `nav-${form.get('id')}`);
		if (!parsed.ok) return parsed.failure;
		const site = event.locals.site!;
		const { id, ...input } = parsed.data;
		const row = await siteWrite(
			site.id,
			actorOf(event.locals),
			(r) => (r ? { action: 'links.update', targetType: 'nav_link', targetId: id, target: input.label } : null),
			(tx) => updateNavLink(site.id, id, input, tx)
		);
		if (!row) error(404, 'Not found');
		done(event, `nav-${id}`);
	},
	updateSocial: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(z.object({ id: linkId }).and(socialSchema), form, `social-${form.get('id')}`);
		if (!parsed.ok) return parsed.failure;
		const site = event.locals.site!;
		const { id, platform, url } = parsed.data;
		const row = await siteWrite(
			site.id,
			actorOf(event.locals),
			(r) => (r ? { action: 'links.update', targetType: 'social_link', targetId: id, target: platform } : null),
			(tx) => updateSocialLink(site.id, id, { platform, url }, tx)
		);
		if (!row) error(404, 'Not found');
		done(event, `social-${id}`);
	},
	delete: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(z.object({ kind: kindSchema, id: linkId }), form);
		if (!parsed.ok) error(404, 'Not found');
		const site = event.locals.site!;
		const { kind, id } = parsed.data;
		const row = await siteWrite(
			site.id,
			actorOf(event.locals),
			(r) => (r ? { action: 'links.update', targetType: `${kind}_link`, targetId: id, target: 'deleted' } : null),
			(tx) => deleteLink(kind, site.id, id, tx)
		);
		if (!row) error(404, 'Not found');
		done(event);
	},
	move: async (event) => {
		requirePermission(event.locals, 'site.links');
		const form = await event.request.formData();
		const parsed = parseForm(z.object({ kind: kindSchema, id: linkId, direction: z.enum(['up', 'down']) }), form);
		if (!parsed.ok) error(404, 'Not found');
		const site = event.locals.site!;
		const { kind, id, direction } = parsed.data;
		const moved = await siteWrite(
			site.id,
			actorOf(event.locals),
			(ok) => (ok ? { action: 'links.update', targetType: `${kind}_link`, targetId: id, target: `moved ${direction}` } : null),
			(tx) => moveLink(kind as LinkKind, site.id, id, direction, tx)
		);
		if (!moved) error(404, 'Not found');
		done(event, `${kind}-${id}`);
	}
};
