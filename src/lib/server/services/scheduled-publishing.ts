/**
 * Scheduled publishing: an editor saves a draft with "publish at"; the jobs worker publishes it
 * then, without anyone opening the admin. A save queues one job for that instant (in the save's
 * transaction: the outbox), and a job every minute catches anything due that no job was queued
 * for (a time moved, a queue restored from backup). Publishing is a conditional update, so a late,
 * repeated or superseded job publishes nothing twice: a draft rescheduled or unscheduled since no
 * longer matches.
 */
import { sitesWithDueEvents, publishDueEvents } from '../queries/events';
import { sitesWithDuePages, publishDuePages } from '../queries/pages';
import { systemActor } from './actor';
import { write, type Write } from './write';
import { eventChanged } from './event-changed';
import { loadSiteContext } from '../hosts/site-context';
import { env } from '../env';

export const PUBLISH_DUE_JOB = 'content.publish-due';

/** Queue the publication of a draft saved with a time (no-op without one). */
export async function queuePublication(w: Write, publishAt: Date | null): Promise<void> {
	if (publishAt) await w.enqueue({ name: PUBLISH_DUE_JOB, options: { startAfter: publishAt } });
}

export interface PublishReport {
	events: string[];
	pages: string[];
}

/** Publish every scheduled draft that is due, site by site (each site's caches drop with its write). */
export async function publishDueContent(now = new Date()): Promise<PublishReport> {
	const report: PublishReport = { events: [], pages: [] };
	const sites = new Set([...(await sitesWithDueEvents(now)), ...(await sitesWithDuePages(now))]);
	const actor = systemActor();
	for (const siteId of sites) {
		const site = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
		await write({ siteId, actor }, async (w) => {
			for (const row of await publishDueEvents(siteId, now)) {
				await w.audit({ action: 'event.publish_scheduled', targetType: 'event', targetId: row.id, target: row.title });
				// Going public by its time is publishing: announced like a click on "Publish".
				if (site) await eventChanged(w, site, { ...row, status: 'draft' }, row);
				report.events.push(row.id);
			}
			for (const row of await publishDuePages(siteId, now)) {
				await w.audit({ action: 'page.publish_scheduled', targetType: 'page', targetId: row.id, target: row.title });
				report.pages.push(row.id);
			}
		});
	}
	return report;
}
