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
		// Content-Security-Policy on every page. SvelteKit adds a hash of its own inline scripts;
		// nothing else may run. Hashes rather than nonces: the render cache serves one finished
		// page to many visitors, and a nonce must never be reused. Styles allow inline attributes because
		// site themes are CSS variables set in style="". Images may come from the media CDN (any
		// https origin, set at run time by CDN_BASE_URL) and Discord avatars.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:', 'https:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'frame-ancestors': ['self']
			}
		},
		alias: {
			$server: 'src/lib/server'
		}
	}
};

export default config;
