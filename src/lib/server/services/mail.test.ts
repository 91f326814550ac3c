/**
 * E-mail (invitations, domain alerts, followers) and following by e-mail against a real SMTP server on loopback, with the real job worker (ROLE=all)
 * on PostgreSQL and PGlite: follow → confirm → the weekly digest with the week's events in the
 * site's timezone and language → a cancellation to those told → unsubscribe; per-site addresses;
 * the mail server down for a while delays but never loses or doubles a mail; bad input and floods
 * are refused with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { startSmtp, type TestSmtp } from '../../../../tests/support/smtp';
import { db } from '../db';
import { startJobs, stopJobs, type JobDefinition } from '../jobs';
import { jobDefinitions, mailSend } from '../jobs/definitions';
import { useMailServer } from '../mail/transport';
import { deliverMail } from '../mail/deliver';
import { loadSiteContext } from '../hosts/site-context';
import { setEventCancelled } from './events';
import { acceptInviteLink, createInvite } from './members';
import { recheckDueDomains } from './domain-checks';
import { useDomainVerifier, httpVerifier, type VerifyResult } from '../hosts/domain-verifier';
import { user } from '../db/schema';
import { eq } from 'drizzle-orm';
import { getRole } from '../queries/members';
import { setSiteStatus } from './sites';
import {
	digestMail,
	sendCancellationMails,
	confirmFollow,
	exportFollowersCsv,
	followersPage,
	followSite,
	previewDigest,
	removeFollower,
	saveDigestSchedule,
	sendWeeklyDigests,
	unsubscribe
} from './followers';

const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
	const r = (await db().execute(query)) as unknown as T[] | { rows: T[] };
	return Array.isArray(r) ? r : r.rows;
};
const followerCount = async (siteId: string) =>
	Number((await rows<{ n: number }>(sql`select count(*)::int as n from follower where site_id = ${siteId}`))[0]!.n);

/** The path of the first link to `prefix` in a mail's text part. */
function linkIn(text: string | undefined, prefix: string): string {
	const match = new RegExp(`https?://[^\\s/]+(${prefix}[^\\s]+)`).exec(text ?? '');
	if (!match) throw new Error(`no ${prefix} link in: ${text}`);
	return match[1]!;
}

describe.each(databaseKinds())('following by e-mail on %s', (kind) => {
	useTestDatabase(kind);
	let smtp: TestSmtp;
	// Retries a second apart instead of 30 s doubling: the outage test waits for them.
	const { retryDelayMax: _max, ...sendQueue } = mailSend.queue!;
	const definitions = jobDefinitions.map((d) =>
		d.name === mailSend.name ? { ...mailSend, queue: { ...sendQueue, retryDelay: 1, retryBackoff: false } } : { ...d, cron: undefined }
	) as JobDefinition<never>[];

	beforeAll(async () => {
		smtp = await startSmtp();
		useMailServer({ url: smtp.url, from: 'hub@mail.test' });
		// Several sends at once, so mails retried every second cannot starve a new one.
		await startJobs({ role: 'all', definitions, pollingIntervalSeconds: 0.5, concurrency: 4 });
	}, 30_000);
	afterAll(async () => {
		await stopJobs(1000);
		useMailServer(null);
		await smtp?.close();
	});

	const siteContext = async (id: string) => (await loadSiteContext(id, 'hub.test'))!;

	async function followAndConfirm(siteId: string, email: string) {
		const site = await siteContext(siteId);
		await followSite(site, { email }, { ip: `10.0.0.${Math.floor(Math.random() * 200)}` });
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(1);
		const path = linkIn(smtp.to(email)[0]!.text, '/follow/confirm/');
		expect(await confirmFollow(site, path.split('/').pop())).toMatchObject({ status: 'confirmed', email });
		return site;
	}

	it('follow → confirm → the digest with the week’s events in the site’s timezone → cancellation → unsubscribe', async () => {
		// Monday 4 January 2027, 09:05 in Berlin (08:05 UTC): the site's chosen hour.
		const row = await f.createSite({ name: 'Kino Kollektiv', timezone: 'Europe/Berlin', locale: 'de', theme: { accent: '#aa2200' } });
		const owner = await f.createUser();
		const actor = await f.actorOn(row, owner, 'owner');
		await saveDigestSchedule(actor, { weekday: '1', hour: '9' });
		const email = `fan-${kind}@example.org`;
		const site = await followAndConfirm(row.id, email);
		const confirm = smtp.to(email)[0]!;
		expect(confirm.subject).toBe('Bitte bestätigen: Termine von Kino Kollektiv per E-Mail');
		expect(confirm.from?.value[0]).toMatchObject({ name: 'Kino Kollektiv', address: 'hub@mail.test' });
		expect(confirm.html).toContain('#aa2200');

		const inWeek = await f.createEvent(row, { title: 'Nosferatu', startsAt: new Date('2027-01-08T19:00:00Z'), endsAt: null });
		await f.createEvent(row, { title: 'Too late', startsAt: new Date('2027-01-12T19:00:00Z') });
		await f.createEvent(row, { title: 'A draft', startsAt: new Date('2027-01-06T19:00:00Z'), status: 'draft' });

		// 08:05 in Berlin is not the hour; 09:05 is; a second pass that hour sends nothing more.
		expect(await sendWeeklyDigests({ now: new Date('2027-01-04T07:05:00Z') })).toEqual({ sites: 0, mails: 0 });
		expect(await sendWeeklyDigests({ now: new Date('2027-01-04T08:05:00Z') })).toEqual({ sites: 1, mails: 1 });
		expect(await sendWeeklyDigests({ now: new Date('2027-01-04T08:20:00Z') })).toEqual({ sites: 0, mails: 0 });
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(2);
		const digest = smtp.to(email)[1]!;
		expect(digest.subject).toBe('Diese Woche bei Kino Kollektiv');
		expect(digest.text).toContain('Nosferatu');
		// 19:00 UTC is 20:00 in Berlin, written the German way.
		expect(digest.text).toMatch(/Freitag, 8\. Januar 2027.*20:00/);
		expect(digest.text).not.toContain('Too late');
		expect(digest.text).not.toContain('A draft');
		expect(digest.html).toContain('Nosferatu');
		const header = (name: string) => digest.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
		const unsubscribeUrl = header('list-unsubscribe')!;
		expect(unsubscribeUrl).toMatch(/^<http:\/\/.+\/follow\/unsubscribe\/.+>$/);
		expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

		// The admin's preview is the same template.
		const preview = await previewDigest(actor, new Date('2027-01-04T08:05:00Z'));
		expect(preview).toMatchObject({ events: 1, subject: 'Diese Woche bei Kino Kollektiv' });
		expect(preview.html).toContain('Nosferatu');

		// Someone who followed after the digest was not told, and hears nothing of the cancellation.
		const late = `late-${kind}@example.org`;
		await followAndConfirm(row.id, late);
		await setEventCancelled(actor, inWeek.id, true);
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(3);
		const cancelled = smtp.to(email)[2]!;
		expect(cancelled.subject).toBe('Abgesagt: Nosferatu');
		expect(cancelled.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain(unsubscribeUrl);
		expect(smtp.to(late)).toHaveLength(1); // only its confirmation

		// The token in the header removes the follower (the HTTP one-click POST: tests/http/follow.test.ts).
		const token = unsubscribeUrl.slice(1, -1).split('/').pop()!;
		expect(await unsubscribe(site, token)).toBe(true);
		expect(await followerCount(row.id)).toBe(1);
		expect(await unsubscribe(site, token.slice(0, -2) + 'xx')).toBe(false);
	}, 60_000);

	it('a suspended site mails its followers nothing (digest, cancellation, queued mail); resumed, it does again', async () => {
		const row = await f.createSite({ name: 'Paused Club', timezone: 'Europe/Berlin' });
		const actor = await f.actorOn(row, await f.createUser(), 'owner');
		await saveDigestSchedule(actor, { weekday: '1', hour: '9' });
		const email = `paused-${kind}@example.org`;
		const site = await followAndConfirm(row.id, email);
		const told = await f.createEvent(row, { title: 'Told of', startsAt: new Date('2027-01-08T19:00:00Z') });
		const hub = await f.superAdmin();
		await setSiteStatus(hub.platform, row.id, 'suspended');
		// Its hour comes: no digest (and the day is not used up).
		expect(await sendWeeklyDigests({ now: new Date('2027-01-04T08:05:00Z') })).toEqual({ sites: 0, mails: 0 });
		// A mail queued before the suspension is dropped by the worker, not sent.
		const [follower] = (await followersPage(actor)).followers;
		const queued = digestMail(site, follower!, [told], '2026-12-28');
		expect(await deliverMail(queued)).toMatchObject({ sent: false, dropped: 'site gone or suspended' });
		// A cancellation while suspended tells no one.
		expect(await sendCancellationMails({ siteId: row.id, eventId: told.id })).toBe(0);
		expect(smtp.to(email)).toHaveLength(1); // only the confirmation
		await setSiteStatus(hub.platform, row.id, 'active');
		expect(await sendWeeklyDigests({ now: new Date('2027-01-04T08:05:00Z') })).toEqual({ sites: 1, mails: 1 });
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(2);
		expect(await deliverMail(queued)).toMatchObject({ sent: true });
		expect(smtp.to(email).map((m) => m.subject)).toContain('This week at Paused Club');
	}, 60_000);

	it('keeps addresses per site: the same address on two sites, tokens of one mean nothing on the other', async () => {
		const a = await f.createSite();
		const b = await f.createSite();
		const email = `both-${kind}@example.org`;
		const siteA = await followAndConfirm(a.id, email);
		const siteB = await siteContext(b.id);
		const ownerB = await f.actorOn(b, await f.createUser(), 'owner');
		expect((await followersPage(ownerB)).followers).toEqual([]);
		expect(await exportFollowersCsv(ownerB)).not.toContain(email);
		const [followerA] = (await followersPage(await f.actorOn(a, await f.createUser(), 'owner'))).followers;
		expect(await status(removeFollower(ownerB, { id: followerA!.id }))).toBe(404);
		const { unsubscribeToken } = await import('./followers');
		expect(await unsubscribe(siteB, unsubscribeToken(a.id, followerA!.id))).toBe(false);
		// A token of A with B's signature is not A's either.
		expect(await unsubscribe(siteA, unsubscribeToken(b.id, followerA!.id))).toBe(false);
		expect(await followerCount(a.id)).toBe(1);
		// Signing up on B with an address A knows: the same answer as for any address, a new row on B.
		await followSite(siteB, { email }, { ip: '10.1.1.1' });
		expect(await followerCount(b.id)).toBe(1);
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(2);
		// Editors and admins do not see followers; owners do.
		expect(await status(followersPage(await f.actorOn(a, await f.createUser(), 'admin')))).toBe(403);
	}, 30_000);

	it('delays mail while the SMTP server is down and delivers each once when it is back', async () => {
		const row = await f.createSite();
		const site = await siteContext(row.id);
		await smtp.stop();
		onTestFinished(() => (smtp.port && !smtp.listening() ? smtp.start() : undefined));
		const addresses = [1, 2, 3].map((i) => `outage-${i}-${kind}@example.org`);
		for (const email of addresses) await followSite(site, { email }, { ip: '10.2.2.2' });
		// Every send has failed at least once while the server was away.
		await expect
			.poll(
				async () =>
					Number(
						(
							await rows<{ n: number }>(
								sql`select count(*)::int as n from pgboss.job where name = 'mail.send' and data->>'siteId' = ${row.id} and output ? 'message'`
							)
						)[0]!.n
					),
				{ timeout: 20_000 }
			)
			.toBe(3);
		expect(addresses.flatMap((a) => smtp.to(a))).toEqual([]);
		await smtp.start();
		await expect.poll(() => addresses.map((a) => smtp.to(a).length), { timeout: 30_000 }).toEqual([1, 1, 1]);
		const jobs = () =>
			rows<{ state: string; retry_count: number }>(
				sql`select state, retry_count from pgboss.job where name = 'mail.send' and data->>'siteId' = ${row.id}`
			);
		// The worker records a job done just after the server accepted its mail.
		await expect.poll(async () => (await jobs()).map((j) => j.state), { timeout: 10_000 }).toEqual(['completed', 'completed', 'completed']);
		expect((await jobs()).every((j) => j.retry_count >= 1)).toBe(true);
		// A job run again after its success sends nothing (the sent_mail row).
		const again = smtp.to(addresses[0]!)[0]!;
		const key = (
			await rows<{ message_key: string; message_id: string }>(
				sql`select message_key, message_id from sent_mail where message_id = ${again.messageId}`
			)
		)[0]!;
		expect(key.message_id).toBe(again.messageId);
		expect(
			await deliverMail({ key: key.message_key, siteId: row.id, to: addresses[0]!, fromName: 'x', subject: 'x', text: 'x', html: 'x' })
		).toMatchObject({
			sent: false
		});
		expect(smtp.to(addresses[0]!)).toHaveLength(1);
	}, 60_000);

	it('sends an invitation by e-mail whose link a second person accepts', async () => {
		const row = await f.createSite({ name: 'Invite Club' });
		const owner = await f.createUser({ name: 'Olga' });
		const actor = await f.actorOn(row, owner, 'owner');
		const email = `invitee-${kind}@example.org`;
		const made = await createInvite(actor, { role: 'editor', email, expiresInDays: '7' });
		expect(made).toMatchObject({ token: null, emailedTo: email });
		await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(1);
		const mail = smtp.to(email)[0]!;
		expect(mail.subject).toBe("You're invited to help run Invite Club");
		expect(mail.text).toContain('Olga');
		const token = linkIn(mail.text, '/invite/').split('/').pop()!;
		const invitee = await f.createUser();
		expect(await acceptInviteLink(row, token, invitee)).toMatchObject({ role: 'editor' });
		expect(await getRole(row.id, invitee.id)).toBe('editor');
		// Used once.
		expect(await acceptInviteLink(row, token, await f.createUser())).toBeNull();
		expect(await status(createInvite(actor, { role: 'editor', email: 'nope' }))).toBe(400);
		expect(await status(createInvite(actor, { role: 'editor', email, discordId: '123456789012345678' }))).toBe(400);
	}, 30_000);

	it('alerts owners with an address when a domain becomes misconfigured and when it is detached', async () => {
		const row = await f.createSite({ name: 'Domain Club' });
		const owner = await f.createMember(row, 'owner');
		const email = `owner-${kind}@example.org`;
		// Discord's verified address (stored at sign-in: tests/http/domain-alerts.test.ts); user.email stays the placeholder.
		await db().update(user).set({ discordEmail: email }).where(eq(user.id, owner.id));
		const placeholderOwner = await f.createMember(row, 'owner');
		const d = await f.createDomain(row.id, `alert-${kind}.example`, true);
		const redirects: VerifyResult = { ok: false, problem: { code: 'redirects' } };
		useDomainVerifier({ check: async () => redirects, checkTxt: async () => redirects });
		try {
			const t0 = new Date(Date.now() + 120_000);
			const grace = 3 * 86_400_000;
			expect((await recheckDueDomains({ now: t0, graceMs: grace })).misconfigured).toContain(d.hostname);
			await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(1);
			expect(smtp.to(email)[0]!.subject).toBe(`${d.hostname} no longer points to Domain Club`);
			// What the check found, said in the site's language from the code the job keeps.
			expect(smtp.to(email)[0]!.text).toContain(`Result of the last check: http://${d.hostname} redirects elsewhere`);
			expect((await recheckDueDomains({ now: new Date(t0.getTime() + grace), graceMs: grace })).detached).toContain(d.hostname);
			await expect.poll(() => smtp.to(email).length, { timeout: 15_000 }).toBe(2);
			expect(smtp.to(email)[1]!.subject).toBe(`${d.hostname} was detached from Domain Club`);
			expect(smtp.received.some((mail) => mail.text?.includes(placeholderOwner.discordId))).toBe(false);
		} finally {
			useDomainVerifier(httpVerifier);
		}
	}, 30_000);

	it('refuses a malformed address and sign-up floods, storing nothing', async () => {
		const row = await f.createSite();
		const site = await siteContext(row.id);
		for (const email of ['', 'not an address', 'a@b', `${'x'.repeat(250)}@example.org`, 42]) {
			expect(await status(followSite(site, { email }, { ip: '10.3.3.3' }))).toBe(400);
		}
		expect(await followerCount(row.id)).toBe(0);
		// One address: three sign-ups an hour.
		for (let i = 0; i < 3; i++)
			expect(await status(followSite(site, { email: `same-${kind}@example.org` }, { ip: `10.4.4.${i}` }))).toBe(200);
		expect(await status(followSite(site, { email: `same-${kind}@example.org` }, { ip: '10.4.4.9' }))).toBe(429);
		// One client: ten an hour (the address tries above came from other clients).
		for (let i = 0; i < 10; i++)
			expect(await status(followSite(site, { email: `flood-${i}-${kind}@example.org` }, { ip: '10.5.5.5' }))).toBe(200);
		expect(await status(followSite(site, { email: `flood-x-${kind}@example.org` }, { ip: '10.5.5.5' }))).toBe(429);
		expect(await followerCount(row.id)).toBe(11);
		expect((await rows(sql`select 1 from follower where email = ${`flood-x-${kind}@example.org`}`)).length).toBe(0);
	}, 30_000);
});
