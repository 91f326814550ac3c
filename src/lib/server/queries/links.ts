/** Navigation links and social links of one site, each an ordered list. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { navLink, socialLink } from '../db/schema';

export type NavLinkRow = typeof navLink.$inferSelect;
export type SocialLinkRow = typeof socialLink.$inferSelect;

const tables = { nav: navLink, social: socialLink } as const;
export type LinkKind = keyof typeof tables;

export async function listNavLinks(siteId: string): Promise<NavLinkRow[]> {
	return db().select().from(navLink).where(eq(navLink.siteId, siteId)).orderBy(asc(navLink.position), asc(navLink.createdAt));
}

export async function listSocialLinks(siteId: string): Promise<SocialLinkRow[]> {
	return db().select().from(socialLink).where(eq(socialLink.siteId, siteId)).orderBy(asc(socialLink.position), asc(socialLink.createdAt));
}

async function nextPosition(tx: DbOrTx, kind: LinkKind, siteId: string): Promise<number> {
	const t = tables[kind];
	const [row] = await tx
		.select({ max: sql<number | null>`max(${t.position})` })
		.from(t)
		.where(eq(t.siteId, siteId));
	return (row?.max ?? -1) + 1;
}

export async function addNavLink(siteId: string, input: { label: string; url: string }, tx: DbOrTx = db()) {
	const position = await nextPosition(tx, 'nav', siteId);
	const [row] = await tx
		.insert(navLink)
		.values({ ...input, siteId, position })
		.returning();
	return row!;
}

export async function addSocialLink(siteId: string, input: { platform: string; url: string }, tx: DbOrTx = db()) {
	const position = await nextPosition(tx, 'social', siteId);
	const [row] = await tx
		.insert(socialLink)
		.values({ ...input, siteId, position })
		.returning();
	return row!;
}

export async function updateNavLink(siteId: string, id: string, input: { label: string; url: string }, tx: DbOrTx = db()) {
	const [row] = await tx
		.update(navLink)
		.set({ ...input, updatedAt: new Date() })
		.where(and(eq(navLink.siteId, siteId), eq(navLink.id, id)))
		.returning();
	return row;
}

export async function updateSocialLink(siteId: string, id: string, input: { platform: string; url: string }, tx: DbOrTx = db()) {
	const [row] = await tx
		.update(socialLink)
		.set({ ...input, updatedAt: new Date() })
		.where(and(eq(socialLink.siteId, siteId), eq(socialLink.id, id)))
		.returning();
	return row;
}

export async function deleteLink(kind: LinkKind, siteId: string, id: string, tx: DbOrTx = db()) {
	const t = tables[kind];
	const [row] = await tx
		.delete(t)
		.where(and(eq(t.siteId, siteId), eq(t.id, id)))
		.returning({ id: t.id });
	return row;
}

/**
 * Move a link one place up or down by swapping positions with its neighbour (run it in a
 * transaction: the rows are locked while positions are rewritten). Keyboard-friendly
 * reordering (buttons) rather than drag-and-drop only. Returns false when the link is not the site's.
 */
export async function moveLink(kind: LinkKind, siteId: string, id: string, direction: 'up' | 'down', tx: DbOrTx = db()): Promise<boolean> {
	const t = tables[kind];
	const rows = await tx
		.select({ id: t.id, position: t.position })
		.from(t)
		.where(eq(t.siteId, siteId))
		.orderBy(asc(t.position), asc(t.createdAt))
		.for('update');
	const index = rows.findIndex((r) => r.id === id);
	if (index < 0) return false;
	const other = direction === 'up' ? index - 1 : index + 1;
	if (other < 0 || other >= rows.length) return true;
	const order = rows.map((r) => r.id);
	[order[index], order[other]] = [order[other]!, order[index]!];
	// Rewrite positions 0..n-1 so ties from concurrent inserts are also resolved.
	for (const [position, linkId] of order.entries()) {
		await tx
			.update(t)
			.set({ position })
			.where(and(eq(t.siteId, siteId), eq(t.id, linkId)));
	}
	return true;
}
