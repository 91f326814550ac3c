/**
 * Following by e-mail over real HTTP with real Host headers, against the built server (ROLE=all,
 * its worker delivering to a real SMTP server on loopback): the form on the site, the double
 * opt-in link, the weekly digest and its RFC 8058 one-click unsubscribe (one POST, no cookie, no
 * Origin); site B's host knows nothing of site A's followers or tokens; bad input and floods → 4xx
 * with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { useTestDatabase } from '../support/db';
import { createEvent, createSite } from '../support/factories';
import { FAST_JOBS_ENV, get, request, startHub, type HubServer } from '../support/server';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { startJobs, stopJobs } from '../../src/lib/server/jobs';
import { jobDefinitions } from '../../src/lib/server/jobs/definitions';
import { useMailServer } from '../../src/lib/server/mail/transport';
import { saveMailSetting } from '../../src/lib/server/queries/followers';
import { sendWeeklyDigests } from '../../src/lib/server/services/followers';
import { wallTime } from '../../src/lib/time';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

describe.runIf(inject('templateDatabase'))('following by e-mail over HTTP', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let smtp: TestSmtp;
	let hostA: string;
	let hostB: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;

	/** A form post as a browser on `host` sends it (no JSON: the page answers with its status). */
	const post = (host: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
		request(hub.origin, path, host, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: `http://${host}`, ...headers },
			body: new URLSearchParams(fields).toString()
		});
	const followers = async (siteId: string) =>
		(await db().execute(sql`select email, status from follower where site_id = ${siteId} order by email`)) as unknown as {
			email: string;
			status: string;
		}[];
	const pathOf = (url: string) => new URL(url).pathname;

	beforeAll(async () => {
		process.env.AUTH_SECRET = SECRET;
		smtp = await startSmtp();
		siteA = await createSite({ name: 'Alpha Cinema', timezone: 'Europe/Berlin' });
		siteB = await createSite({ name: 'Bravo Books' });
		hostA = `${siteA.slug}.hub.test`;
		hostB = `${siteB.slug}.hub.test`;
		hub = await startHub({
			env: { DATABASE_URL: tdb.url!, SMTP_URL: smtp.url, MAIL_FROM: 'hub@mail.test', AUTH_SECRET: SECRET, ...FAST_JOBS_ENV }
		});
		// This process only queues (the digest job driven with its own "now"); the server's worker sends.
		useMailServer({ url: smtp.url, from: 'hub@mail.test' });
		await startJobs({ role: 'web', definitions: jobDefinitions });
	}, 120_000);
	afterAll(async () => {
		await stopJobs(1000);
		useMailServer(null);
		await hub?.stop();
		await smtp?.close();
	});

	it('shows the form on the events page and in the footer', async () => {
		const events = await get(hub.origin, '/events', hostA);
		expect(events.status).toBe(200);
		expect(events.body).toContain('action="/follow"');
		expect(events.body).toContain('id="footer-follow-email"');
		expect((await get(hub.origin, '/follow', hostA)).status).toBe(200);
	});

	it('follow → confirm → digest → one-click unsubscribe; B’s host knows none of it', async () => {
		const email = 'film-fan@example.org';
		const answer = await post(hostA, '/follow', { email });
		expect(answer.status).toBe(200);
		expect(answer.body).toContain('film-fan@example.org');
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(1);
		const confirmUrl = /https?:\/\/\S+\/follow\/confirm\/\S+/.exec(smtp.to(email)[0]!.text ?? '')![0];
		expect(new URL(confirmUrl).host).toBe(hostA);

		// The link on B's host: no such follower there, A's stays pending.
		const onB = await post(hostB, pathOf(confirmUrl), {});
		expect(onB.status).toBe(200);
		expect(onB.body).toContain('not valid');
		expect(await followers(siteA.id)).toEqual([{ email, status: 'pending' }]);
		expect(await followers(siteB.id)).toEqual([]);
		// Opening the link only shows the button; the POST confirms.
		expect((await get(hub.origin, pathOf(confirmUrl), hostA)).status).toBe(200);
		expect(await followers(siteA.id)).toEqual([{ email, status: 'pending' }]);
		expect((await post(hostA, pathOf(confirmUrl), {})).body).toContain('Done');
		expect(await followers(siteA.id)).toEqual([{ email, status: 'confirmed' }]);

		// The weekly digest at the site's hour in Berlin.
		const now = new Date();
		const local = wallTime(now, 'Europe/Berlin');
		const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() || 7;
		await saveMailSetting(siteA.id, { digestWeekday: weekday, digestHour: local.hour });
		await createEvent(siteA, { title: 'Metropolis', startsAt: new Date(now.getTime() + 2 * 86_400_000) });
		expect(await sendWeeklyDigests({ now })).toMatchObject({ mails: 1 });
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(2);
		const digest = smtp.to(email)[1]!;
		expect(digest.text).toContain('Metropolis');
		const unsubscribeUrl = /<(.+)>/.exec(digest.headerLines.find((h) => h.key === 'list-unsubscribe')!.line)![1]!;
		expect(digest.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toContain('List-Unsubscribe=One-Click');

		// A mail client's one-click POST: no cookie, no Origin. On B's host it does nothing.
		const oneClick = (host: string) =>
			request(hub.origin, pathOf(unsubscribeUrl), host, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'List-Unsubscribe=One-Click'
			});
		expect((await oneClick(hostB)).status).toBe(404);
		expect(await followers(siteA.id)).toHaveLength(1);
		expect((await oneClick(hostA)).status).toBe(200);
		expect(await followers(siteA.id)).toEqual([]);
		// The exemption is that path only: any other cross-site form post is still refused.
		expect((await post(hostA, '/follow', { email: 'x@example.org' }, { origin: 'http://evil.example' })).status).toBe(403);
	}, 60_000);

	it('refuses malformed addresses and floods with a 4xx page, storing nothing', async () => {
		for (const email of ['', 'nope', 'a@b', 'a b@example.org']) {
			const r = await post(hostB, '/follow', { email });
			expect(r.status).toBe(400);
			expect(r.body).toContain('name@example.org');
		}
		expect(await followers(siteB.id)).toEqual([]);
		for (let i = 0; i < 3; i++) expect((await post(hostB, '/follow', { email: 'same@example.org' })).status).toBe(200);
		const flood = await post(hostB, '/follow', { email: 'same@example.org' });
		expect(flood.status).toBe(429);
		expect(flood.body).toContain('Too many');
		expect(await followers(siteB.id)).toEqual([{ email: 'same@example.org', status: 'pending' }]);
		// Unknown tokens: a plain 4xx, never a 500.
		expect((await post(hostB, '/follow/unsubscribe/junk', {})).status).toBe(404);
		expect((await post(hostB, '/follow/confirm/junk', {})).body).toContain('not valid');
	}, 30_000);
});
