/** Simple pages of one site (About, Code of conduct...). */
import { and, asc, eq, lte } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { page } from '../db/schema';
import { staleUnlessRendered } from './rich-text';

export type PageRow = typeof page.$inferSelect;

export interface PageInput {
	slug: string;
	title: string;
	body?: string;
	published?: boolean;
	publishAt?: Date | null;
	showInNav?: boolean;
	navPosition?: number;
	html?: string;
	renderVersion?: number;
}

export async function listPages(siteId: string): Promise<PageRow[]> {
	return db().select().from(page).where(eq(page.siteId, siteId)).orderBy(asc(page.title));
}

export async function listPublishedPages(siteId: string): Promise<PageRow[]> {
	return db()
		.select()
		.from(page)
		.where(and(eq(page.siteId, siteId), eq(page.published, true)))
		.orderBy(asc(page.navPosition), asc(page.title));
}

/** Published pages without their bodies: navigation and sitemap. */
export async function listPublishedPageLinks(siteId: string) {
	return db()
		.select({ slug: page.slug, title: page.title, showInNav: page.showInNav, updatedAt: page.updatedAt })
		.from(page)
		.where(and(eq(page.siteId, siteId), eq(page.published, true)))
		.orderBy(asc(page.navPosition), asc(page.title));
}

/** The page at `/<slug>`: published only, or (for its editors' preview) drafts too. */
export async function getPageBySlug(siteId: string, slug: string, options: { drafts?: boolean } = {}): Promise<PageRow | undefined> {
	const [row] = await db()
		.select()
		.from(page)
		.where(and(eq(page.siteId, siteId), eq(page.slug, slug), options.drafts ? undefined : eq(page.published, true)));
	return row;
}

export async function getPage(siteId: string, pageId: string): Promise<PageRow | undefined> {
	const [row] = await db()
		.select()
		.from(page)
		.where(and(eq(page.siteId, siteId), eq(page.id, pageId)));
	return row;
}

export async function pageSlugTaken(siteId: string, slug: string, exceptId?: string): Promise<boolean> {
	const rows = await db()
		.select({ id: page.id })
		.from(page)
		.where(and(eq(page.siteId, siteId), eq(page.slug, slug)));
	return rows.some((r) => r.id !== exceptId);
}

export async function createPage(siteId: string, input: PageInput, tx: DbOrTx = db()): Promise<PageRow> {
	const [row] = await tx
		.insert(page)
		.values({ ...staleUnlessRendered(input, 'body'), siteId })
		.returning();
	return row!;
}

export async function updatePage(siteId: string, pageId: string, input: Partial<PageInput>, tx: DbOrTx = db()) {
	const [row] = await tx
		.update(page)
		.set({ ...staleUnlessRendered(input, 'body'), updatedAt: new Date() })
		.where(and(eq(page.siteId, siteId), eq(page.id, pageId)))
		.returning();
	return row;
}

export async function deletePage(siteId: string, pageId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.delete(page)
		.where(and(eq(page.siteId, siteId), eq(page.id, pageId)))
		.returning();
	return row;
}

/** Sites with a scheduled draft page due (across sites: the scheduled-publishing job's read). */
export async function sitesWithDuePages(now: Date): Promise<string[]> {
	const rows = await db()
		.selectDistinct({ siteId: page.siteId })
		.from(page)
		.where(and(lte(page.publishAt, now), eq(page.published, false)));
	return rows.map((r) => r.siteId);
}

/** Publish the site's scheduled draft pages that are due; the ones published. */
export async function publishDuePages(siteId: string, now: Date): Promise<PageRow[]> {
	return db()
		.update(page)
		.set({ published: true, publishAt: null, updatedAt: now })
		.where(and(eq(page.siteId, siteId), lte(page.publishAt, now), eq(page.published, false)))
		.returning();
}
