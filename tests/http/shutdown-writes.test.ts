/**
 * Graceful shutdown under load, with writes: a signed-in editor's form posts and visitors' page
 * views are in flight when SIGTERM arrives. Every request the server accepted gets a complete
 * answer; every post answered 303 is saved with its audit entry, and nothing else is (no write
 * lost, none half-done); the process exits 0.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { auditEvent, event } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { postAdminForm } from '../support/admin-forms';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase'))('graceful shutdown with writes in flight', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let siteId: string;
	let host: string;
	let cookie: string;

	beforeAll(async () => {
		const site = await createSite({ name: 'Closing Writes' });
		siteId = site.id;
		host = `${site.slug}.hub.test`;
		const editor = await createMember(site, 'editor');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SHUTDOWN_DRAIN_MS: '500' } });
		cookie = await signIn(hub, host, editor.discordId);
	}, 60_000);
	afterAll(() => hub?.stop('SIGKILL'));

	it('finishes accepted requests, saves exactly the answered writes, exits 0', { timeout: 60_000 }, async () => {
		const outcomes: { title: string; status: number | 'refused' }[] = [];
		const views: (number | 'refused')[] = [];
		const post = async (title: string) => {
			try {
				const r = await postAdminForm(hub.origin, '/admin/events/new?/save', host, cookie, {
					title,
					status: 'published',
					startDate: `${NEXT_YEAR}-05-01`,
					startTime: '20:00'
				});
				outcomes.push({ title, status: r.status });
			} catch {
				outcomes.push({ title, status: 'refused' });
			}
		};
		const view = async () => {
			try {
				views.push((await get(hub.origin, '/events', host)).status);
			} catch {
				views.push('refused');
			}
		};
		const work: Promise<void>[] = [];
		for (let i = 0; i < 60; i++) {
			work.push(post(`Shutdown write ${i}`), view());
			if (i === 25) setTimeout(() => hub.process.kill('SIGTERM'), 0);
			await new Promise((r) => setTimeout(r, 15));
		}
		await Promise.all(work);
		// Wait for the exit the SIGTERM above started (a second SIGTERM would mean "stop now").
		const exitCode =
			hub.process.exitCode ?? (await new Promise<number | null>((resolve) => hub.process.once('exit', (code) => resolve(code))));
		expect(exitCode).toBe(0);

		const answered = outcomes.filter((o) => o.status !== 'refused');
		expect(answered.length).toBeGreaterThan(10);
		// An accepted request is answered in full: a redirect after saving, never a 5xx or a cut reply.
		for (const o of answered) expect([303, 503], o.title).toContain(o.status);
		for (const v of views) if (v !== 'refused') expect(v).toBeLessThan(500);

		const saved = await db().select({ title: event.title }).from(event).where(eq(event.siteId, siteId));
		const savedTitles = new Set(saved.map((e) => e.title));
		for (const o of outcomes) expect(savedTitles.has(o.title), `${o.title} (${o.status})`).toBe(o.status === 303);
		const audits = await db().select().from(auditEvent).where(like(auditEvent.target, 'Shutdown write %'));
		expect(audits.length).toBe(saved.length);
		console.log(
			`shutdown under load: ${answered.length} writes answered, ${outcomes.length - answered.length} refused at the door, ${saved.length} saved`
		);
	});
});
