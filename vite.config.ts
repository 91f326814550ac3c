import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [
		// Messages (messages/<locale>.json) compiled to typed functions in src/lib/paraglide. The
		// locale of a request is set by the server (a site's language), never guessed from the URL.
		paraglideVitePlugin({ project: './project.inlang', outdir: './src/lib/paraglide', strategy: ['baseLocale'] }),
		sveltekit()
	],
	server: { host: true, allowedHosts: true }
});
