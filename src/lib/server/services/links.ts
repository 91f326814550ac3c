/**
 * Links (admins and up): the site's navigation links and its social media links, each added,
 * edited, deleted and reordered with Move up / Move down (keyboard friendly; no drag). Navigation
 * links are the site's own paths (/events) or http(s) addresses; social links take what people
 * type — `@name`, `instagram.com/name`, `@user@mastodon.social` — and store the profile address.
 */
import { z } from 'zod';
import { notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, isHttpUrl, parseInput, say } from '../input';
import { m } from '../../paraglide/messages';
import { siteRead } from '../db';
import {
	addNavLink,
	addSocialLink,
	deleteLink as deleteLinkRow,
	listNavLinks,
	listSocialLinks,
	moveLink as moveLinkRow,
	updateNavLink,
	updateSocialLink
} from '../queries/links';
import { SOCIAL_PLATFORM_KEYS } from '../../social';
import { socialUrl } from '../../social-handles';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';

const navUrl = z
	.string()
	.trim()
	.min(1, say(m.site_admin_error_address_required))
	.max(2000, say(m.site_admin_error_address_too_long))
	.refine((v) => (v.startsWith('/') && !v.startsWith('//') && !v.includes('\\')) || isHttpUrl(v), say(m.site_admin_error_nav_url));
const navSchema = z.object({ label: fields.required(60, m.site_admin_links_label), url: navUrl });
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** A social link: for "Email" an address (stored as mailto:), else whatever names the profile. */
const socialSchema = z
	.object({
		platform: z.enum(SOCIAL_PLATFORM_KEYS, say(m.site_admin_error_platform)),
		url: z.string().trim().min(1, say(m.site_admin_error_address_required)).max(2000, say(m.site_admin_error_address_too_long))
	})
	.transform((v, ctx) => {
		if (v.platform === 'email') {
			const address = v.url.replace(/^mailto:/i, '');
			if (EMAIL.test(address)) return { platform: v.platform, url: `mailto:${address}` };
			ctx.addIssue({ code: 'custom', path: ['url'], message: m.site_admin_error_social_email() });
			return z.NEVER;
		}
		const url = socialUrl(v.platform, v.url);
		if (url && url.length <= 2000) return { platform: v.platform, url };
		ctx.addIssue({ code: 'custom', path: ['url'], message: m.site_admin_error_social_url() });
		return z.NEVER;
	});
const linkId = z.string().refine(isUuid);
const kindSchema = z.enum(['nav', 'social']);

export async function linksOfSite(actor: SiteActor) {
	const who = allow(actor, 'site.links');
	const [nav, social] = await siteRead(who.site.id, () => Promise.all([listNavLinks(who.site.id), listSocialLinks(who.site.id)]));
	return { nav, social };
}

/** Unknown or another site's link: not found (a malformed id alike, never a SQL error). */
function linkIdOr404(id: unknown): string {
	if (!linkId.safeParse(id).success) throw notFound();
	return id as string;
}

export async function addLink(actor: SiteActor, kind: 'nav' | 'social', input: unknown): Promise<void> {
	const who = allow(actor, 'site.links');
	const siteId = who.site.id;
	if (kind === 'nav') {
		const data = parseInput(navSchema, input);
		await write({ siteId, actor: auditActor(who) }, async (w) => {
			await addNavLink(siteId, data);
			await w.audit({ action: 'links.update', targetType: 'nav_link', target: data.label });
		});
	} else {
		const data = parseInput(socialSchema, input);
		await write({ siteId, actor: auditActor(who) }, async (w) => {
			await addSocialLink(siteId, data);
			await w.audit({ action: 'links.update', targetType: 'social_link', target: data.platform });
		});
	}
}

export async function updateLink(actor: SiteActor, kind: 'nav' | 'social', input: Record<string, unknown>): Promise<string> {
	const who = allow(actor, 'site.links');
	const siteId = who.site.id;
	const id = linkIdOr404(input.id);
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		if (kind === 'nav') {
			const data = parseInput(navSchema, input);
			if (!(await updateNavLink(siteId, id, data))) throw notFound();
			await w.audit({ action: 'links.update', targetType: 'nav_link', targetId: id, target: data.label });
		} else {
			const data = parseInput(socialSchema, input);
			if (!(await updateSocialLink(siteId, id, data))) throw notFound();
			await w.audit({ action: 'links.update', targetType: 'social_link', targetId: id, target: data.platform });
		}
	});
	return id;
}

export async function deleteLink(actor: SiteActor, input: Record<string, unknown>): Promise<void> {
	const who = allow(actor, 'site.links');
	const siteId = who.site.id;
	const kind = kindSchema.safeParse(input.kind);
	const id = linkIdOr404(input.id);
	if (!kind.success) throw notFound();
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		const existing = (await (kind.data === 'nav' ? listNavLinks(siteId) : listSocialLinks(siteId))).find((l) => l.id === id);
		// Another site's link is not found, confirmed or not; only then does the tick matter.
		if (!existing) throw notFound();
		parseInput(z.object({ confirm: fields.confirm() }), input);
		if (!(await deleteLinkRow(kind.data, siteId, id))) throw notFound();
		const name = 'label' in existing ? existing.label : existing.platform;
		await w.audit({ action: 'links.delete', targetType: `${kind.data}_link`, targetId: id, target: name });
	});
}

export async function moveLink(actor: SiteActor, input: Record<string, unknown>): Promise<{ kind: 'nav' | 'social'; id: string }> {
	const who = allow(actor, 'site.links');
	const siteId = who.site.id;
	const parsed = z.object({ kind: kindSchema, direction: z.enum(['up', 'down']) }).safeParse(input);
	const id = linkIdOr404(input.id);
	if (!parsed.success) throw notFound();
	const { kind, direction } = parsed.data;
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		if (!(await moveLinkRow(kind, siteId, id, direction))) throw notFound();
		await w.audit({ action: 'links.move', targetType: `${kind}_link`, targetId: id, detail: { direction } });
	});
	return { kind, id };
}
