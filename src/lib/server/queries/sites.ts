/**
 * Sites and their domains. Resolution-critical writes (slug, status, domains) notify every server
 * process in the same transaction (see sites/notify.ts).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { home, site, siteDomain, siteSlugRedirect } from '../db/schema';
import { themeSchema, type ThemeInput } from '../../theme';
import { notifyChange } from '../hosts/notify';

export type SiteRow = typeof site.$inferSelect;
export type DomainRow = typeof siteDomain.$inferSelect;

export interface NewSite {
	slug: string;
	name: string;
	tagline?: string;
	description?: string;
	timezone?: string;
	theme?: ThemeInput;
}

/** Create a site with its (empty) home row. */
export async function createSite(input: NewSite, tx: DbOrTx = db()): Promise<SiteRow> {
	const theme = themeSchema.parse(input.theme ?? {});
	const run = async (t: DbOrTx) => {
		const [row] = await t
			.insert(site)
			.values({
				slug: input.slug,
				name: input.name,
				tagline: input.tagline ?? '',
				description: input.description ?? '',
				timezone: input.timezone ?? 'UTC',
				theme
			})
			.returning();
		await t.insert(home).values({ siteId: row!.id });
		// Taking a name another site gave up ends that site's redirect from it.
		await t.delete(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, row!.slug));
		await notifyChange(t, { type: 'hosts', siteId: row!.id, hosts: [], slugs: [row!.slug] });
		return row!;
	};
	return tx === db() ? db().transaction(run) : run(tx);
}

export async function getSiteById(siteId: string): Promise<SiteRow | undefined> {
	const [row] = await db()
		.select()
		.from(site)
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)));
	return row;
}

export async function getSiteBySlug(slug: string): Promise<SiteRow | undefined> {
	const [row] = await db()
		.select()
		.from(site)
		.where(and(eq(site.slug, slug), isNull(site.deletedAt)));
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
	contactEmail: string | null;
}

export async function updateSiteSettings(siteId: string, settings: SiteSettings, tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ ...settings, updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	if (row) await notifyChange(tx, { type: 'hosts', siteId, hosts: [] });
	return row;
}

export async function updateSiteTheme(siteId: string, theme: ThemeInput, tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ theme: themeSchema.parse(theme), updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	if (row) await notifyChange(tx, { type: 'hosts', siteId, hosts: [] });
	return row;
}

/** How long `<old-slug>.<PLATFORM_DOMAIN>` keeps redirecting after a slug change. */
export const SLUG_REDIRECT_DAYS = 90;

/**
 * Rename a site's slug, which moves its `<slug>.<PLATFORM_DOMAIN>` address. The old subdomain
 * answers 301 to the site's primary host for SLUG_REDIRECT_DAYS, unless another site takes the
 * name first (createSite / changeSiteSlug delete the redirect row then). Undefined when the site
 * does not exist; the unique index refuses a taken slug.
 */
export async function changeSiteSlug(siteId: string, slug: string, tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const run = async (t: DbOrTx) => {
		const [old] = await t
			.select({ slug: site.slug })
			.from(site)
			.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
			.for('update');
		if (!old) return undefined;
		const [row] = await t.update(site).set({ slug, updatedAt: new Date() }).where(eq(site.id, siteId)).returning();
		// The new name is no longer anyone's old name (this site's or another's).
		const freed = await t.delete(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, slug)).returning({ siteId: siteSlugRedirect.siteId });
		const expiresAt = new Date(Date.now() + SLUG_REDIRECT_DAYS * 24 * 3600 * 1000);
		await t
			.insert(siteSlugRedirect)
			.values({ oldSlug: old.slug, siteId, expiresAt })
			.onConflictDoUpdate({ target: siteSlugRedirect.oldSlug, set: { siteId, expiresAt } });
		await notifyChange(t, { type: 'hosts', siteId, hosts: [], slugs: [old.slug, slug] });
		for (const f of freed) if (f.siteId !== siteId) await notifyChange(t, { type: 'hosts', siteId: f.siteId, hosts: [], slugs: [slug] });
		return row;
	};
	return tx === db() ? db().transaction(run) : run(tx);
}

export async function setSiteStatus(siteId: string, status: 'active' | 'suspended', tx: DbOrTx = db()): Promise<SiteRow | undefined> {
	const [row] = await tx
		.update(site)
		.set({ status, updatedAt: new Date() })
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.returning();
	if (row) await notifyChange(tx, { type: 'hosts', siteId, hosts: [] });
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
	await notifyChange(tx, { type: 'hosts', siteId, hosts: [hostname] });
	return row!;
}

export async function markDomainVerified(siteId: string, domainId: string, tx: DbOrTx = db()): Promise<DomainRow | undefined> {
	const [row] = await tx
		.update(siteDomain)
		.set({ verifiedAt: new Date() })
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)))
		.returning();
	if (row) await notifyChange(tx, { type: 'hosts', siteId, hosts: [row.hostname] });
	return row;
}

/** Make one verified domain the site's primary (clearing the old primary in the same transaction). */
export async function setPrimaryDomain(siteId: string, domainId: string, outer: DbOrTx = db()): Promise<DomainRow | undefined> {
	const run = async (tx: DbOrTx) => {
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
		await notifyChange(tx, { type: 'hosts', siteId, hosts: [target.hostname, ...previous.map((p) => p.hostname)] });
		return row;
	};
	return outer === db() ? db().transaction(run) : run(outer);
}

export async function removeDomain(siteId: string, domainId: string, tx: DbOrTx = db()): Promise<DomainRow | undefined> {
	const [row] = await tx
		.delete(siteDomain)
		.where(and(eq(siteDomain.id, domainId), eq(siteDomain.siteId, siteId)))
		.returning();
	if (row) await notifyChange(tx, { type: 'hosts', siteId, hosts: [row.hostname] });
	return row;
}
