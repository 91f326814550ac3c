import nodeAdapter from '@sveltejs/adapter-node';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const node = nodeAdapter({ out: 'build', precompress: false });

/**
 * adapter-node, its server entry (build/index.js: socket activation, keep-alive and header
 * timeouts, SHUTDOWN_TIMEOUT, graceful shutdown) kept as it is but for the handler it serves:
 * src/server-entry.js first offers each request to the render cache's fast path (answered from
 * Node's request before polka and SvelteKit run, public-site/fast-path.ts), then hands it to polka
 * and adapter-node's handler.
 * @type {import('@sveltejs/kit').Adapter}
 */
const adapter = {
	...node,
	async adapt(builder) {
		await node.adapt(builder);
		const entry = 'build/index.js';
		const source = readFileSync(entry, 'utf8');
		const use = 'polka({ server: httpServer }).use(handler)';
		if (!source.includes(use)) throw new Error(`${entry}: adapter-node's entry changed, "${use}" not found (svelte.config.js)`);
		copyFileSync('src/server-entry.js', 'build/fast-handler.js');
		writeFileSync(
			entry,
			"import { fastPathFirst } from './fast-handler.js';\n" +
				source.replace(use, 'fastPathFirst(polka({ server: httpServer }).use(handler))')
		);
	}
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter,
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
