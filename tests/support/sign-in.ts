/**
 * Signing in from tests, through the real flow: the built server with a fake Discord on loopback.
 *
 *   const hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
 *   const cookie = await signIn(hub, 'site-x.hub.test', '123456789012345678');
 *   await get(hub.origin, '/admin', 'site-x.hub.test', { cookie });
 *   ...
 *   await hub.stop();   // also stops the fake Discord
 *
 * signIn goes /api/auth/discord/start → hub → fake Discord (authorize as that id) → hub callback
 * → hand-back → session on that host, and returns the Cookie header for that host. The Discord
 * user is created on the fake Discord when unknown. The first sign-in of an id creates the same
 * user/account rows as production; give that user a role with setMembership (or factories'
 * createMember, which makes the user beforehand with that Discord id).
 */
import { fileURLToPath } from 'node:url';
import { startHub, type HubServer, type StartOptions } from './server';
import { startFakeDiscord, type DiscordUser, type FakeDiscord } from './fake-discord';
import { HttpBrowser, type Hop } from './http-browser';

export const DISCORD_PRELOAD = fileURLToPath(new URL('./discord-fetch-preload.mjs', import.meta.url));

export interface HubWithDiscord extends HubServer {
	discord: FakeDiscord;
}

/** startHub, plus a fake Discord wired in (client credentials, authorize URL, API preload). */
export async function startHubWithDiscord(options: StartOptions & { discord?: FakeDiscord } = {}): Promise<HubWithDiscord> {
	const discord = options.discord ?? (await startFakeDiscord());
	const platform = options.env?.PLATFORM_DOMAIN ?? 'hub.test';
	let hub: HubServer;
	try {
		hub = await startHub({
			...options,
			env: {
				DISCORD_CLIENT_ID: discord.clientId,
				DISCORD_CLIENT_SECRET: discord.clientSecret,
				DISCORD_AUTHORIZE_URL: discord.authorizeUrl,
				FAKE_DISCORD_API: discord.origin,
				// Tests sign in many times from one IP; the rate-limit test sets its own value.
				AUTH_RATE_LIMIT_MAX: '10000',
				...options.env
			},
			nodeArgs: ['--import', DISCORD_PRELOAD, ...(options.nodeArgs ?? [])]
		});
	} catch (error) {
		if (!options.discord) await discord.close();
		throw error;
	}
	// The hub's callback, as registered in a Discord application (with the port for browsers).
	discord.redirectUris.add(`http://${platform}/api/auth/callback/discord`);
	discord.redirectUris.add(`http://${platform}:${hub.port}/api/auth/callback/discord`);
	const stop = hub.stop.bind(hub);
	return Object.assign(hub, {
		discord,
		async stop(signal?: NodeJS.Signals) {
			const code = await stop(signal);
			if (!options.discord) await discord.close();
			return code;
		}
	});
}

export function ensureDiscordUser(discord: FakeDiscord, discordId: string, overrides: Partial<DiscordUser> = {}): DiscordUser {
	const known = discord.users.get(discordId);
	if (known && Object.keys(overrides).length === 0) return known;
	return discord.addUser({
		id: discordId,
		username: `user${discordId.slice(-6)}`,
		global_name: `User ${discordId.slice(-4)}`,
		email: `${discordId}@mail.example`,
		verified: true,
		...known,
		...overrides
	});
}

export interface DiscordFlow {
	hops: Hop[];
	final: Hop;
	/** The hand-back URL (hub → site), when the flow got that far. */
	handBackUrl: string | null;
	stoppedAt: string | null;
}

/**
 * The browser side of "Sign in with Discord" on `host`, as far as `stopBefore` allows: submit the
 * login form, follow to the fake Discord, authorize as `discordId`, follow to the end.
 */
export async function discordSignInFlow(
	browser: HttpBrowser,
	discord: FakeDiscord,
	host: string,
	discordId: string,
	options: { next?: string; decision?: 'authorize' | 'cancel'; stopBefore?: (url: URL) => boolean } = {}
): Promise<DiscordFlow> {
	ensureDiscordUser(discord, discordId);
	const start = await browser.follow(
		`http://${host}/api/auth/discord/start`,
		{ form: { next: options.next ?? '/admin' }, headers: { origin: `http://${host}` } },
		{ stopBefore: (u) => u.origin === discord.origin }
	);
	if (!start.stoppedAt) return { ...start, handBackUrl: null };
	const consent = await browser.send(start.stoppedAt);
	if (consent.status !== 200) return { hops: [...start.hops, consent], final: consent, handBackUrl: null, stoppedAt: null };
	const authorize = new URL(start.stoppedAt);
	const form: Record<string, string> = Object.fromEntries(authorize.searchParams);
	form.user_id = discordId;
	form.decision = options.decision ?? 'authorize';
	const rest = await browser.follow(`${discord.origin}/oauth2/authorize`, { form }, { stopBefore: options.stopBefore });
	const hops = [...start.hops, consent, ...rest.hops];
	const handBack = hops.find((h) => h.location?.includes('/api/auth/discord/finish'))?.location ?? rest.stoppedAt;
	return { hops, final: rest.final, handBackUrl: handBack ?? null, stoppedAt: rest.stoppedAt };
}

/**
 * Sign `discordId` in on `host` through the whole Discord flow; returns the Cookie header to send
 * to that host (and only that host). Throws when the flow does not end signed in.
 */
export async function signIn(hub: HubWithDiscord, host: string, discordId: string): Promise<string> {
	const browser = new HttpBrowser(hub);
	const flow = await discordSignInFlow(browser, hub.discord, host, discordId, { next: '/' });
	const cookie = browser.cookieHeader(`http://${host}/`);
	if (!cookie.includes('session_token')) {
		throw new Error(
			`sign-in of ${discordId} on ${host} failed:\n${flow.hops.map((h) => `${h.method} ${h.url} → ${h.status} ${h.location ?? ''}`).join('\n')}`
		);
	}
	return cookie;
}
