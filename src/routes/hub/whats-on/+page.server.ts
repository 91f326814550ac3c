/** The hub's "What's on": upcoming events of every collective that lists them here (hub/whats-on.ts). */
import type { PageServerLoad } from './$types';
import { pageData } from '$lib/server/forms';
import { loadWhatsOn, parseWhatsOnQuery } from '$lib/server/hub/whats-on';
import { jsonLdScript } from '$lib/json-ld';
import { PUBLIC_CACHE } from '$lib/server/http-cache';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const data = await loadWhatsOn(parseWhatsOnQuery(event.url), event);
		event.locals.whatsOn = data.dependencies;
		event.setHeaders({ 'cache-control': PUBLIC_CACHE });
		const { dependencies: _deps, jsonLd, ...rest } = data;
		void _deps;
		return { ...rest, jsonLd: jsonLdScript(jsonLd) };
	});
