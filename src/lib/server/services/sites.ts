/**
 * Sites as a whole: what the super admin does on the hub panel (create, suspend, resume, delete),
 * the rules for a site's address (slug) shared with Settings, and finding a site by slug through
 * the host resolver's cache, as any request on its subdomain would.
 *
 * Deleting is final: the site row goes (every site-owned row follows by ON DELETE CASCADE), then
 * its media objects. Objects go after the commit, so a failed delete never leaves rows pointing
 * at nothing; if removing objects fails, the orphan sweep finds them (no row refers to them).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { env } from '../env';
import { db } from '../db';
import { asset, site, siteDomain } from '../db/schema';
import { alreadyExists, invalidInput, notFound } from '../errors';
import { fields, parseInput, say } from '../input';
import { log } from '../log';
import { siteBySlug } from '../hosts';
import { isReservedSlug } from '../hosts/reserved';
import type { SiteContext } from '../hosts/site-context';
import {
	createSite as insertSite,
	releaseSlugRedirect,
	setPrimaryDomain,
	setSiteStatus as updateSiteStatus,
	type SiteRow
} from '../queries/sites';
import { createInvitation, setMembership } from '../queries/members';
import { userIdOfDiscordId } from '../auth/accounts';
import { discordIdSchema } from './members';
import { mediaStorage } from '../media/storage';
import { variantKeys } from '../media/keys';
import { isValidTimeZone } from '../../time';
import { auditActor, platformActor, type PlatformActor, type SiteActor } from './actor';
import { attachDomain, hostnameSchema, TAKEN_DOMAIN } from './domains';
import { write } from './write';
import { m } from '../../paraglide/messages';
import { discordSiteChanged } from './discord';

/** A site's address: `<slug>.<PLATFORM_DOMAIN>`. */
export const slugSchema = fields.slug(m.hub_field_address).refine((slug) => !isReservedSlug(slug), say(m.hub_error_slug_reserved));

/** For write()'s unique index check: the message is read when the index refuses, in that request's language. */
export const TAKEN_SLUG = {
	site_slug_key: {
		field: 'slug',
		get message() {
			return m.hub_error_slug_taken();
		}
	}
};

/** Refuse a slug another live site has (the unique index backs this up under races). */
export async function requireFreeSlug(slug: string): Promise<void> {
	const [taken] = await db()
		.select({ id: site.id })
		.from(site)
		.where(and(eq(site.slug, slug), isNull(site.deletedAt)))
		.limit(1);
	if (taken) throw alreadyExists('slug', m.hub_error_slug_taken());
}

export const timezoneSchema = z.string().trim().refine(isValidTimeZone, say(m.hub_error_timezone));

const createSchema = z.object({
	name: fields.required(120, m.admin_field_name),
	slug: slugSchema,
	timezone: timezoneSchema,
	ownerDiscordId: z
		.union([z.literal(''), discordIdSchema])
		.optional()
		.transform((v) => v || undefined),
	domain: z
		.union([z.literal(''), hostnameSchema])
		.optional()
		.transform((v) => v || undefined)
});

const OWNER_INVITE_DAYS = 30;

/**
 * Create a site (super admins). With an owner's Discord id, that person is owner at once if they
 * have signed in before, else an invitation makes them owner at their first sign-in on the site.
 * A custom domain goes through the same rules as the site's Domains screen, attached verified
 * (the super admin vouches for it) and made the main address.
 */
export async function createSite(actor: PlatformActor, input: unknown): Promise<SiteRow> {
	const data = parseInput(createSchema, input);
	await requireFreeSlug(data.slug);
	const who = auditActor(actor);
	return write({ siteId: null, actor: who, unique: TAKEN_SLUG }, async (w) => {
		const freedFrom = await releaseSlugRedirect(data.slug);
		const row = await insertSite({ name: data.name, slug: data.slug, timezone: data.timezone, locale: env().DEFAULT_LOCALE });
		await w.audit({ action: 'site.create', targetType: 'site', targetId: row.id, target: row.slug });
		w.changed({ type: 'hosts', siteId: row.id, hosts: [], slugs: [row.slug] });
		for (const siteId of freedFrom) w.changed({ type: 'hosts', siteId, hosts: [], slugs: [row.slug] });
		// The site's own rows in its own scope (row-level security), in the same transaction: a
		// taken domain refuses the whole creation, nothing half-made stays behind.
		await write(
			{
				siteId: row.id,
				actor: who,
				unique: { site_domain_hostname_key: { field: 'domain', message: TAKEN_DOMAIN.site_domain_hostname_key.message } }
			},
			async (sw) => {
				await sw.audit({ action: 'site.create', targetType: 'site', targetId: row.id, target: row.slug });
				if (data.ownerDiscordId) await addFirstOwner(row.id, data.ownerDiscordId, actor);
				if (data.domain) {
					const domain = await attachDomain(sw, row.id, data.domain, true);
					if (domain.verified) await setPrimaryDomain(row.id, domain.id);
				}
			}
		);
		return row;
	});
}

async function addFirstOwner(siteId: string, discordId: string, actor: PlatformActor): Promise<void> {
	const userId = await userIdOfDiscordId(discordId);
	if (userId) await setMembership(siteId, userId, 'owner');
	else
		await createInvitation(siteId, {
			role: 'owner',
			discordId,
			expiresAt: new Date(Date.now() + OWNER_INVITE_DAYS * 86_400_000),
			createdBy: actor.user.id
		});
}

/** Suspend (visitors get a "paused" page; members can still sign in and fix things) or resume. */
export async function setSiteStatus(actor: PlatformActor, siteId: string, status: 'active' | 'suspended'): Promise<SiteRow> {
	return write({ siteId, actor: auditActor(actor) }, async (w) => {
		const row = await updateSiteStatus(siteId, status);
		if (!row) throw notFound();
		await w.audit(
			{ action: status === 'suspended' ? 'site.suspend' : 'site.resume', targetType: 'site', targetId: siteId, target: row.slug },
			{ platform: 'also' }
		);
		w.changed({ type: 'hosts', siteId, hosts: [] });
		// While suspended the site's Discord jobs did nothing: resuming catches up (announcements
		// of what was published meanwhile, Scheduled Events brought in step).
		if (status === 'active') await discordSiteChanged(w);
		// A resumed site reappears in the hub calendar (if listed): pages without it must drop too.
		if (row.hubListed) w.changed({ type: 'listing', siteId });
		return row;
	});
}

const deleteSchema = z.object({ confirmSlug: z.string().trim().default('') });

/** Delete a site and everything it owns, then its media objects (after typing its slug). */
export async function deleteSite(actor: PlatformActor, target: SiteContext, input: unknown): Promise<{ objectsLeft: number }> {
	const { confirmSlug } = parseInput(deleteSchema, input);
	if (confirmSlug !== target.slug) throw invalidInput({ confirmSlug: m.hub_site_delete_confirm({ slug: target.slug }) });
	const result = await write({ siteId: null, actor: auditActor(actor) }, async (w) => {
		const [row] = await db().select().from(site).where(eq(site.id, target.id)).for('update');
		if (!row) throw notFound();
		const assets = await db().select().from(asset).where(eq(asset.siteId, row.id));
		const hosts = (await db().select({ hostname: siteDomain.hostname }).from(siteDomain).where(eq(siteDomain.siteId, row.id))).map(
			(d) => d.hostname
		);
		await db().delete(site).where(eq(site.id, row.id));
		await w.audit({ action: 'site.delete', targetType: 'site', targetId: row.id, target: `${row.slug} (${row.name})` });
		w.changed({ type: 'hosts', siteId: row.id, hosts, slugs: [row.slug] });
		return { keys: assets.flatMap((a) => variantKeys(a)) };
	});
	try {
		if (result.keys.length) await mediaStorage().delete(result.keys);
		return { objectsLeft: 0 };
	} catch (error) {
		log.error('site deleted but some media objects were not; the orphan sweep will remove them', { siteId: target.id, error });
		return { objectsLeft: result.keys.length };
	}
}

/** A super admin acting on one site from the hub panel (its admin screens, its domains). */
export async function hubSiteActor(locals: App.Locals, slug: string): Promise<SiteActor & { isSuperAdmin: true }> {
	const admin = platformActor(locals);
	const target = await siteBySlug(slug);
	if (!target) throw notFound(m.hub_error_no_site());
	return { site: target, user: admin.user, role: null, isSuperAdmin: true };
}
