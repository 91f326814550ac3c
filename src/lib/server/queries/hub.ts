/**
 * Reads across sites for the hub: the super admin's paged, searchable list (one query, indexed
 * search), the site switcher's suggestions, and "my sites" of a signed-in person. Platform reads:
 * they run outside any site scope on purpose (see db/index.ts).
 */
import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { db } from '../db';
import { auditEvent, event, membership, site, siteDomain } from '../db/schema';

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

/** The outer row's id inside correlated subqueries (drizzle would print a bare, ambiguous "id"). */
const SITE_ID = sql.raw('"site"."id"');

/** The site's verified primary custom domain, if any. */
const PRIMARY_HOST = sql<
	string | null
>`(select d.hostname from ${siteDomain} d where d.site_id = ${SITE_ID} and d.is_primary and d.verified_at is not null limit 1)`;

/** `%term%` for ILIKE, with the pattern characters of the term taken literally. */
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
