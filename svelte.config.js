import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build', precompress: false }),
		// One server, many hosts, plain http locally: SvelteKit's origin check compares with an
		// https URL built by adapter-node and refuses every local form post. hooks.server.ts runs
		// its own per-host check instead (src/lib/server/csrf.ts).
		csrf: { trustedOrigins: ['*'] },
		alias: {
			$server: 'src/lib/server'
		}
	}
};

export default config;
