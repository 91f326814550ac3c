/**
 * The one place that says who hears of a change to an event. Every write that creates, changes,
 * publishes, cancels or deletes events calls `eventChanged` (one event) or `occurrencesChanged`
 * (the dates of a series) inside its transaction, and this fans out to every channel through the
 * outbox: the jobs exist if and only if the write commits.
 *
 * - Discord: the event's sync job (announcement in the channel + Guild Scheduled Event); for a
 *   series the site's pass, which walks every date in Discord's window.
 * - Fediverse: Create/Update/Delete to the site's followers (federateEventChange decides the verb
 *   and stays silent for drafts, suspended sites and federation off). For a series, each date
 *   that changed, has not started yet and starts within FEDIVERSE_WINDOW_DAYS, like a one-off
 *   event; later dates are told as they enter that window (`announceDatesEnteringWindow`).
 * - Mail: followers who were told of an event hear when it is cancelled.
 *
 * A caller never lists these hooks itself, so a new path (scheduled publishing, a restored
 * version, a series split) cannot forget one of them.
 */
import { publishedOccurrencesStarting, type EventRow } from '../queries/events';
import { loadSiteContext, type SiteContext } from '../hosts/site-context';
import { env } from '../env';
import { systemActor } from './actor';
import { write } from './write';
import { federateEventChange } from '../fediverse/delivery';
import { discordEventChanged, discordSiteChanged } from './discord';
import { queueCancellationNotices } from './followers';
import type { Write } from './write';

/**
 * How far ahead a series' dates reach followers' timelines. A weekly series materialised a year
 * ahead would otherwise post 52 Creates at once into every follower's timeline; like Discord's
 * server events, followers hear of the next four weeks, and of each later date as it comes
 * within them.
 */
export const FEDIVERSE_WINDOW_DAYS = 28;
const DAY_MS = 86_400_000;
const windowEnd = (now: Date) => new Date(now.getTime() + FEDIVERSE_WINDOW_DAYS * DAY_MS);

const newlyCancelled = (before: EventRow | null, after: EventRow | null) => after?.status === 'cancelled' && before?.status !== 'cancelled';

/** One event changed: `before` null when it was created, `after` null when it was deleted. */
export async function eventChanged(w: Write, site: SiteContext, before: EventRow | null, after: EventRow | null): Promise<void> {
	const row = after ?? before;
	if (!row) return;
	await federateEventChange(w, site, before, after);
	await discordEventChanged(w, row.id);
	if (newlyCancelled(before, after)) await queueCancellationNotices(w, site.id, row.id);
}

/** What followers see of a date: a rewrite that leaves all of it alone is no change. */
function fingerprint(e: EventRow): string {
	return JSON.stringify([
		e.slug,
		e.title,
		e.description,
		e.startsAt.getTime(),
		e.endsAt?.getTime() ?? null,
		e.allDay,
		e.venueName,
		e.venueAddress,
		e.onlineUrl,
		e.ticketUrl,
		e.imageAssetId,
		e.status
	]);
}

/**
 * The dates of one or more series changed in this write (saved, split, extended, deleted):
 * `before` and `after` are the occurrence rows read before and after it (a date missing from
 * `after` was deleted, one missing from `before` was materialised). Only dates that have not
 * started by `now` are told to the fediverse: a year of past dates re-sent on every save would
 * be noise, and the past does not change for followers. Dates beyond the window are left to
 * `announceDatesEnteringWindow`.
 */
export async function occurrencesChanged(
	w: Write,
	site: SiteContext,
	before: EventRow[],
	after: EventRow[],
	now = new Date()
): Promise<void> {
	const was = new Map(before.map((e) => [e.id, e]));
	const is = new Map(after.map((e) => [e.id, e]));
	const end = windowEnd(now);
	let changed = false;
	for (const id of new Set([...was.keys(), ...is.keys()])) {
		const b = was.get(id) ?? null;
		const a = is.get(id) ?? null;
		if (b && a && fingerprint(b) === fingerprint(a)) continue;
		changed = true;
		if ((a ?? b)!.startsAt < now) continue;
		if (newlyCancelled(b, a)) await queueCancellationNotices(w, site.id, id);
		// Neither side within the window: never told, and told as it is when it comes within it.
		if ((!b || b.startsAt > end) && (!a || a.startsAt > end)) continue;
		await federateEventChange(w, site, b, a);
	}
	// Discord's window is walked by the site's pass (it also withdraws dates that went).
	if (changed) await discordSiteChanged(w);
}

/**
 * The hourly pass: Create for every published series date that came within the window since
 * about the last pass (two hours back, so a late or missed pass loses none). A date told twice
 * is the same object id, which receivers keep once (Mastodon ignores a Create of a status it has).
 */
export async function announceDatesEnteringWindow(now = new Date()): Promise<number> {
	const end = windowEnd(now);
	const rows = await publishedOccurrencesStarting(new Date(end.getTime() - 2 * 3_600_000), end);
	const bySite = new Map<string, EventRow[]>();
	for (const row of rows) {
		const dates = bySite.get(row.siteId);
		if (dates) dates.push(row);
		else bySite.set(row.siteId, [row]);
	}
	for (const [siteId, dates] of bySite) {
		const site = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
		if (!site) continue;
		await write({ siteId, actor: systemActor() }, async (w) => {
			for (const row of dates) await federateEventChange(w, site, null, row);
		});
	}
	return rows.length;
}
