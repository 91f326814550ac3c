/**
 * Sites and their domains. Plain queries: the services around them (services/sites.ts,
 * settings.ts, domains.ts) open the transaction and publish what changed for caches.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNotNull, isNull, lte, ne, sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { domainHistory, home, site, siteDomain, siteSlugRedirect } from '../db/schema';
import { themeSchema, type ThemeInput } from '../../theme';

export type SiteRow = typeof site.$inferSelect;
export type DomainRow = typeof siteDomain.$inferSelect;

export interface NewSite {
	slug: string;
	name: string;
	tagline?: string;
	description?: string;
	timezone?: string;
	locale?: string;
	theme?: ThemeInput;
}

/** Create a site with its (empty) home row; taking a name another site gave up ends its redirect. */
export async function createSite(input: NewSite, tx: DbOrTx = db()): Promise<SiteRow> {
	const theme = themeSchema.parse(input.theme ?? {});
	await releaseSlugRedirect(input.slug, tx);
	const [row] = await tx
		.insert(site)
		.values({
			slug: input.slug,
			name: input.name,
			tagline: input.tagline ?? '',
			description: input.description ?? '',
			timezone: input.timezone ?? 'UTC',
			...(input.locale ? { locale: input.locale } : {}),
			theme
		})
		.returning();
	await tx.insert(home).values({ siteId: row!.id });
	return row!;
}

/** End another site's redirect from a slug someone now takes; returns the sites that had one. */
export async function releaseSlugRedirect(slug: string, tx: DbOrTx = db()): Promise<string[]> {
	const freed = await tx.delete(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, slug)).returning({ siteId: siteSlugRedirect.siteId });
	return freed.map((f) => f.siteId);
}

export async function getSiteById(siteId: string): Promise<SiteRow | undefined> {
	const [row] = await db()
		.select()
		.from(site)
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)));
	return row;
}

/** A plain list of live sites by name (start-up banner, small tools); the hub panel has its own paged query. */
export async function listAllSites(limit = 100): Promise<Pick<SiteRow, 'id' | 'slug' | 'name'>[]> {
	return db()
		.select({ id: site.id, slug: site.slug, name: site.name })
		.from(site)
		.where(isNull(site.deletedAt))
		.orderBy(asc(site.name))
		.limit(limit);
}

export interface SiteSettings {
	name: string;
	tagline: string;
	description: string;
	timezone: string;
	/** Absent: the site keeps its language. */
	locale?: string;
	contactEmail: string | null;
	/** Absent: unchanged. */
	hubListed?: boolean;
	hubCity?: string;
}

export async function updateSiteSettings(siteId: string, settings: SiteSettings, tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ ...settings, updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	return row;
}

export async function updateSiteTheme(siteId: string, theme: ThemeInput, tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ theme: themeSchema.parse(theme), updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	return row;
}

/** How long `<old-slug>.<PLATFORM_DOMAIN>` keeps redirecting after a slug change. */
export const SLUG_REDIRECT_DAYS = 90;

/**
 * Rename a site's slug, which moves its `<slug>.<PLATFORM_DOMAIN>` address. The old subdomain
 * answers 301 to the site's primary host for SLUG_REDIRECT_DAYS, unless another site takes the
 * name first (createSite / changeSiteSlug delete the redirect row then). Undefined when the site
 * does not exist; the unique index refuses a taken slug. Run it in a transaction.
 */
export async function changeSiteSlug(
	siteId: string,
	slug: string,
	tx: DbOrTx = db()
): Promise<{ row: SiteRow; oldSlug: string; freedFrom: string[] } | undefined> {
	const [old] = await tx
		.select({ slug: site.slug })
		.from(site)
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.for('update');
	if (!old) return undefined;
	const [row] = await tx.update(site).set({ slug, updatedAt: new Date() }).where(eq(site.id, siteId)).returning();
	// The new name is no longer anyone's old name (this site's or another's).
	const freed = await tx.delete(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, slug)).returning({ siteId: siteSlugRedirect.siteId });
	const expiresAt = new Date(Date.now() + SLUG_REDIRECT_DAYS * 24 * 3600 * 1000);
	await tx
		.insert(siteSlugRedirect)
		.values({ oldSlug: old.slug, siteId, expiresAt })
		.onConflictDoUpdate({ target: siteSlugRedirect.oldSlug, set: { siteId, expiresAt } });
	return { row: row!, oldSlug: old.slug, freedFrom: freed.map((f) => f.siteId).filter((id) => id !== siteId) };
}

export async function setSiteStatus(siteId: string, status: 'active' | 'suspended', tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ status, updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	return row;
}

// ---- Domains ----

export function newVerificationToken(): string {
	return randomBytes(18).toString('base64url');
}

export async function listDomains(siteId: string): Promise<DomainRow[]> {
	return db()
		.select()
		.from(siteDomain)
		.where(eq(siteDomain.siteId, siteId))
		.orderBy(sql`${siteDomain.isPrimary} desc`, asc(siteDomain.hostname));
}

/** One domain of this site (another site's domain id is "not found"). */
export async function getDomain(siteId: string, domainId: string, tx: DbOrTx = db()): Promise<DomainRow | undefined> {
	const [row] = await tx
		.select()
		.from(siteDomain)
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)));
	return row;
}

export async function addDomain(
	siteId: string,
	hostname: string,
	opts: { verified?: boolean } = {},
	tx: DbOrTx = db()
): Promise<DomainRow> {
	const [row] = await tx
		.insert(siteDomain)
		.values({
			siteId,
			hostname,
			verificationToken: newVerificationToken(),
			verifiedAt: opts.verified ? new Date() : null
		})
		.returning();
	return row!;
}

export async function markDomainVerified(siteId: string, domainId: string, tx: DbOrTx = db()): Promise<DomainRow | undefined> {
	const [row] = await tx
		.update(siteDomain)
		.set({
			verifiedAt: new Date(),
			// Verified domains are re-checked daily (jobs: domain re-checks).
			lastCheckedAt: new Date(),
			nextCheckAt: sql`now() + interval '1 day'`,
			checkFailures: 0,
			lastCheckError: null,
			misconfiguredAt: null
		})
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)))
		.returning();
	return row;
}

/**
 * Make one verified domain the site's primary, clearing the old primary (run it in a
 * transaction). Returns the hostnames whose answers change: the new and the old primary.
 */
export async function setPrimaryDomain(
	siteId: string,
	domainId: string,
	tx: DbOrTx = db()
): Promise<{ row: DomainRow; hosts: string[] } | undefined> {
	const [target] = await tx
		.select()
		.from(siteDomain)
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)));
	if (!target || !target.verifiedAt) return undefined;
	const previous = await tx
		.update(siteDomain)
		.set({ isPrimary: false })
		.where(and(eq(siteDomain.siteId, siteId), eq(siteDomain.isPrimary, true), ne(siteDomain.id, domainId)))
		.returning({ hostname: siteDomain.hostname });
	const [row] = await tx.update(siteDomain).set({ isPrimary: true }).where(eq(siteDomain.id, domainId)).returning();
	return { row: row!, hosts: [target.hostname, ...previous.map((p) => p.hostname)] };
}

export async function removeDomain(siteId: string, domainId: string, tx: DbOrTx = db()): Promise<DomainRow | undefined> {
	const [row] = await tx
		.delete(siteDomain)
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)))
		.returning();
	return row;
}

// ---- Background re-checks (services/domain-checks.ts) ----

/** Platform work (no site scope): the domains of every site whose next check is due. */
export async function listDomainsDueForCheck(now: Date, limit: number): Promise<DomainRow[]> {
	return db().select().from(siteDomain).where(lte(siteDomain.nextCheckAt, now)).orderBy(asc(siteDomain.nextCheckAt)).limit(limit);
}

export type DomainCheckFields = Partial<
	Pick<DomainRow, 'lastCheckedAt' | 'nextCheckAt' | 'checkFailures' | 'lastCheckError' | 'misconfiguredAt'>
>;

export async function recordDomainCheck(
	siteId: string,
	domainId: string,
	fields: DomainCheckFields,
	tx: DbOrTx = db()
): Promise<DomainRow | undefined> {
	const [row] = await tx
		.update(siteDomain)
		.set(fields)
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)))
		.returning();
	return row;
}

/** Platform read for the verification probe of a verified domain: its token. */
export async function verifiedDomainToken(hostname: string): Promise<string | undefined> {
	const [row] = await db()
		.select({ token: siteDomain.verificationToken })
		.from(siteDomain)
		.where(and(eq(siteDomain.hostname, hostname), isNotNull(siteDomain.verifiedAt)));
	return row?.token;
}

// ---- Domain history (which sites a hostname ever served; see schema domainHistory) ----

export async function recordDomainServed(siteId: string, hostname: string, tx: DbOrTx = db()): Promise<void> {
	await tx.insert(domainHistory).values({ siteId, hostname }).onConflictDoNothing();
}

/** Whether the hostname ever served a site other than `siteId` (then control is proved by TXT). */
export async function domainServedAnotherSite(siteId: string, hostname: string, tx: DbOrTx = db()): Promise<boolean> {
	const [row] = await tx
		.select({ one: sql<number>`1` })
		.from(domainHistory)
		.where(and(eq(domainHistory.hostname, hostname), ne(domainHistory.siteId, siteId)))
		.limit(1);
	return Boolean(row);
}
