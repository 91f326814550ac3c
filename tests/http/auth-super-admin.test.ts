/**
 * Super admins come from SUPER_ADMIN_DISCORD_IDS on every request, never from the database:
 * a listed id opens any site's admin (and the hub's); after a restart without the id, the very
 * next request with the same, still valid session is refused.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../support/db';
import { createMember, createSite, createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';

describe.runIf(inject('templateDatabase'))('super admin', () => {
	const tdb = useTestDatabase();
	let discord: FakeDiscord;
	let hub: HubWithDiscord | undefined;
	let hostA: string;
	let hostB: string;
	let superId: string;
	let plainId: string;
	const cookies: Record<string, string> = {};

	beforeAll(async () => {
		const a = await createSite({ name: 'Site Alpha' });
		const b = await createSite({ name: 'Site Beta' });
		await createMember(a, 'owner');
		hostA = `${a.slug}.hub.test`;
		hostB = `${b.slug}.hub.test`;
		superId = (await createUser({ name: 'Sue Super' })).discordId;
		plainId = (await createUser({ name: 'Pat Plain' })).discordId;
		discord = await startFakeDiscord();
	});
	afterAll(async () => {
		await hub?.stop();
		await discord?.close();
	});

	it('a listed Discord id opens every site’s admin and the hub panel, holding no membership', async () => {
		hub = await startHubWithDiscord({
			discord,
			env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: `111111111111111111, ${superId}` }
		});
		for (const host of [hostA, hostB, 'hub.test']) cookies[host] = await signIn(hub, host, superId);

		for (const [host, name] of [
			[hostA, 'Site Alpha'],
			[hostB, 'Site Beta']
		] as const) {
			const page = await get(hub.origin, '/admin', host, { cookie: cookies[host]! });
			expect(page.status).toBe(200);
			expect(page.body).toContain(`<title>Dashboard · ${name}</title>`);
			expect(page.body).toContain('data-super-admin');
			expect(page.body).not.toContain('data-role');
		}
		const panel = await get(hub.origin, '/admin', 'hub.test', { cookie: cookies['hub.test']! });
		expect(panel.status).toBe(200);
		expect(panel.body).toContain('<title>Super admin · Collective Hub</title>');
		// From the hub, any site's admin by URL.
		const viaHub = await get(hub.origin, `/sites/${hostA.split('.')[0]}/admin`, 'hub.test', { cookie: cookies['hub.test']! });
		expect(viaHub.status).toBe(200);
		expect(viaHub.body).toContain('<title>Dashboard · Site Alpha</title>');

		// Someone not listed gets the hub panel's 404 and the sites' no-access page.
		const plain = await signIn(hub, 'hub.test', plainId);
		expect((await get(hub.origin, '/admin', 'hub.test', { cookie: plain })).status).toBe(404);
		expect((await get(hub.origin, `/sites/${hostA.split('.')[0]}/admin`, 'hub.test', { cookie: plain })).status).toBe(403);
	});

	it('after a restart without the id, the next request with the same session is refused', async () => {
		await hub!.stop();
		hub = await startHubWithDiscord({ discord, env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: '111111111111111111' } });

		const site = await get(hub.origin, '/admin', hostA, { cookie: cookies[hostA]! });
		// Still signed in (the session is valid), but no longer allowed.
		expect(site.status).toBe(403);
		expect(site.body).toContain('Sue Super');
		expect(site.body).toContain('have access to this site');
		expect((await get(hub.origin, '/admin', 'hub.test', { cookie: cookies['hub.test']! })).status).toBe(404);
	});
});
