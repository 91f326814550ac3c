/** Discord settings, event ↔ Discord object links and recent problems, per site. */
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { db } from '../db';
import { discordEventLink, discordProblem, discordSettings, event } from '../db/schema';

export type DiscordSettingsRow = typeof discordSettings.$inferSelect;
export type DiscordLinkRow = typeof discordEventLink.$inferSelect;
export type DiscordProblemRow = typeof discordProblem.$inferSelect;
export type DiscordSettingsInput = Partial<Omit<DiscordSettingsRow, 'siteId' | 'updatedAt'>>;

/** Problems kept per site (older ones are dropped as new ones arrive). */
const PROBLEMS_KEPT = 20;

export async function getDiscordSettings(siteId: string): Promise<DiscordSettingsRow | undefined> {
	const [row] = await db().select().from(discordSettings).where(eq(discordSettings.siteId, siteId));
	return row;
}

export async function saveDiscordSettings(siteId: string, input: DiscordSettingsInput): Promise<DiscordSettingsRow> {
	const [row] = await db()
		.insert(discordSettings)
		.values({ siteId, ...input })
		.onConflictDoUpdate({ target: discordSettings.siteId, set: { ...input, updatedAt: new Date() } })
		.returning();
	return row!;
}

export async function deleteDiscordSettings(siteId: string): Promise<boolean> {
	const rows = await db().delete(discordSettings).where(eq(discordSettings.siteId, siteId)).returning({ siteId: discordSettings.siteId });
	return rows.length > 0;
}

/** Sites with Discord settings (platform work: the hourly pass over every connected site). */
export async function listDiscordSiteIds(): Promise<string[]> {
	const rows = await db().select({ siteId: discordSettings.siteId }).from(discordSettings);
	return rows.map((r) => r.siteId);
}

export async function getDiscordLink(siteId: string, eventId: string): Promise<DiscordLinkRow | undefined> {
	const [row] = await db()
		.select()
		.from(discordEventLink)
		.where(and(eq(discordEventLink.siteId, siteId), eq(discordEventLink.eventId, eventId)));
	return row;
}

/** Update (creating if needed) one event's link; `expect` makes it conditional on the current states. */
export async function saveDiscordLink(
	siteId: string,
	eventId: string,
	input: Partial<Omit<DiscordLinkRow, 'siteId' | 'eventId' | 'updatedAt'>>
): Promise<DiscordLinkRow> {
	const [row] = await db()
		.insert(discordEventLink)
		.values({ siteId, eventId, ...input })
		.onConflictDoUpdate({ target: [discordEventLink.siteId, discordEventLink.eventId], set: { ...input, updatedAt: new Date() } })
		.returning();
	return row!;
}

export async function deleteDiscordLink(siteId: string, eventId: string): Promise<void> {
	await db()
		.delete(discordEventLink)
		.where(and(eq(discordEventLink.siteId, siteId), eq(discordEventLink.eventId, eventId)));
}

/** Announcements held back as uncertain go out again on a resync (the admin checked the channel). */
export async function releaseUncertainMessages(siteId: string): Promise<number> {
	const rows = await db()
		.update(discordEventLink)
		.set({ messageState: 'none', updatedAt: new Date() })
		.where(and(eq(discordEventLink.siteId, siteId), eq(discordEventLink.messageState, 'uncertain')))
		.returning({ eventId: discordEventLink.eventId });
	return rows.length;
}

/**
 * The events a site-wide pass looks at: every event with a link (it may need an edit or a
 * removal, its event may be gone) and every published or cancelled event still to come (one-offs
 * from now on; occurrences of a series only before `occurrencesUntil`).
 */
export async function listDiscordCandidates(siteId: string, now: Date, occurrencesUntil: Date): Promise<string[]> {
	const linked = await db().select({ id: discordEventLink.eventId }).from(discordEventLink).where(eq(discordEventLink.siteId, siteId));
	const upcoming = await db()
		.select({ id: event.id })
		.from(event)
		.where(
			and(
				eq(event.siteId, siteId),
				ne(event.status, 'draft'),
				gte(sql`coalesce(${event.endsAt}, ${event.startsAt})`, sql.param(now, event.startsAt)),
				or(sql`${event.seriesId} is null`, lt(event.startsAt, occurrencesUntil))
			)
		)
		.orderBy(asc(event.startsAt))
		.limit(500);
	return [...new Set([...linked.map((r) => r.id), ...upcoming.map((r) => r.id)])];
}

export async function countDiscordLinks(siteId: string): Promise<{ messages: number; scheduled: number }> {
	const [row] = await db()
		.select({
			messages: sql<number>`count(*) filter (where ${discordEventLink.messageState} = 'posted')::int`,
			scheduled: sql<number>`count(*) filter (where ${discordEventLink.scheduledState} = 'created')::int`
		})
		.from(discordEventLink)
		.where(eq(discordEventLink.siteId, siteId));
	return { messages: Number(row?.messages ?? 0), scheduled: Number(row?.scheduled ?? 0) };
}

export async function addDiscordProblem(
	siteId: string,
	problem: Pick<DiscordProblemRow, 'area' | 'kind' | 'detail' | 'eventId'>
): Promise<void> {
	await db()
		.insert(discordProblem)
		.values({ siteId, ...problem });
	const keep = db()
		.select({ id: discordProblem.id })
		.from(discordProblem)
		.where(eq(discordProblem.siteId, siteId))
		.orderBy(desc(discordProblem.at))
		.limit(PROBLEMS_KEPT);
	await db()
		.delete(discordProblem)
		.where(and(eq(discordProblem.siteId, siteId), notInArray(discordProblem.id, keep)));
}

export async function listDiscordProblems(siteId: string, limit = 10) {
	return db()
		.select({
			id: discordProblem.id,
			area: discordProblem.area,
			kind: discordProblem.kind,
			detail: discordProblem.detail,
			at: discordProblem.at,
			eventId: discordProblem.eventId,
			eventTitle: event.title
		})
		.from(discordProblem)
		.leftJoin(event, and(eq(event.siteId, discordProblem.siteId), eq(event.id, discordProblem.eventId)))
		.where(eq(discordProblem.siteId, siteId))
		.orderBy(desc(discordProblem.at))
		.limit(limit);
}

/** Links whose scheduled events still exist on Discord (to remove them after a disconnect). */
export async function listScheduledLinks(siteId: string): Promise<DiscordLinkRow[]> {
	return db()
		.select()
		.from(discordEventLink)
		.where(
			and(
				eq(discordEventLink.siteId, siteId),
				inArray(discordEventLink.scheduledState, ['created', 'cancelled', 'sending']),
				isNotNull(discordEventLink.scheduledGuildId)
			)
		);
}
