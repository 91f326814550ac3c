/** The homepage editor's content: one row per site, created with the site. */
import { eq, sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { preparedQuery } from '../db/prepared';
import { home } from '../db/schema';
import { staleUnlessRendered, type RenderedInput } from './rich-text';
import { RENDER_VERSION } from '../rich-text-version';

export type HomeRow = typeof home.$inferSelect;
export type HomeInput = Omit<HomeRow, 'siteId' | 'updatedAt' | 'html' | 'renderVersion'> & RenderedInput;

/** Read on every uncached home page. */
const homeOfSite = preparedQuery((on) =>
	on
		.select()
		.from(home)
		.where(eq(home.siteId, sql.placeholder('siteId')))
		.prepare('home_of_site')
);

export async function getHome(siteId: string): Promise<HomeRow> {
	const [row] = await homeOfSite().execute({ siteId });
	return (
		row ?? {
			siteId,
			heroTitle: '',
			heroText: '',
			intro: '',
			html: '',
			renderVersion: RENDER_VERSION,
			showEvents: true,
			showLinks: true,
			updatedAt: new Date(0)
		}
	);
}

export async function saveHome(siteId: string, input: HomeInput, tx: DbOrTx = db()): Promise<HomeRow> {
	const values = { ...staleUnlessRendered(input, 'intro'), siteId, updatedAt: new Date() };
	const [row] = await tx.insert(home).values(values).onConflictDoUpdate({ target: home.siteId, set: values }).returning();
	return row!;
}
