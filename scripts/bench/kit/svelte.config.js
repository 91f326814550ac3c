// A bare SvelteKit app for scripts/bench.ts: the home page's data (site by host, home, upcoming
// events) read and rendered with nothing else — no hooks, no caches, no i18n, no CSP — the floor
// a SvelteKit render of the same data costs on this machine.
import adapter from '@sveltejs/adapter-node';

export default { kit: { adapter: adapter({ out: 'build' }) } };
