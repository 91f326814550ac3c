/**
 * The Discord screen over real HTTP on the built server (ROLE=all: it also runs the worker), with
 * a fake Discord API on loopback: a bad webhook URL is a 400 with the error beside the field and
 * nothing saved; a good one takes one test message; an event published in the editor is
 * announced once by the worker; another site's owner sees none of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { discordSettings } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { FAST_JOBS_ENV, get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api';

describe.runIf(inject('templateDatabase'))('admin: Discord', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let api: FakeDiscordApi;
	let A: Awaited<ReturnType<typeof createSite>>;
	let B: Awaited<ReturnType<typeof createSite>>;
	let cookieA: string;
	let cookieB: string;
	/** B's owner, signed in on A's host. */
	let cookieBonA: string;
	let guild: ReturnType<FakeDiscordApi['addGuild']>;
	const hostA = () => `${A.slug}.hub.test`;
	const hostB = () => `${B.slug}.hub.test`;

	beforeAll(async () => {
		api = await startFakeDiscordApi();
		guild = api.addGuild({ bot: true });
		A = await createSite({ name: 'Discord Film Club' });
		B = await createSite({ name: 'Other Collective' });
		const ownerA = await createMember(A, 'owner');
		const ownerB = await createMember(B, 'owner');
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				DISCORD_API_BASE_URL: api.apiBase,
				DISCORD_BOT_CLIENT_ID: '223456789012345678',
				DISCORD_BOT_TOKEN: api.botToken,
				...FAST_JOBS_ENV
			}
		});
		cookieA = await signIn(hub, hostA(), ownerA.discordId);
		cookieB = await signIn(hub, hostB(), ownerB.discordId);
		cookieBonA = await signIn(hub, hostA(), ownerB.discordId);
	}, 120_000);
	afterAll(async () => {
		await hub?.stop();
		await api?.close();
	});

	it('shows the screen in the admin menu, with the webhook form and the bot invite step waiting for a webhook', async () => {
		const r = await get(hub.origin, '/admin/discord', hostA(), { cookie: cookieA });
		expect(r.status).toBe(200);
		expect(r.body).toContain('Channel announcements');
		expect(r.body).toContain('Connect a channel webhook first');
		expect(r.body).toMatch(/href="\/admin\/discord"[^>]*>|href="\/admin\/discord"/);
	});

	it('a URL that is not a Discord webhook: 400, the error beside the field, the input kept, nothing saved, Discord not asked', async () => {
		const before = api.log.length;
		const r = await postAdminForm(hub.origin, '/admin/discord?/webhook', hostA(), cookieA, {
			webhookUrl: 'https://discord.example/api/webhooks/1/2',
			announcePublish: 'on'
		});
		expect(r.status).toBe(400);
		expect(r.body).toContain('Paste a Discord webhook URL');
		expect(r.body).toContain('aria-invalid="true"');
		expect(r.body).toContain('value="https://discord.example/api/webhooks/1/2"');
		expect(api.log.length).toBe(before);
		expect(await db().select().from(discordSettings).where(eq(discordSettings.siteId, A.id))).toEqual([]);
	});

	it('a good webhook: one test message, saved; a published event is announced once by the worker', async () => {
		const r = await postAdminForm(hub.origin, '/admin/discord?/webhook', hostA(), cookieA, {
			webhookUrl: guild.webhookUrl,
			announcePublish: 'on',
			announceChanges: 'on',
			announceCancel: 'on'
		});
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe('/admin/discord?done=tested');
		expect(api.messages.map((m) => m.content)).toEqual([expect.stringContaining('Discord Film Club')]);
		const page = await get(hub.origin, '/admin/discord?done=tested', hostA(), { cookie: cookieA });
		expect(page.body).toContain('A test message was posted');
		expect(page.body).toContain('Add the bot to the server');
		expect(page.body).not.toContain(guild.webhook.token);

		const year = new Date().getUTCFullYear() + 1;
		const saved = await postAdminForm(hub.origin, '/admin/events/new?/save', hostA(), cookieA, {
			title: 'Announced over HTTP',
			status: 'published',
			startDate: `${year}-06-01`,
			startTime: '20:00',
			endTime: '22:00',
			venueName: 'The Back Room',
			description: 'A film.'
		});
		expect(saved.status).toBe(303);
		await expect.poll(() => api.messages.filter((m) => m.embeds[0]?.title === 'Announced over HTTP').length, { timeout: 20_000 }).toBe(1);
		const embed = api.messages.find((m) => m.embeds[0]?.title === 'Announced over HTTP')!.embeds[0] as { url: string };
		expect(embed.url).toBe(`http://${hostA()}/events/announced-over-http`);
	});

	it('another site’s owner sees nothing of it on their own screen, and is refused on this site’s', async () => {
		const own = await get(hub.origin, '/admin/discord', hostB(), { cookie: cookieB });
		expect(own.status).toBe(200);
		expect(own.body).not.toContain(guild.webhook.id);
		expect(own.body).not.toContain(guild.guildId);
		const theirs = await get(hub.origin, '/admin/discord', hostA(), { cookie: cookieBonA });
		expect(theirs.status).toBe(403);
		const post = await postAdminForm(hub.origin, '/admin/discord?/disconnect', hostA(), cookieBonA, { confirm: 'yes' });
		expect(post.status).toBe(403);
		expect(await db().select().from(discordSettings).where(eq(discordSettings.siteId, A.id))).toHaveLength(1);
	});
});
