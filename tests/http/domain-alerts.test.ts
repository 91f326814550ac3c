/**
 * Domain alerts reach the owners who can be reached, end to end against the built server (ROLE=all:
 * its minute job re-checks domains with the real verifier) and a real SMTP server on loopback:
 * owners sign in with (fake) Discord, which gives the verified e-mail with the `email` scope; a
 * domain stops pointing here; the owner with an address gets the alert in their mailbox, the
 * phone-only owner (placeholder e-mail only) gets nothing and still sees it on the Domains screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { account, user } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { HttpBrowser } from '../support/http-browser';
import { FAST_JOBS_ENV, get } from '../support/server';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { fileJobNow } from '../support/run-job';
import { discordSignInFlow, ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const HOST = 'alert-club.example';
const OLD = 'old-name.invalid';
const SECOND = 'second-name.invalid';

describe.runIf(inject('templateDatabase'))('domain alerts by e-mail', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let smtp: TestSmtp;
	const withMail = '200000000000000701';
	const phoneOnly = '200000000000000702';
	const unverified = '200000000000000703';

	beforeAll(async () => {
		smtp = await startSmtp();
		const site = await createSite({ name: 'Alert Club' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		await createDomain(site.id, OLD);
		await createDomain(site.id, SECOND);
		// Nothing is due until the owners have signed in.
		await db().execute(sql`update site_domain set next_check_at = now() + interval '1 day' where site_id = ${site.id}`);
		for (const id of [withMail, phoneOnly, unverified]) await createMember(site, 'owner', { discordId: id });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SMTP_URL: smtp.url, MAIL_FROM: 'hub@mail.test', ...FAST_JOBS_ENV } });
		ensureDiscordUser(hub.discord, withMail, { email: 'Olive@Mail.Example', verified: true });
		ensureDiscordUser(hub.discord, phoneOnly, { email: null, verified: false });
		ensureDiscordUser(hub.discord, unverified, { email: 'unchecked@mail.example', verified: false });
	}, 120_000);
	afterAll(async () => {
		await hub?.stop();
		await smtp?.close();
	});

	const browsers: Record<string, HttpBrowser> = {};
	const stored = async (discordId: string) =>
		(
			await db()
				.select({ email: user.email, discordEmail: user.discordEmail })
				.from(user)
				.innerJoin(account, eq(account.userId, user.id))
				.where(eq(account.accountId, discordId))
		)[0];

	it(
		'a misconfigured domain: the owner with a verified Discord e-mail gets the alert, placeholders nothing',
		{ timeout: 150_000 },
		async () => {
			for (const id of [withMail, phoneOnly, unverified]) {
				browsers[id] = new HttpBrowser(hub);
				const flow = await discordSignInFlow(browsers[id], hub.discord, HOST, id, { next: '/admin' });
				expect(flow.final.status).toBe(200);
			}
			// Asked with the `email` scope; only a verified address is kept, and never as the identity.
			expect(hub.discord.log.some((r) => r.path === '/api/users/@me')).toBe(true);
			expect(await stored(withMail)).toEqual({ email: `${withMail}@users.discord.invalid`, discordEmail: 'olive@mail.example' });
			expect(await stored(phoneOnly)).toEqual({ email: `${phoneOnly}@users.discord.invalid`, discordEmail: null });
			expect(await stored(unverified)).toEqual({ email: `${unverified}@users.discord.invalid`, discordEmail: null });

			await db().execute(sql`update site_domain set next_check_at = now() - interval '1 minute' where hostname = ${OLD}`);
			await fileJobNow('domains.recheck');
			await expect.poll(() => smtp.to('olive@mail.example').length, { timeout: 120_000, interval: 1000 }).toBe(1);
			const alert = smtp.to('olive@mail.example')[0]!;
			expect(alert.subject).toBe(`${OLD} no longer points to Alert Club`);
			expect(alert.text).toContain(`http://${HOST}/admin/domains`);
			// Nobody else was written to: no placeholder, no unverified address.
			expect(smtp.received.flatMap((m) => (m.to && !Array.isArray(m.to) ? m.to.value.map((v) => v.address) : []))).toEqual([
				'olive@mail.example'
			]);

			// The phone-only owner sees it where they work.
			const cookie = browsers[phoneOnly]!.cookieHeader(`http://${HOST}/admin/domains`);
			const page = await get(hub.origin, '/admin/domains', HOST, { cookie });
			expect(page.status).toBe(200);
			expect(page.body).toContain(`${OLD} no longer points to this platform`);
			// And on the dashboard, where the domain is no longer shown as in order.
			const dashboard = await get(hub.origin, '/admin', HOST, { cookie });
			// Once: the old name only (the primary domain is not due for a check yet).
			expect(dashboard.body.match(/data-domain-alert[^>]*>No longer points here/g)).toHaveLength(1);
			expect(dashboard.body).toContain(OLD);
		}
	);

	it(
		'an owner without an address sets an e-mail for notices, confirmed by a link, and the next alert reaches it',
		{ timeout: 150_000 },
		async () => {
			const me = browsers[phoneOnly]!;
			const origin = { origin: `http://${HOST}` };
			const page = await me.send(`http://${HOST}/account/email`);
			expect(page.status).toBe(200);
			expect(page.body).toContain('your Discord account gives none');
			// The admin links to it.
			expect((await me.send(`http://${HOST}/admin`)).body).toContain('href="/account/email"');

			// A bad address: a 400 with the message next to the field, the input kept, nothing sent.
			const bad = await me.send(`http://${HOST}/account/email?/send`, { form: { email: 'not an address' }, headers: origin });
			expect(bad.status).toBe(400);
			expect(bad.body).toContain('Enter an e-mail address');
			expect(bad.body).toContain('value="not an address"');
			const placeholder = await me.send(`http://${HOST}/account/email?/send`, {
				form: { email: `${phoneOnly}@users.discord.invalid` },
				headers: origin
			});
			expect(placeholder.status).toBe(400);

			const address = 'phone.owner@mail.example';
			const sent = await me.follow(`http://${HOST}/account/email?/send`, { form: { email: address }, headers: origin });
			expect(sent.final.status).toBe(200);
			expect(sent.final.body).toContain(`A confirmation link is on its way to ${address}`);
			// Not used before it is confirmed.
			expect(sent.final.body).toContain('your Discord account gives none');
			await expect.poll(() => smtp.to(address).length, { timeout: 30_000 }).toBe(1);
			const mail = smtp.to(address)[0]!;
			expect(mail.subject).toBe('Confirm your e-mail for notices');
			const link = /http:\/\/[^\s]+\/account\/email\/confirm\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0];
			expect(new URL(link).host).toBe(HOST);

			// Opened signed out (a mail scanner, another browser): sign-in first, nothing confirmed.
			const stranger = await new HttpBrowser(hub).send(link);
			expect(stranger.status).toBe(303);
			expect(stranger.location).toContain('/login?next=');
			// A link with another token: nothing.
			const other = await me.send(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
			expect(other.body).toContain('This link no longer works');

			const confirmed = await me.send(link);
			expect(confirmed.status).toBe(200);
			expect(confirmed.body).toContain(`from now on notices go to ${address}`);
			expect((await me.send(link)).body).toContain('This link no longer works');
			expect((await me.send(`http://${HOST}/account/email`)).body).toContain(`Notices go to ${address}.`);
			const [row] = await db()
				.select({ notice: user.noticeEmail, email: user.email })
				.from(user)
				.innerJoin(account, eq(account.userId, user.id))
				.where(eq(account.accountId, phoneOnly));
			expect(row).toEqual({ notice: address, email: `${phoneOnly}@users.discord.invalid` });

			await db().execute(sql`update site_domain set next_check_at = now() - interval '1 minute' where hostname = ${SECOND}`);
			await fileJobNow('domains.recheck');
			await expect.poll(() => smtp.to(address).length, { timeout: 120_000, interval: 1000 }).toBe(2);
			expect(smtp.to(address)[1]!.subject).toBe(`${SECOND} no longer points to Alert Club`);
			await expect.poll(() => smtp.to('olive@mail.example').length, { timeout: 10_000 }).toBe(2);
		}
	);
});
