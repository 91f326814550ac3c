/**
 * The admin in the signed-in person's language, over real HTTP: a first guess from
 * Accept-Language, the choice from the picker (a plain form) remembered on the user and kept in
 * later sessions and on other sites, independent of the site's own language (the German public
 * site stays German, its cached pages included), and form errors from services in that language.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { user } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { setMembership } from '../../src/lib/server/queries/members';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('admin language', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let de: Awaited<ReturnType<typeof createSite>>;
	let en: Awaited<ReturnType<typeof createSite>>;
	let organiser: Awaited<ReturnType<typeof createMember>>;
	const host = (s: { slug: string }) => `${s.slug}.hub.test`;
	const admin = (s: { slug: string }, cookie: string, headers: Record<string, string> = {}) =>
		get(hub.origin, '/admin', host(s), { cookie, ...headers });

	beforeAll(async () => {
		de = await createSite({ slug: 'kiezkino', name: 'Kiezkino', timezone: 'Europe/Berlin', locale: 'de' });
		en = await createSite({ slug: 'film-club', name: 'Film Club', timezone: 'Europe/London', locale: 'en' });
		organiser = await createMember(de, 'owner');
		await setMembership(en.id, organiser.id, 'editor');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
	}, 120_000);
	afterAll(() => hub?.stop());

	it('guesses from Accept-Language until the person chooses, else the site’s language', async () => {
		const cookie = await signIn(hub, host(de), organiser.discordId);
		const french = await admin(de, cookie, { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' });
		expect(french.status).toBe(200);
		expect(french.body).toMatch(/<html[^>]* lang="fr"/);
		expect(french.body).toContain('Tableau de bord');
		expect(french.body).toContain('Se déconnecter');
		const spanish = await admin(de, cookie, { 'accept-language': 'pt-BR, es;q=0.8' });
		expect(spanish.body).toMatch(/<html[^>]* lang="es"/);
		expect(spanish.body).toContain('Cerrar sesión');
		// Nothing usable in the header: the site's own language.
		const none = await admin(de, cookie, { 'accept-language': 'ja, zh;q=0.5' });
		expect(none.body).toMatch(/<html[^>]* lang="de"/);
		expect(none.body).toContain('Abmelden');
	});

	it('remembers the picker’s choice on the user, over the header, in later sessions and on other sites', async () => {
		const cookie = await signIn(hub, host(de), organiser.discordId);
		const chosen = await postAdminForm(hub.origin, '/account/language', host(de), cookie, { locale: 'nl', next: '/admin/events' });
		expect(chosen.status).toBe(303);
		expect(locationOf(chosen)).toBe('/admin/events');
		const [row] = await db().select({ locale: user.locale }).from(user).where(eq(user.id, organiser.id));
		expect(row?.locale).toBe('nl');

		const after = await admin(de, cookie, { 'accept-language': 'fr' });
		expect(after.body).toMatch(/<html[^>]* lang="nl"/);
		expect(after.body).toContain('Uitloggen');
		expect(after.body).not.toContain('Se déconnecter');

		// A new session (another day, another browser) and another site: still Dutch.
		const later = await signIn(hub, host(de), organiser.discordId);
		expect((await admin(de, later, { 'accept-language': 'en' })).body).toContain('Uitloggen');
		const elsewhere = await signIn(hub, host(en), organiser.discordId);
		const other = await admin(en, elsewhere, { 'accept-language': 'en' });
		expect(other.status).toBe(200);
		expect(other.body).toMatch(/<html[^>]* lang="nl"/);

		// The public German site is still German, for this person and for anyone, cached or not.
		const asked: Record<string, string>[] = [{ cookie, 'accept-language': 'nl' }, { 'accept-language': 'nl' }, {}];
		for (const headers of asked) {
			const home = await get(hub.origin, '/', host(de), headers);
			expect(home.body).toMatch(/<html[^>]* lang="de"/);
			expect(home.body).toContain('Kalender abonnieren');
		}
	});

	it('refuses a language it does not ship, and the picker to someone not signed in', async () => {
		const cookie = await signIn(hub, host(de), organiser.discordId);
		const bad = await postAdminForm(hub.origin, '/account/language', host(de), cookie, { locale: 'xx', next: '/admin' });
		expect(bad.status).toBe(400);
		const anonymous = await postAdminForm(hub.origin, '/account/language', host(de), '', { locale: 'de', next: '/admin' });
		expect(anonymous.status).toBe(401);
		// An outside `next` never leaves the site.
		const away = await postAdminForm(hub.origin, '/account/language', host(de), cookie, { locale: 'nl', next: '//evil.example/' });
		expect(away.status).toBe(303);
		expect(locationOf(away)).not.toContain('evil.example');
	});

	it('shows a service’s field errors in the person’s language', async () => {
		const cookie = await signIn(hub, host(de), organiser.discordId);
		await postAdminForm(hub.origin, '/account/language', host(de), cookie, { locale: 'fr', next: '/admin' });
		const r = await postAdminForm(hub.origin, '/admin/pages/new?/save', host(de), cookie, { title: '', slug: '', body: 'x' });
		expect(r.status).toBe(400);
		expect(r.body).toMatch(/<html[^>]* lang="fr"/);
		expect(r.body).toContain('est obligatoire');
		// The hub's sign-in page: Accept-Language for someone not signed in.
		const login = await request(hub.origin, '/login', 'hub.test', { headers: { 'accept-language': 'de-AT' } });
		expect(login.body).toMatch(/<html[^>]* lang="de"/);
	});
});
