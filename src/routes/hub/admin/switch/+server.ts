/**
 * The site switcher's two answers (super admins only, 404 for everyone else):
 *   GET /admin/switch?q=…            → to that site's admin on the hub (exact slug or a single match),
 *                                      else to the panel's search for q (the no-JavaScript path)
 *   GET /admin/switch?q=…&suggest=1  → JSON suggestions for the picker as you type
 */
import { json, redirect, type RequestHandler } from '@sveltejs/kit';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { switcherMatches } from '$lib/server/queries/hub';

export const GET: RequestHandler = async (event) => {
	requireSuperAdmin(event);
	const q = (event.url.searchParams.get('q') ?? '').trim();
	const matches = await switcherMatches(q);
	if (event.url.searchParams.has('suggest')) return json(matches, { headers: { 'cache-control': 'private, no-store' } });
	const exact = matches.find((m) => m.slug === q.toLowerCase());
	const chosen = exact ?? (matches.length === 1 ? matches[0] : undefined);
	if (chosen) redirect(303, `/sites/${chosen.slug}/admin`);
	redirect(303, `/admin?${new URLSearchParams({ q })}`);
};
