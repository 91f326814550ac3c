/**
 * The super admin's view of every site: the paged, searchable list (one query, indexed search),
 * creating a site with its first owner and domain, suspending, resuming and deleting.
 *
 * Deleting is final: the site row goes (every site-owned row follows by ON DELETE CASCADE), then
 * its media objects. Objects go after the commit, so a failed delete never leaves rows pointing
 * at nothing; if removing objects fails, sweep-orphans finds them (no row refers to them).
 */
import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { db } from '../db';
import { asset, auditEvent, event, membership, site, siteDomain } from '../db/schema';
import { recordAudit, type Actor } from '../queries/audit';
import { createSite, addDomain, setPrimaryDomain, setSiteStatus, type SiteRow } from '../queries/sites';
import { createInvitation, setMembership } from '../queries/members';
import { userIdOfDiscordId } from '../auth/accounts';
import { notifyChange } from '../hosts/notify';
import { mediaStorage } from '../media/storage';
import { variantKeys } from '../media/keys';
import { log } from '../log';

export const SITES_PER_PAGE = 25;

export interface SiteListRow {
	id: string;
	slug: string;
	name: string;
	status: 'active' | 'suspended';
	primaryHost: string | null;
	members: number;
	upcoming: number;
	lastChange: Date | null;
	total: number;
}

/** `%term%` for ILIKE, with the pattern characters of the term taken literally. */
/** The outer row's id inside correlated subqueries (drizzle would print a bare, ambiguous "id"). */
const SITE_ID = sql.raw('"site"."id"');

/** The site's verified primary custom domain, if any. */
const PRIMARY_HOST = sql<
	string | null
>`(select d.hostname from ${siteDomain} d where d.site_id = ${SITE_ID} and d.is_primary and d.verified_at is not null limit 1)`;

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of sites, optionally matching `q` in name, slug or any of its domains, with member
 * count, upcoming events, last change, the total and how many are suspended — all in ONE query
 * (correlated subqueries on site_id-first indexes, trigram indexes for the search, window counts).
 */
export async function searchSites(
	q: string,
	page = 1,
	perPage = SITES_PER_PAGE
): Promise<{ rows: SiteListRow[]; total: number; suspended: number }> {
	const term = q.trim().toLowerCase().slice(0, 100);
	const match = term
		? or(
				ilike(site.name, likePattern(term)),
				ilike(site.slug, likePattern(term)),
				sql`exists (select 1 from ${siteDomain} d where d.site_id = ${SITE_ID} and d.hostname ilike ${likePattern(term)})`
			)
		: undefined;
	const rows = await db()
		.select({
			id: site.id,
			slug: site.slug,
			name: site.name,
			status: site.status,
			primaryHost: PRIMARY_HOST,
			members: sql<number>`(select count(*)::int from ${membership} m where m.site_id = ${SITE_ID})`,
			upcoming: sql<number>`(select count(*)::int from ${event} e where e.site_id = ${SITE_ID} and e.status = 'published' and coalesce(e.ends_at, e.starts_at) >= now())`,
			lastChange: sql<string | null>`(select max(a.at) from ${auditEvent} a where a.site_id = ${SITE_ID})`,
			total: sql<number>`(count(*) over ())::int`,
			suspendedTotal: sql<number>`(count(*) filter (where ${site.status} = 'suspended') over ())::int`
		})
		.from(site)
		.where(and(isNull(site.deletedAt), match))
		.orderBy(asc(site.name), asc(site.id))
		.limit(perPage)
		.offset((Math.max(1, page) - 1) * perPage);
	return {
		rows: rows.map(({ suspendedTotal: _, ...r }) => ({ ...r, lastChange: r.lastChange ? new Date(r.lastChange) : null })),
		total: rows[0]?.total ?? 0,
		suspended: rows[0]?.suspendedTotal ?? 0
	};
}

/** Slugs and names for the switcher: a few best matches, one query. */
export async function switcherMatches(q: string, limit = 8) {
	const term = q.trim().toLowerCase().slice(0, 100);
	return db()
		.select({ slug: site.slug, name: site.name })
		.from(site)
		.where(and(isNull(site.deletedAt), term ? or(ilike(site.name, likePattern(term)), ilike(site.slug, likePattern(term))) : undefined))
		.orderBy(sql`${site.slug} = ${term} desc`, asc(site.name))
		.limit(limit);
}

export interface NewSiteInput {
	name: string;
	slug: string;
	timezone: string;
	ownerDiscordId?: string;
	domain?: string;
}

/**
 * Create a site; with an owner's Discord id, that person is owner at once if they have signed in
 * before, else an invitation makes them owner at their first sign-in on the site. A custom domain
 * is attached verified and primary: the super admin vouches for it (the operator's DNS).
 */
export async function createSiteAsSuperAdmin(input: NewSiteInput, actor: Actor): Promise<SiteRow> {
	return db().transaction(async (tx) => {
		const row = await createSite({ name: input.name, slug: input.slug, timezone: input.timezone }, tx);
		if (input.ownerDiscordId) {
			const userId = await userIdOfDiscordId(input.ownerDiscordId);
			if (userId) await setMembership(row.id, userId, 'owner', tx);
			else
				await createInvitation(
					row.id,
					{ role: 'owner', discordId: input.ownerDiscordId, expiresAt: new Date(Date.now() + 30 * 86_400_000), createdBy: actor.userId },
					tx
				);
		}
		// The collective's own domain is its main address from the start.
		if (input.domain) await setPrimaryDomain(row.id, (await addDomain(row.id, input.domain, { verified: true }, tx)).id, tx);
		await recordAudit(tx, row.id, actor, { action: 'site.create', targetType: 'site', targetId: row.id, target: row.slug });
		await recordAudit(tx, null, actor, { action: 'site.create', targetType: 'site', targetId: row.id, target: row.slug });
		return row;
	});
}

export async function setStatusAsSuperAdmin(siteId: string, status: 'active' | 'suspended', actor: Actor): Promise<SiteRow | undefined> {
	return db().transaction(async (tx) => {
		const row = await setSiteStatus(siteId, status, tx);
		if (!row) return undefined;
		const action = status === 'suspended' ? 'site.suspend' : 'site.resume';
		await recordAudit(tx, siteId, actor, { action, targetType: 'site', targetId: siteId, target: row.slug });
		await recordAudit(tx, null, actor, { action, targetType: 'site', targetId: siteId, target: row.slug });
		await notifyChange(tx, { type: 'content', siteId });
		return row;
	});
}

/** Delete a site and everything it owns, then its media objects. Returns the keys it could not delete. */
export async function deleteSiteAsSuperAdmin(siteId: string, actor: Actor): Promise<{ site: SiteRow; objectsLeft: number } | undefined> {
	const result = await db().transaction(async (tx) => {
		const [row] = await tx.select().from(site).where(eq(site.id, siteId)).for('update');
		if (!row) return undefined;
		const assets = await tx.select().from(asset).where(eq(asset.siteId, siteId));
		const hosts = (await tx.select({ hostname: siteDomain.hostname }).from(siteDomain).where(eq(siteDomain.siteId, siteId))).map(
			(d) => d.hostname
		);
		await tx.delete(site).where(eq(site.id, siteId));
		await recordAudit(tx, null, actor, {
			action: 'site.delete',
			targetType: 'site',
			targetId: siteId,
			target: `${row.slug} (${row.name})`
		});
		await notifyChange(tx, { type: 'hosts', siteId, hosts, slugs: [row.slug] });
		return { row, keys: assets.flatMap((a) => variantKeys(a)) };
	});
	if (!result) return undefined;
	let objectsLeft = 0;
	try {
		if (result.keys.length) await mediaStorage().delete(result.keys);
	} catch (error) {
		objectsLeft = result.keys.length;
		log.error('site deleted but some media objects were not; sweep-orphans will remove them', { siteId, error });
	}
	return { site: result.row, objectsLeft };
}

/** "My sites": where the user has a role, with each site's primary custom domain if any. */
export async function sitesOfUser(userId: string) {
	return db()
		.select({
			slug: site.slug,
			name: site.name,
			status: site.status,
			role: membership.role,
			primaryHost: PRIMARY_HOST
		})
		.from(membership)
		.innerJoin(site, eq(site.id, membership.siteId))
		.where(and(eq(membership.userId, userId), isNull(site.deletedAt)))
		.orderBy(asc(site.name));
}
