/** Small factories for tests: each call makes fresh rows with unique slugs; override what matters. */
import { randomUUID } from 'node:crypto';
import { db } from '../../src/lib/server/db';
import { account, user } from '../../src/lib/server/db/schema';
import { createSite as createSiteRow, addDomain, type NewSite } from '../../src/lib/server/queries/sites';
import { createEvent as createEventRow, type EventInput } from '../../src/lib/server/queries/events';
import { createPage as createPageRow, type PageInput } from '../../src/lib/server/queries/pages';
import { addNavLink, addSocialLink } from '../../src/lib/server/queries/links';
import { insertAsset, type NewAsset } from '../../src/lib/server/queries/assets';
import { setMembership, type Role } from '../../src/lib/server/queries/members';
import { loadSiteContext } from '../../src/lib/server/hosts/site-context';
import type { PlatformActor, SiteActor } from '../../src/lib/server/services/actor';

let n = 0;
const next = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

export async function createSite(overrides: Partial<NewSite> = {}) {
	const id = next();
	return createSiteRow({ slug: `site-${id}`, name: `Site ${id}`, timezone: 'UTC', ...overrides });
}

export async function createDomain(siteId: string, hostname = `d-${next()}.example`, verified = true) {
	return addDomain(siteId, hostname, { verified });
}

export async function createEvent(site: { id: string }, overrides: Partial<EventInput> = {}) {
	const id = next();
	const startsAt = overrides.startsAt ?? new Date(Date.now() + 7 * 86_400_000);
	return createEventRow(site.id, {
		slug: `event-${id}`,
		title: `Event ${id}`,
		startsAt,
		endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
		status: 'published',
		...overrides
	});
}

export async function createPage(site: { id: string }, overrides: Partial<PageInput> = {}) {
	const id = next();
	return createPageRow(site.id, { slug: `page-${id}`, title: `Page ${id}`, body: 'Hello', published: true, ...overrides });
}

export async function createNavLink(site: { id: string }) {
	return addNavLink(site.id, { label: `Link ${next()}`, url: 'https://example.org/' });
}

export async function createSocialLink(site: { id: string }) {
	return addSocialLink(site.id, { platform: 'instagram', url: `https://instagram.com/${next()}` });
}

export async function createAsset(site: { id: string; slug: string }, overrides: Partial<NewAsset> = {}) {
	const id = randomUUID();
	return insertAsset(site.id, {
		id,
		kind: 'event',
		cdnKey: `sites/${site.slug}/event/${id}`,
		variants: [960, 480],
		width: 960,
		height: 640,
		bytes: 12345,
		...overrides
	});
}

/** A user with a Discord account (as a Discord sign-in would create). */
export async function createUser(overrides: { name?: string; discordId?: string } = {}) {
	const id = randomUUID();
	const discordId = overrides.discordId ?? String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e15)));
	const now = new Date();
	const [u] = await db()
		.insert(user)
		.values({ id, name: overrides.name ?? `User ${next()}`, email: `${discordId}@users.discord.invalid`, createdAt: now, updatedAt: now })
		.returning();
	await db()
		.insert(account)
		.values({ id: randomUUID(), accountId: discordId, providerId: 'discord', userId: id, createdAt: now, updatedAt: now });
	return { ...u!, discordId };
}

export async function createMember(site: { id: string }, role: Role, overrides: { name?: string; discordId?: string } = {}) {
	const u = await createUser(overrides);
	await setMembership(site.id, u.id, role);
	return u;
}

/**
 * The actor a service sees for `person` with `role` on `site` (what siteActor(locals) builds for
 * a request): the site as host resolution loads it.
 */
export async function actorOn(
	site: { id: string },
	person: { id: string; name: string } | null,
	role: Role | null,
	isSuperAdmin = false
): Promise<SiteActor> {
	const context = await loadSiteContext(site.id, 'hub.test');
	if (!context) throw new Error(`no site ${site.id}`);
	return { site: context, user: person ? { id: person.id, name: person.name } : null, role, isSuperAdmin };
}

/** A super admin (a real user row, so audit entries can name them) for calling services. */
export async function superAdmin() {
	const person = await createUser({ name: 'Super Admin' });
	const platform: PlatformActor = { user: { id: person.id, name: person.name }, isSuperAdmin: true };
	return { platform, on: (site: { id: string }) => actorOn(site, platform.user, null, true) };
}
