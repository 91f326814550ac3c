// Test-only preload for the built server (`node --import <this> build/index.js`, see
// tests/support/sign-in.ts): Discord's token and users/@me URLs are fixed inside Better Auth's
// provider, so `fetch` calls to https://discord.com/api/... are sent to the fake Discord named by
// FAKE_DISCORD_API instead. Nothing else is touched; without the variable this does nothing.
const target = process.env.FAKE_DISCORD_API;
const DISCORD_API = 'https://discord.com/api/';

if (target) {
	const realFetch = globalThis.fetch;
	globalThis.fetch = (input, init) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		if (!url.startsWith(DISCORD_API)) return realFetch(input, init);
		const rewritten = `${target}/api/${url.slice(DISCORD_API.length)}`;
		return realFetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
	};
}
