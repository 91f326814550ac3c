/**
 * Discord announcements and Guild Scheduled Events, end to end through the services, the outbox
 * and the jobs worker (ROLE=all in this process), against a fake Discord API on loopback that
 * speaks Discord's JSON, errors and rate limits. On PostgreSQL and on PGlite.
 *
 * Time is compressed: the queue retries after 1 s instead of 10 s doubling; the rest is real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../../../tests/support/fake-discord-api';
import { setTestEnv } from '../../../../tests/support/env';
import { db, siteRead } from '../db';
import { discordEventLink, discordProblem, discordSettings } from '../db/schema';
import { resetEnvForTests } from '../env';
import { resetDiscordClients } from '../discord/api';
import { discordFaults } from '../discord/sync';
import { discordJobs } from '../discord/jobs';
import { getDiscordLink, getDiscordSettings } from '../queries/discord';
import { getEvent } from '../queries/events';
import { startJobs, stopJobs, type JobDefinition } from '../jobs';
import type { SiteActor } from './actor';
import { deleteEvent, saveEvent, setEventCancelled } from './events';
import { saveSeries } from './series';
import { discordSettingsView, disconnectDiscord, resyncDiscord, saveDiscordEvents, saveDiscordWebhook } from './discord';
import { publishDueContent } from './scheduled-publishing';
import { setSiteStatus } from './sites';
import { publishDue } from '../jobs/definitions';
import { localDateTimeInput } from '../../time';
import { sql } from 'drizzle-orm';

let fake: FakeDiscordApi;
const ENV = { DISCORD_BOT_CLIENT_ID: '123456789012345678', PLATFORM_DOMAIN: 'hub.test', PUBLIC_SCHEME: 'http' };
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
	fake = await startFakeDiscordApi();
	restoreEnv = setTestEnv({ ...ENV, DISCORD_API_BASE_URL: fake.apiBase, DISCORD_BOT_TOKEN: fake.botToken });
	resetDiscordClients();
});
afterAll(async () => {
	restoreEnv?.();
	resetDiscordClients();
	await fake?.close();
});
afterEach(() => {
	fake.down = false;
	fake.messageContent = true;
	delete discordFaults.afterCreate;
});

/** The production jobs with the queue's retry delays compressed to a second. */
const fastJobs = discordJobs
	.map((d) => {
		const { retryDelayMax: _max, ...queue } = d.queue ?? {};
		void _max;
		return { ...d, queue: { ...queue, retryDelay: 1, retryBackoff: false } };
	})
	.concat([{ ...publishDue, cron: undefined }] as never) as JobDefinition<never>[];

const inDays = (days: number, hour = 19) => {
	const d = new Date(Date.now() + days * 86_400_000);
	return { date: d.toISOString().slice(0, 10), time: `${String(hour).padStart(2, '0')}:00` };
};
const eventForm = (title: string, days: number, extra: Record<string, string> = {}) => {
	const at = inDays(days);
	return {
		title,
		startDate: at.date,
		startTime: at.time,
		endTime: '22:00',
		venueName: 'Kino Ost',
		venueAddress: 'Hauptstr. 1',
		intent: 'publish',
		...extra
	};
};
/** The states of the Discord sync jobs queued for one event. */
const discordJobStates = async (eventId: string) => {
	const r = (await db().execute(
		sql`select state from pgboss.job where name = 'discord.event' and data->>'eventId' = ${eventId} order by created_on`
	)) as unknown as { state: string }[] | { rows: { state: string }[] };
	return (Array.isArray(r) ? r : r.rows).map((j) => j.state);
};
const messagesOf = (title: string) => fake.messages.filter((m) => m.embeds.some((e) => String(e.title).includes(title)));
const requests = (method: string, path: RegExp) => fake.log.filter((r) => r.method === method && path.test(r.path));

for (const kind of databaseKinds()) {
	describe(`Discord on ${kind}`, () => {
		useTestDatabase(kind);
		let A: Awaited<ReturnType<typeof f.createSite>>;
		let admin: SiteActor;
		let editor: SiteActor;
		let guild: ReturnType<FakeDiscordApi['addGuild']>;

		beforeAll(async () => {
			await startJobs({ role: 'all', definitions: fastJobs, pollingIntervalSeconds: 0.5 });
			A = await f.createSite({ name: `Kino ${kind}`, slug: `kino-${kind}`, locale: 'de', timezone: 'Europe/Berlin' });
			admin = await f.actorOn(A, await f.createMember(A, 'admin'), 'admin');
			editor = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
			guild = fake.addGuild({ bot: true });
		}, 60_000);
		afterAll(() => stopJobs(1000));

		/**
		 * The worker "dies" once, right after Discord created the message for the event titled
		 * `title` and before it is recorded. Other events' jobs (an earlier test's site pass) may
		 * post meanwhile: they are left alone.
		 */
		const crashOnceAfterPosting = (title: string) => {
			const state = { crashes: 0 };
			discordFaults.afterCreate = async (what, eventId) => {
				if (what !== 'message' || state.crashes > 0) return;
				if ((await siteRead(A.id, () => getEvent(A.id, eventId)))?.title !== title) return;
				state.crashes++;
				throw new Error('worker killed after send, before record');
			};
			return state;
		};

		it('refuses a URL that is not a Discord webhook with a field error, asks Discord nothing and saves nothing', async () => {
			const before = fake.log.length;
			for (const webhookUrl of [
				'https://example.com/api/webhooks/123456789012345678/abc',
				`http://discord.com/api/webhooks/${guild.webhook.id}/${guild.webhook.token}`,
				`https://discord.com/api/webhooks/12/${guild.webhook.token}`,
				`https://discord.com.evil.example/api/webhooks/${guild.webhook.id}/${guild.webhook.token}`
			]) {
				const error = await saveDiscordWebhook(admin, { webhookUrl, announcePublish: 'on' }).catch((e) => e);
				expect(error.status, webhookUrl).toBe(400);
				expect(error.fields.webhookUrl).toContain('https://discord.com/api/webhooks/');
			}
			expect(fake.log.length).toBe(before);
			expect(await siteRead(A.id, () => getDiscordSettings(A.id))).toBeUndefined();
		});

		it('refuses a webhook Discord does not know, and one whose test message fails, saving nothing', async () => {
			const wrongToken = `https://discord.com/api/webhooks/${guild.webhook.id}/${'x'.repeat(68)}`;
			const unknown = await saveDiscordWebhook(admin, { webhookUrl: wrongToken }).catch((e) => e);
			expect(unknown.status).toBe(400);
			expect(unknown.fields.webhookUrl).toMatch(/does not know this webhook/);
			fake.down = true;
			const down = await saveDiscordWebhook(admin, { webhookUrl: guild.webhookUrl }).catch((e) => e);
			expect(down.status).toBe(400);
			expect(down.fields.webhookUrl).toMatch(/test message could not be posted/);
			expect(await siteRead(A.id, () => getDiscordSettings(A.id))).toBeUndefined();
			expect(fake.messages.filter((m) => m.webhook_id === guild.webhook.id)).toEqual([]);
		});

		it('saves a webhook after one test message in the site’s language; editors may not', async () => {
			expect(await status(saveDiscordWebhook(editor, { webhookUrl: guild.webhookUrl }))).toBe(403);
			const result = await saveDiscordWebhook(admin, {
				webhookUrl: guild.webhookUrl,
				announcePublish: 'on',
				announceChanges: 'on',
				announceCancel: 'on'
			});
			expect(result.tested).toBe(true);
			const tests = fake.messages.filter((m) => m.webhook_id === guild.webhook.id);
			expect(tests.map((m) => m.content)).toEqual([
				`Kino ${kind} ist jetzt mit diesem Kanal verbunden: Neue Veranstaltungen werden hier angekündigt.`
			]);
			const view = await discordSettingsView(admin);
			expect(view).toMatchObject({ connected: true, guildId: guild.guildId, channelId: guild.channelId, announceChanges: true });
			expect(JSON.stringify(view)).not.toContain(guild.webhook.token);
			// Saving the choices again without a URL keeps the webhook and sends no test message.
			await saveDiscordWebhook(admin, { announcePublish: 'on', announceChanges: 'on', announceCancel: 'on' });
			expect(fake.messages.filter((m) => m.webhook_id === guild.webhook.id)).toHaveLength(1);
		});

		it('publish → exactly one post; change of time → the same message edited; cancel → marked cancelled', async () => {
			const title = `Premiere ${kind}`;
			const event = await saveEvent(editor, null, eventForm(title, 3));
			await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
			const [message] = messagesOf(title);
			const embed = message!.embeds[0] as { url: string; fields: { name: string; value: string }[]; title: string };
			const unix = Math.floor(event.startsAt.getTime() / 1000);
			expect(embed.url).toBe(`http://${A.slug}.hub.test/events/${event.slug}`);
			expect(embed.fields).toEqual([
				{ name: 'Wann', value: `<t:${unix}:F> (<t:${unix}:R>)` },
				{ name: 'Wo', value: 'Kino Ost, Hauptstr. 1' }
			]);
			await expect.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, event.id)))?.messageId).toBe(message!.id);

			const moved = inDays(4, 20);
			const later = await saveEvent(editor, event.id, eventForm(title, 4, { startTime: moved.time, endTime: '23:00' }));
			const movedUnix = Math.floor(later.startsAt.getTime() / 1000);
			await expect.poll(() => JSON.stringify(messagesOf(title)[0]?.embeds), { timeout: 15_000 }).toContain(`<t:${movedUnix}:F>`);
			expect(JSON.stringify(messagesOf(title)[0]!.embeds)).toContain('Die Uhrzeit hat sich geändert.');
			expect(requests('PATCH', new RegExp(`/messages/${message!.id}$`))).toHaveLength(1);

			await setEventCancelled(editor, event.id, true);
			await expect.poll(() => String(messagesOf(title)[0]?.embeds[0]?.title), { timeout: 15_000 }).toBe(`Abgesagt: ${title}`);
			expect(messagesOf(title)).toHaveLength(1);
			expect(requests('PATCH', new RegExp(`/messages/${message!.id}$`))).toHaveLength(2);
		});

		it('an event that goes public by its scheduled time is announced once, like one published by hand', async () => {
			const title = `Scheduled publish ${kind}`;
			const at = localDateTimeInput(new Date(Date.now() + 5 * 60_000), 'Europe/Berlin');
			const draft = await saveEvent(editor, null, eventForm(title, 3, { intent: 'schedule', publishAt: at }));
			expect(draft.status).toBe('draft');
			// The draft's own sync job has run and posted nothing.
			await expect.poll(() => discordJobStates(draft.id), { timeout: 15_000 }).toEqual(['completed']);
			expect(messagesOf(title)).toEqual([]);
			// The content.publish-due job's pass, as the worker runs it once the time has come.
			expect((await publishDueContent(new Date(Date.now() + 10 * 60_000))).events).toEqual([draft.id]);
			await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
			await expect.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, draft.id)))?.messageState).toBe('posted');
		});

		it('a suspended site says nothing on Discord; resumed, it announces what was published meanwhile', async () => {
			const S = await f.createSite({ name: `Paused ${kind}`, slug: `paused-${kind}`, timezone: 'Europe/Berlin' });
			const adminS = await f.actorOn(S, await f.createMember(S, 'admin'), 'admin');
			const quiet = fake.addGuild({ bot: true });
			await saveDiscordWebhook(adminS, {
				webhookUrl: quiet.webhookUrl,
				announcePublish: 'on',
				announceChanges: 'on',
				announceCancel: 'on'
			});
			const hub = await f.superAdmin();
			await setSiteStatus(hub.platform, S.id, 'suspended');
			const title = `While paused ${kind}`;
			const event = await saveEvent(await f.actorOn(S, adminS.user, 'admin'), null, eventForm(title, 3));
			// Its sync job ran (and the site's pass the settings save queued) without a word to Discord.
			await expect.poll(() => discordJobStates(event.id), { timeout: 15_000 }).toEqual(['completed']);
			expect(fake.messages.filter((m) => m.webhook_id === quiet.webhook.id).map((m) => m.content)).toHaveLength(1); // the test message
			expect(messagesOf(title)).toEqual([]);
			await setSiteStatus(hub.platform, S.id, 'active');
			await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
		});

		it('a worker that dies between Discord’s answer and the record posts nothing twice (the message is looked up)', async () => {
			const title = `Crash ${kind}`;
			const crash = crashOnceAfterPosting(title);
			const event = await saveEvent(editor, null, eventForm(title, 2));
			await expect
				.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, event.id)))?.messageState, { timeout: 20_000 })
				.toBe('posted');
			expect(crash.crashes).toBe(1);
			expect(messagesOf(title)).toHaveLength(1);
			const link = await siteRead(A.id, () => getDiscordLink(A.id, event.id));
			expect(link!.messageId).toBe(messagesOf(title)[0]!.id);
			// The retry looked in the channel instead of posting again.
			expect(requests('GET', new RegExp(`/channels/${guild.channelId}/messages$`)).length).toBeGreaterThanOrEqual(1);

			// A bot without the Message Content intent sees the post without its embed: held back, not posted twice.
			fake.messageContent = false;
			crashOnceAfterPosting(`Hidden ${kind}`);
			const hidden = await saveEvent(editor, null, eventForm(`Hidden ${kind}`, 2));
			await expect
				.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, hidden.id)))?.messageState, { timeout: 20_000 })
				.toBe('uncertain');
			expect(messagesOf(`Hidden ${kind}`)).toHaveLength(1);
		});

		it('honours 429 retry_after (route and global limits): posted once, after the wait', async () => {
			for (const global of [false, true]) {
				const title = `Limited ${global ? 'global' : 'route'} ${kind}`;
				fake.rateLimit({ method: 'POST', path: /^\/webhooks\//, retryAfter: 1, global });
				const t0 = Date.now();
				await saveEvent(editor, null, eventForm(title, 5));
				await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
				const posts = requests('POST', /^\/webhooks\//).filter((r) => r.at >= t0);
				const limited = posts.find((r) => r.status === 429)!;
				const ok = posts.find((r) => r.status === 200)!;
				expect(limited).toBeDefined();
				expect(ok.at - limited.at).toBeGreaterThanOrEqual(950);
			}
		});

		it('Discord down for a while: everything is delivered after, nothing twice', async () => {
			fake.down = true;
			const t0 = Date.now();
			const first = await saveEvent(editor, null, eventForm(`Outage one ${kind}`, 6));
			await saveEvent(editor, null, eventForm(`Outage two ${kind}`, 6));
			await setEventCancelled(editor, first.id, true);
			// Several failed attempts (503) while it is down, retried by the queue.
			await expect.poll(() => fake.log.filter((r) => r.at >= t0 && r.status === 503).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
			expect([...messagesOf(`Outage one ${kind}`), ...messagesOf(`Outage two ${kind}`)]).toEqual([]);
			fake.down = false;
			await expect.poll(() => messagesOf(`Outage two ${kind}`).length, { timeout: 20_000 }).toBe(1);
			// The first was cancelled before it could be announced: never announced at all.
			await expect.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, first.id)))?.messageState ?? 'none').toBe('none');
			expect(messagesOf(`Outage one ${kind}`)).toHaveLength(0);
			const problems = (await discordSettingsView(admin)).problems;
			expect(problems.some((p) => p.kind === 'unavailable' && p.detail.includes('503'))).toBe(true);
		});

		it('Guild Scheduled Events: created, updated, cancelled and deleted in step with the site’s events', async () => {
			// The bot must be able to see the guild first.
			fake.botGuilds.delete(guild.guildId);
			expect((await saveDiscordEvents(admin, { syncEvents: 'on', entityType: 'external' }).catch((e) => e)).fields.syncEvents).toMatch(
				/not in this server/
			);
			fake.botGuilds.add(guild.guildId);
			const wrongChannel = await saveDiscordEvents(admin, { syncEvents: 'on', entityType: 'voice', eventChannelId: guild.stageId }).catch(
				(e) => e
			);
			expect(wrongChannel.fields.eventChannelId).toBeDefined();
			await saveDiscordEvents(admin, { syncEvents: 'on', entityType: 'external' });

			const scheduledOf = (title: string) => [...fake.scheduled.values()].filter((e) => e.name === title);
			const title = `Scheduled ${kind}`;
			const event = await saveEvent(editor, null, eventForm(title, 8));
			await expect.poll(() => scheduledOf(title).length, { timeout: 15_000 }).toBe(1);
			const [created] = scheduledOf(title);
			expect(created).toMatchObject({
				entity_type: 3,
				entity_metadata: { location: 'Kino Ost, Hauptstr. 1' },
				scheduled_start_time: event.startsAt.toISOString(),
				privacy_level: 2,
				status: 1
			});
			expect(created!.description).toContain(`http://${A.slug}.hub.test/events/${event.slug}`);

			const updated = await saveEvent(editor, event.id, eventForm(title, 9, { venueName: 'Kino West' }));
			await expect.poll(() => scheduledOf(title)[0]?.scheduled_start_time, { timeout: 15_000 }).toBe(updated.startsAt.toISOString());
			expect(scheduledOf(title)[0]!.entity_metadata).toEqual({ location: 'Kino West, Hauptstr. 1' });

			await setEventCancelled(editor, event.id, true);
			await expect.poll(() => scheduledOf(title)[0]?.status, { timeout: 15_000 }).toBe(4);

			// Another event in a voice channel, then deleted with its event.
			await saveDiscordEvents(admin, { syncEvents: 'on', entityType: 'voice', eventChannelId: guild.voiceId });
			const gone = await saveEvent(editor, null, { ...eventForm(`Voice ${kind}`, 10), intent: 'draft' });
			await saveEvent(editor, gone.id, eventForm(`Voice ${kind}`, 10));
			await expect.poll(() => scheduledOf(`Voice ${kind}`)[0]?.channel_id, { timeout: 15_000 }).toBe(guild.voiceId);
			expect(scheduledOf(`Voice ${kind}`)[0]!.entity_type).toBe(2);
			await deleteEvent(editor, gone.id, { confirm: 'yes' });
			await expect.poll(() => scheduledOf(`Voice ${kind}`).length, { timeout: 15_000 }).toBe(0);
			await expect.poll(async () => siteRead(A.id, () => getDiscordLink(A.id, gone.id))).toBeUndefined();
			await saveDiscordEvents(admin, { syncEvents: 'on', entityType: 'external' });
		});

		it('a weekly series: server events for the next four weeks only, announcements for the next week only', async () => {
			const start = inDays(1);
			const title = `Weekly ${kind}`;
			await saveSeries(editor, null, {
				title,
				startDate: start.date,
				startTime: '19:00',
				endTime: '22:00',
				venueName: 'Kino Ost',
				repeat: 'weekly',
				repeatWeekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][(new Date(`${start.date}T12:00:00Z`).getUTCDay() + 6) % 7]!,
				intent: 'publish'
			});
			const scheduled = () => [...fake.scheduled.values()].filter((e) => e.name === title);
			await expect.poll(() => scheduled().length, { timeout: 20_000 }).toBe(4);
			const starts = scheduled().map((e) => Date.parse(e.scheduled_start_time) - Date.now());
			expect(Math.max(...starts)).toBeLessThan(28 * 86_400_000);
			await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
		});

		it('another site’s admin sees and changes none of it; the database hides the rows from its scope', async () => {
			const B = await f.createSite({ name: `Other ${kind}` });
			const adminB = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
			const viewB = await discordSettingsView(adminB);
			expect(viewB).toMatchObject({ connected: false, guildId: null, stats: { messages: 0, scheduled: 0 }, problems: [] });
			expect(await status(resyncDiscord(adminB))).toBe(400);
			expect(await status(disconnectDiscord(adminB, { confirm: 'yes' }))).toBe(200);
			expect(await siteRead(A.id, () => getDiscordSettings(A.id))).toBeDefined();
			// Row-level security: B's scope sees none of A's Discord rows, even without a WHERE.
			await siteRead(B.id, async () => {
				for (const table of [discordSettings, discordEventLink, discordProblem]) expect(await db().select().from(table)).toEqual([]);
			});
		});

		it('resync posts an announcement held back as uncertain; disconnect removes the bot’s server events', async () => {
			const title = `Uncertain ${kind}`;
			// No bot in this guild's channel: a lost answer cannot be looked up.
			fake.botGuilds.delete(guild.guildId);
			crashOnceAfterPosting(title);
			const event = await saveEvent(editor, null, eventForm(title, 2));
			await expect
				.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, event.id)))?.messageState, { timeout: 20_000 })
				.toBe('uncertain');
			expect(messagesOf(title)).toHaveLength(1);
			expect((await discordSettingsView(admin)).problems.some((p) => p.kind === 'uncertain')).toBe(true);
			fake.botGuilds.add(guild.guildId);
			await resyncDiscord(admin);
			await expect
				.poll(async () => (await siteRead(A.id, () => getDiscordLink(A.id, event.id)))?.messageState, { timeout: 20_000 })
				.toBe('posted');
			expect(messagesOf(title)).toHaveLength(2);

			expect([...fake.scheduled.values()].filter((e) => e.guild_id === guild.guildId && e.status === 1).length).toBeGreaterThan(0);
			await disconnectDiscord(admin, { confirm: 'yes' });
			await expect
				.poll(() => [...fake.scheduled.values()].filter((e) => e.guild_id === guild.guildId && e.status === 1).length, { timeout: 20_000 })
				.toBe(0);
			expect(await siteRead(A.id, () => getDiscordSettings(A.id))).toBeUndefined();
		});

		it('without the platform’s bot, server events are hidden and refused; announcements go on', async () => {
			const kept = { id: process.env.DISCORD_BOT_CLIENT_ID, token: process.env.DISCORD_BOT_TOKEN };
			delete process.env.DISCORD_BOT_CLIENT_ID;
			delete process.env.DISCORD_BOT_TOKEN;
			resetEnvForTests();
			resetDiscordClients();
			try {
				await saveDiscordWebhook(admin, { webhookUrl: guild.webhookUrl, announcePublish: 'on' });
				const view = await discordSettingsView(admin);
				expect(view.bot).toEqual({ available: false, inviteUrl: null });
				const refused = await saveDiscordEvents(admin, { syncEvents: 'on' }).catch((e) => e);
				expect(refused.status).toBe(400);
				expect(refused.fields.syncEvents).toMatch(/no Discord bot/);
				const title = `Botless ${kind}`;
				await saveEvent(editor, null, eventForm(title, 2));
				await expect.poll(() => messagesOf(title).length, { timeout: 15_000 }).toBe(1);
			} finally {
				process.env.DISCORD_BOT_CLIENT_ID = kept.id;
				process.env.DISCORD_BOT_TOKEN = kept.token;
				resetEnvForTests();
				resetDiscordClients();
			}
		});
	});
}
