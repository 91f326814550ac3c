/** Rich text beside its Markdown (server/rich-text.ts): the rows a text embeds, stale rows. */
import { and, eq, inArray, like, lt } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { event, home, page } from '../db/schema';
import { RENDER_VERSION } from '../rich-text-version';
import { references, renderRichText } from '../rich-text';

/** The site's public events with these slugs (event cards). */
export async function embeddableEvents(siteId: string, slugs: string[]) {
	if (slugs.length === 0) return [];
	return db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), inArray(event.slug, slugs), inArray(event.status, ['published', 'cancelled'])));
}

export type StaleTable = 'page' | 'event' | 'home';

/** The site's texts that show a card of the event `slug` (at most `limit`). */
export async function textsEmbedding(siteId: string, slug: string, limit = 200) {
	const needle = `%:::event%slug="${slug}"%`;
	const [pages, events, homes] = await Promise.all([
		db()
			.select({ id: page.id, markdown: page.body })
			.from(page)
			.where(and(eq(page.siteId, siteId), like(page.body, needle)))
			.limit(limit),
		db()
			.select({ id: event.id, markdown: event.description })
			.from(event)
			.where(and(eq(event.siteId, siteId), like(event.description, needle)))
			.limit(limit),
		db()
			.select({ id: home.siteId, markdown: home.intro })
			.from(home)
			.where(and(eq(home.siteId, siteId), like(home.intro, needle)))
	]);
	return [
		...pages.map((r) => ({ ...r, table: 'page' as const })),
		...events.map((r) => ({ ...r, table: 'event' as const })),
		...homes.map((r) => ({ ...r, table: 'home' as const }))
	];
}

/** A batch of rows written by an older renderer (or not rendered at all), of every site. */
export async function staleTexts(limit: number): Promise<{ table: StaleTable; id: string; siteId: string; markdown: string }[]> {
	const [pages, events, homes] = await Promise.all([
		db()
			.select({ id: page.id, siteId: page.siteId, markdown: page.body })
			.from(page)
			.where(lt(page.renderVersion, RENDER_VERSION))
			.limit(limit),
		db()
			.select({ id: event.id, siteId: event.siteId, markdown: event.description })
			.from(event)
			.where(lt(event.renderVersion, RENDER_VERSION))
			.limit(limit),
		db()
			.select({ id: home.siteId, siteId: home.siteId, markdown: home.intro })
			.from(home)
			.where(lt(home.renderVersion, RENDER_VERSION))
			.limit(limit)
	]);
	return [
		...pages.map((r) => ({ ...r, table: 'page' as const })),
		...events.map((r) => ({ ...r, table: 'event' as const })),
		...homes.map((r) => ({ ...r, table: 'home' as const }))
	];
}

/**
 * Store a re-rendered text, only if its Markdown is still the one rendered (an edit in between
 * already stored its own HTML). Returns whether the row was updated.
 */
export async function storeRendered(
	table: StaleTable,
	siteId: string,
	id: string,
	markdown: string,
	html: string,
	tx: DbOrTx = db()
): Promise<boolean> {
	const set = { html, renderVersion: RENDER_VERSION };
	const rows =
		table === 'page'
			? await tx
					.update(page)
					.set(set)
					.where(and(eq(page.siteId, siteId), eq(page.id, id), eq(page.body, markdown)))
					.returning({ id: page.id })
			: table === 'event'
				? await tx
						.update(event)
						.set(set)
						.where(and(eq(event.siteId, siteId), eq(event.id, id), eq(event.description, markdown)))
						.returning({ id: event.id })
				: await tx
						.update(home)
						.set(set)
						.where(and(eq(home.siteId, siteId), eq(home.intro, markdown)))
						.returning({ id: home.siteId });
	return rows.length > 0;
}

/** The stored HTML of a text (server/rich-text.ts), when the writer rendered it. */
export interface RenderedInput {
	html?: string;
	renderVersion?: number;
}

/**
 * A write that changes the Markdown without giving its HTML (series dates, copies, seeds): a text
 * that names no image and no event needs no lookup and is rendered here; any other is marked stale,
 * so the old HTML is never shown for the new text (readers render it on the fly, the job stores it).
 */
export function staleUnlessRendered<T extends RenderedInput>(input: T, markdown: keyof T): T {
	const text = input[markdown];
	if (typeof text !== 'string' || input.html !== undefined) return input;
	const refs = references(text);
	if (refs.media.length || refs.eventSlugs.length) return { ...input, renderVersion: 0 };
	return { ...input, html: renderRichText(text, { images: new Map(), events: new Map(), mediaBase: '' }), renderVersion: RENDER_VERSION };
}
