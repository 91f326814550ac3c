/**
 * The services' write paths, each run on PostgreSQL and on the embedded PGlite database (one
 * connection: a query outside the open transaction would wait forever there), and the layer's
 * guarantees: changes published with the commit only, row-level security in a site scope,
 * all-or-nothing site creation, the ownership proof for a domain that served another site.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { db, siteRead, siteScopeEnforced, transaction } from '../db';
import {
	asset,
	auditEvent,
	event,
	invitation,
	membership,
	navLink,
	page,
	site,
	siteDomain,
	siteFederationKey,
	siteFollower,
	socialLink
} from '../db/schema';
import { onChange, type ChangeMessage } from '../changes';
import { AppError } from '../errors';
import { useDomainVerifier, httpVerifier, type DomainVerifier } from '../hosts/domain-verifier';
import { getRole } from '../queries/members';
import { write } from './write';
import { systemActor, type PlatformActor, type SiteActor } from './actor';
import { createSite } from './sites';
import { addSiteDomain, listSiteDomains, removeSiteDomain, verifySiteDomain } from './domains';
import { deleteEvent, duplicateEvent, eventForVisitor, saveEvent, setEventCancelled } from './events';
import { deletePage, pageForVisitor, savePage } from './pages';
import { addLink, deleteLink, moveLink, updateLink } from './links';
import { homeForEditor, updateHome } from './home';
import { previewMarkdown } from './preview';
import { rerenderStaleTexts } from './rich-text';
import { RENDER_VERSION } from '../rich-text-version';
import { changeSlug, updateBranding, updateSettings } from './settings';
import { deleteImage, mediaLibrary, setAltText, uploadToLibrary } from './media';
import { createLocalStorage } from '../media/local';
import { useMediaStorage } from '../media/storage';
import * as img from '../../../../tests/support/images';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acceptInviteLink, createInvite } from './members';
import { wallTime } from '../../time';
import { withLocale } from '../i18n';
import { auditText } from '../../components/admin/audit-text';

/** Change messages dispatched in this process during each test of the block. */
function recordChanges() {
	const seen: ChangeMessage[] = [];
	let stop = () => {};
	beforeAll(() => {
		stop = onChange((m) => seen.push(m));
	});
	beforeEach(() => {
		seen.length = 0;
	});
	afterAll(() => stop());
	return { seen };
}

const eventInput = (overrides: Record<string, string> = {}) => ({
	title: 'Film Night',
	startDate: '2031-05-02',
	startTime: '19:00',
	venueName: 'The Hall',
	...overrides
});

for (const kind of databaseKinds()) {
	describe(`services on ${kind}`, () => {
		useTestDatabase(kind);
		const changes = recordChanges();
		let admin: { platform: PlatformActor; on: (s: { id: string }) => Promise<SiteActor> };
		let A: Awaited<ReturnType<typeof f.createSite>>;
		let B: Awaited<ReturnType<typeof f.createSite>>;
		let owner: Awaited<ReturnType<typeof f.createUser>>;
		let ownerA: SiteActor;

		beforeAll(async () => {
			admin = await f.superAdmin();
			A = await f.createSite({ slug: `alpha-${kind}`, name: 'Alpha', timezone: 'America/Chicago' });
			B = await f.createSite({ slug: `bravo-${kind}`, name: 'Bravo' });
			owner = await f.createMember(A, 'owner', { name: 'Olive Owner' });
			ownerA = await f.actorOn(A, owner, 'owner');
			await f.createEvent(B, { slug: 'b-event', title: 'B event' });
			await f.createPage(B, { slug: 'b-page', title: 'B page' });
			await f.createNavLink(B);
			for (const s of [A, B]) {
				await db()
					.insert(siteFollower)
					.values({ siteId: s.id, actorUri: `https://remote.example/users/${s.slug}`, inbox: 'https://remote.example/inbox' });
				await db().insert(siteFederationKey).values({ siteId: s.id, algorithm: 'Ed25519', publicKey: {}, privateKeySealed: 'v1.x.y.z' });
			}
		}, 60_000);

		describe('the write wrapper', () => {
			it('publishes after the commit, and nothing for a write that rolled back', async () => {
				await expect(
					write({ siteId: A.id, actor: systemActor() }, async (w) => {
						await w.audit({ action: 'test.rollback' });
						expect(changes.seen).toEqual([]);
						throw new Error('roll back');
					})
				).rejects.toThrow('roll back');
				expect(changes.seen).toEqual([]);
				expect(await db().select().from(auditEvent).where(eq(auditEvent.action, 'test.rollback'))).toEqual([]);

				await write({ siteId: A.id, actor: systemActor() }, async (w) => {
					await w.audit({ action: 'test.commit' });
					expect(changes.seen).toEqual([]);
				});
				expect(changes.seen).toEqual([{ type: 'content', siteId: A.id }]);
			});

			it('a write inside an outer transaction publishes when the outer one commits, not before', async () => {
				await transaction(async () => {
					await write({ siteId: A.id, actor: systemActor() }, (w) => w.audit({ action: 'test.nested' }));
					expect(changes.seen).toEqual([]);
				});
				expect(changes.seen).toEqual([{ type: 'content', siteId: A.id }]);
			});
		});

		describe('row-level security', () => {
			it('is enforced by the database in a site scope', async () => {
				expect(await siteScopeEnforced()).toBe(true);
			});

			it('a query that forgets WHERE site_id sees only the scope’s site, for every site-owned table', async () => {
				const tables = {
					event,
					page,
					navLink,
					socialLink,
					membership,
					invitation,
					siteDomain,
					auditEvent,
					siteFollower,
					siteFederationKey
				};
				await siteRead(A.id, async () => {
					for (const [name, table] of Object.entries(tables)) {
						// Deliberately no filter: every row the scope lets through.
						const rows = (await db().select().from(table)) as { siteId: string | null }[];
						expect(
							rows.every((r) => r.siteId === A.id),
							name
						).toBe(true);
					}
					const sites = await db().select({ id: site.id }).from(site);
					expect(sites.map((s) => s.id)).toEqual([A.id]);
				});
				// Outside a scope (platform code), B's rows are there: the filter above was the policy.
				expect((await db().select().from(event).where(eq(event.siteId, B.id))).length).toBeGreaterThan(0);
				expect((await db().select().from(siteFollower).where(eq(siteFollower.siteId, B.id))).length).toBe(1);
				expect((await db().select().from(siteFederationKey).where(eq(siteFederationKey.siteId, B.id))).length).toBe(1);
			});

			it('refuses to write another site’s row from a site scope, even without a filter', async () => {
				await expect(
					siteRead(A.id, () => db().insert(navLink).values({ siteId: B.id, label: 'Sneaky', url: '/x', position: 9 }))
				).rejects.toThrow();
				await siteRead(A.id, () => db().update(event).set({ title: 'Hijacked' }));
				expect((await db().select().from(event).where(eq(event.siteId, B.id)))[0]!.title).toBe('B event');
			});
		});

		describe('sites (hub)', () => {
			it('creates a site with an owner who signed in before, a new owner’s invitation, and a verified main domain', async () => {
				const known = await f.createUser({ name: 'Known Person' });
				const a = await createSite(admin.platform, {
					name: 'With Owner',
					slug: `with-owner-${kind}`,
					timezone: 'Europe/Paris',
					ownerDiscordId: known.discordId,
					domain: `with-owner-${kind}.example`
				});
				expect(await getRole(a.id, known.id)).toBe('owner');
				const [domain] = await db().select().from(siteDomain).where(eq(siteDomain.siteId, a.id));
				expect([domain!.hostname, Boolean(domain!.verifiedAt), domain!.isPrimary]).toEqual([`with-owner-${kind}.example`, true, true]);
				expect(changes.seen).toContainEqual(expect.objectContaining({ type: 'hosts', siteId: a.id }));

				const b = await createSite(admin.platform, {
					name: 'Invited',
					slug: `invited-${kind}`,
					timezone: 'UTC',
					ownerDiscordId: '123456789012345678'
				});
				const [inv] = await db().select().from(invitation).where(eq(invitation.siteId, b.id));
				expect([inv!.role, inv!.discordId]).toEqual(['owner', '123456789012345678']);
			});

			it('refuses a taken domain, another site’s platform address, IPs and local names — and leaves nothing behind', async () => {
				for (const domain of [`with-owner-${kind}.example`, `${B.slug}.localhost`, '127.0.0.1', 'localhost']) {
					const slug = `refused-${kind}-${Math.random().toString(36).slice(2, 7)}`;
					const failed = createSite(admin.platform, { name: 'Refused', slug, timezone: 'UTC', domain });
					expect(await status(failed), domain).toBe(400);
					expect(await db().select().from(site).where(eq(site.slug, slug)), domain).toEqual([]);
				}
			});

			it('refuses a reserved or taken address and a zone that does not exist', async () => {
				expect(await status(createSite(admin.platform, { name: 'X', slug: 'admin', timezone: 'UTC' }))).toBe(400);
				expect(await status(createSite(admin.platform, { name: 'X', slug: A.slug, timezone: 'UTC' }))).toBe(400);
				expect(await status(createSite(admin.platform, { name: 'X', slug: `tz-${kind}`, timezone: 'Mars/Olympus' }))).toBe(400);
			});
		});

		describe('domains', () => {
			const verifier: DomainVerifier & { txt: Set<string> } = {
				txt: new Set(),
				check: async () => ({ ok: true }),
				checkTxt: async (hostname, token) =>
					verifier.txt.has(`${hostname}=${token}`) ? { ok: true } : { ok: false, problem: { code: 'txt_none' } }
			};
			beforeEach(() => useDomainVerifier(verifier));
			afterEach(() => useDomainVerifier(httpVerifier));

			it('a domain that served another site needs this site’s TXT record; the HTTP check alone is not enough', async () => {
				const host = `moved-${kind}.example`;
				const bOwner = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
				// B had it, verified, and let it go.
				await addSiteDomain(bOwner, { hostname: host });
				const [bRow] = await db().select().from(siteDomain).where(eq(siteDomain.hostname, host));
				await verifySiteDomain(bOwner, { id: bRow!.id });
				await removeSiteDomain(bOwner, { id: bRow!.id, confirm: 'yes' });

				const added = await addSiteDomain(ownerA, { hostname: host });
				expect(added.needsTxt).toBe(true);
				const txt = added.records.find((r) => r.type === 'TXT')!;
				expect(txt.fqdn).toBe(`_collective-hub.${host}`);
				expect(await status(verifySiteDomain(ownerA, { id: added.id }))).toBe(422);
				expect((await listSiteDomains(ownerA)).find((d) => d.id === added.id)!.verified).toBe(false);

				verifier.txt.add(`${host}=${txt.value.replace('collective-hub-verify=', '')}`);
				expect((await verifySiteDomain(ownerA, { id: added.id })).verified).toBe(true);
			});

			it('a first-time domain needs only the HTTP check, and shows registrar names', async () => {
				const added = await addSiteDomain(ownerA, { hostname: `www.fresh-${kind}.example` });
				expect(added.needsTxt).toBe(false);
				expect(added.records).toEqual([expect.objectContaining({ type: 'CNAME', name: 'www', fqdn: `www.fresh-${kind}.example` })]);
				expect((await verifySiteDomain(ownerA, { id: added.id })).verified).toBe(true);
			});

			it('another site’s domain id, or no id at all, is not found', async () => {
				const [bDomain] = await db().select().from(siteDomain).where(eq(siteDomain.siteId, B.id));
				const target = bDomain ?? (await f.createDomain(B.id));
				expect(await status(removeSiteDomain(ownerA, { id: target.id, confirm: 'yes' }))).toBe(404);
				expect(await status(removeSiteDomain(ownerA, { id: '-'.repeat(36), confirm: 'yes' }))).toBe(404);
				expect(await db().select().from(siteDomain).where(eq(siteDomain.id, target.id))).toHaveLength(1);
			});
		});

		describe('events and pages', () => {
			it('saves a draft or publishes by the button pressed; duplicates, cancels, deletes after confirmation', async () => {
				const draft = await saveEvent(ownerA, null, eventInput({ intent: 'draft' }));
				expect(draft.status).toBe('draft');
				expect(await status(eventForVisitor(await f.actorOn(A, null, null), draft.slug))).toBe(404);
				expect((await eventForVisitor(ownerA, draft.slug)).draft).toBe(true);
				const published = await saveEvent(ownerA, draft.id, eventInput({ intent: 'publish' }));
				expect(published.status).toBe('published');
				// 19:00 in the site's zone.
				expect(wallTime(published.startsAt, 'America/Chicago')).toMatchObject({ hour: 19, minute: 0 });
				const copy = await duplicateEvent(ownerA, { id: published.id });
				expect([copy.status, copy.slug]).toEqual(['draft', `${published.slug}-copy`]);
				expect((await setEventCancelled(ownerA, published.id, true)).status).toBe('cancelled');
				expect(await status(deleteEvent(ownerA, copy.id, {}))).toBe(400);
				await deleteEvent(ownerA, copy.id, { confirm: 'yes' });
				expect(await db().select().from(event).where(eq(event.id, copy.id))).toEqual([]);
			});

			it('another site’s event is not found for every action, and stays as it was', async () => {
				const [bEvent] = await db().select().from(event).where(eq(event.siteId, B.id));
				expect(await status(saveEvent(ownerA, bEvent!.id, eventInput({ title: 'Hijacked' })))).toBe(404);
				expect(await status(duplicateEvent(ownerA, { id: bEvent!.id }))).toBe(404);
				expect(await status(setEventCancelled(ownerA, bEvent!.id, true))).toBe(404);
				expect(await status(deleteEvent(ownerA, bEvent!.id, { confirm: 'yes' }))).toBe(404);
				expect(await status(eventForVisitor(ownerA, 'b-event'))).toBe(404);
				const [after] = await db().select().from(event).where(eq(event.id, bEvent!.id));
				expect([after!.title, after!.status]).toEqual(['B event', bEvent!.status]);
			});

			it('pages: publish by button, slugs of the site’s own paths refused, drafts visible to members only', async () => {
				expect(await status(savePage(ownerA, null, { title: 'Events', slug: 'events', intent: 'publish' }))).toBe(400);
				const p = await savePage(ownerA, null, { title: 'About us', body: 'Hi', intent: 'draft' });
				expect(p.published).toBe(false);
				expect((await pageForVisitor(ownerA, p.slug)).draft).toBe(true);
				expect(await status(pageForVisitor(await f.actorOn(A, null, null), p.slug))).toBe(404);
				expect((await savePage(ownerA, p.id, { title: 'About us', body: 'Hi', intent: 'publish' })).published).toBe(true);
				expect(await status(pageForVisitor(ownerA, 'b-page'))).toBe(404);
				await deletePage(ownerA, p.id, { confirm: 'yes' });
				expect(await db().select().from(page).where(eq(page.id, p.id))).toEqual([]);
			});
		});

		describe('rich text stored beside its Markdown', () => {
			const imageOf = (a: { cdnKey: string }, width = 480) => `/media/${a.cdnKey}-${width}.webp`;

			it('saves the rendered HTML with the site’s images (srcset) and event cards; the home intro too', async () => {
				const picture = await f.createAsset(A);
				await saveEvent(ownerA, null, eventInput({ title: 'Card Night', slug: 'card-night', intent: 'publish' }));
				const body = `## Hello\r\n\r\n![A poster](${imageOf(picture)})\r\n\r\n:::event {slug="card-night"} :::`;
				const saved = await savePage(ownerA, null, { title: 'With pictures', body, intent: 'publish' });
				expect(saved.body).toBe(body.replaceAll('\r\n', '\n'));
				expect(saved.renderVersion).toBe(RENDER_VERSION);
				expect(saved.html).toContain('<h2>Hello</h2>');
				expect(saved.html).toMatch(
					/<img src="[^"]+-960\.webp" srcset="[^"]+480w, [^"]+960w" sizes="[^"]+" width="960" height="640" alt="A poster"/
				);
				expect(saved.html).toContain('<a href="/events/card-night"><strong>Card Night</strong>');
				const home = await updateHome(ownerA, { heroTitle: 'Hi', intro: `**Welcome**\n\n![](${imageOf(picture, 960)})` });
				expect([home.renderVersion, home.html]).toEqual([RENDER_VERSION, expect.stringContaining('alt=""')]);
				expect(home.html).toContain('<strong>Welcome</strong>');
			});

			it('refuses another site’s image by id or by key, writing nothing; never embeds another site’s event', async () => {
				const theirs = await f.createAsset(B);
				const mine = await f.createAsset(A);
				const before = await db().select().from(page).where(eq(page.siteId, A.id));
				for (const url of [
					imageOf(theirs),
					`/media/sites/${A.slug}/event/${theirs.id}-480.webp`,
					`/media/sites/${B.slug}/event/${mine.id}-480.webp`
				]) {
					const failure = await savePage(ownerA, null, { title: 'Stolen', body: `![x](${url})`, intent: 'publish' }).catch(
						(e: AppError) => e
					);
					expect(failure).toBeInstanceOf(AppError);
					expect(Object.keys((failure as AppError).fields)).toEqual(['body']);
					expect(await status(saveEvent(ownerA, null, eventInput({ title: 'Stolen', description: `<img src="${url}" alt="x">` })))).toBe(
						400
					);
					expect(await status(updateHome(ownerA, { intro: `![x](${url})` }))).toBe(400);
				}
				expect(await db().select().from(page).where(eq(page.siteId, A.id))).toHaveLength(before.length);
				// B's text naming A's event by its slug shows no card: events are looked up on B.
				const ownerB = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
				const bPage = await savePage(ownerB, null, {
					title: 'Borrowed',
					body: 'Look:\n\n:::event {slug="card-night"} :::',
					intent: 'publish'
				});
				expect(bPage.html).toBe('<p>Look:</p>\n');
			});

			it('a renamed, cancelled or deleted event updates the cards showing it, in the same write', async () => {
				const ev = await saveEvent(ownerA, null, eventInput({ title: 'Old Title', slug: 'renamed-night', intent: 'publish' }));
				const p = await savePage(ownerA, null, { title: 'Cards', body: ':::event {slug="renamed-night"} :::', intent: 'publish' });
				const html = async () => (await db().select().from(page).where(eq(page.id, p.id)))[0]!.html;
				expect(await html()).toContain('Old Title');
				await saveEvent(ownerA, ev.id, eventInput({ title: 'New Title', slug: 'renamed-night', intent: 'publish' }));
				expect(await html()).toContain('New Title');
				await setEventCancelled(ownerA, ev.id, true);
				expect(await html()).toContain('event-card-status');
				await deleteEvent(ownerA, ev.id, { confirm: 'yes' });
				expect(await html()).toBe('');
			});

			it('a text with images written without HTML is stale: rendered on the fly, then stored by the job', async () => {
				const picture = await f.createAsset(A);
				const legacy = await f.createPage(A, {
					slug: 'legacy-image',
					title: 'Legacy image',
					body: `![Old](${imageOf(picture)})`,
					published: true
				});
				expect(legacy.renderVersion).toBe(0);
				expect((await pageForVisitor(ownerA, 'legacy-image')).row.renderVersion).toBe(0);
				expect(await rerenderStaleTexts()).toBeGreaterThan(0);
				const [fresh] = await db().select().from(page).where(eq(page.id, legacy.id));
				expect([fresh!.renderVersion, fresh!.html]).toEqual([RENDER_VERSION, expect.stringContaining('srcset=')]);
			});

			it('rows written without HTML by other writers are rendered by the query, each site’s alone', async () => {
				const aPage = await f.createPage(A, { slug: 'legacy-a', title: 'Legacy', body: '*old* text' });
				const bPage = await f.createPage(B, { slug: 'legacy-b', title: 'Legacy B', body: '**B** text' });
				expect([aPage.renderVersion, aPage.html]).toEqual([RENDER_VERSION, '<p><em>old</em> text</p>\n']);
				expect([bPage.renderVersion, bPage.html]).toEqual([RENDER_VERSION, '<p><strong>B</strong> text</p>\n']);
			});
		});

		describe('settings', () => {
			it('a timezone change keeps the events’ local times by default, or their instants when asked', async () => {
				const local = await saveEvent(ownerA, null, eventInput({ title: 'Local Night', intent: 'publish' }));
				const base = { name: 'Alpha', timezone: 'Europe/London', contactEmail: '' };
				await updateSettings(ownerA, base);
				const [moved] = await db().select().from(event).where(eq(event.id, local.id));
				expect(wallTime(moved!.startsAt, 'Europe/London')).toMatchObject({ hour: 19, minute: 0 });

				const londonActor = await f.actorOn(A, owner, 'owner');
				await updateSettings(londonActor, { ...base, timezone: 'America/Chicago', eventTimes: 'instant' });
				const [kept] = await db().select().from(event).where(eq(event.id, local.id));
				expect(kept!.startsAt.getTime()).toBe(moved!.startsAt.getTime());
			});
		});

		describe('home, preview, branding and the slug', () => {
			it('an editor saves the homepage; B’s homepage is untouched; a preview renders sanitized Markdown', async () => {
				const editor = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
				const saved = await updateHome(editor, { heroTitle: 'Films under the stars', intro: 'Hello', showEvents: 'on' });
				expect(saved.heroTitle).toBe('Films under the stars');
				expect((await homeForEditor(editor)).heroTitle).toBe('Films under the stars');
				expect((await homeForEditor(await f.actorOn(B, await f.createMember(B, 'editor'), 'editor'))).heroTitle).not.toBe(
					'Films under the stars'
				);
				expect(await status(updateHome(editor, { heroTitle: 'x'.repeat(201) }))).toBe(400);
				expect(await previewMarkdown(editor, '**bold** <script>alert(1)</script>', 1000)).toMatch(
					/<strong>bold<\/strong>(?![\s\S]*<script)/
				);
				const outsider = await f.actorOn(A, await f.createUser(), null);
				await expect(previewMarkdown(outsider, 'x', 10)).rejects.toThrow(AppError);
			});

			it('branding needs an admin and valid colours; a slug change refuses reserved and taken names', async () => {
				const editor = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
				const theme = { mode: 'light', accent: '#0b6e4f', bodyFont: 'system', headingFont: 'system' };
				expect(await status(updateBranding(editor, theme))).toBe(403);
				expect(await status(updateBranding(ownerA, { ...theme, accent: 'green' }))).toBe(400);
				expect(await status(updateBranding(ownerA, theme))).toBe(200);
				expect((await db().select().from(site).where(eq(site.id, A.id)))[0]!.theme).toMatchObject({ accent: '#0b6e4f' });
				expect(await status(changeSlug(ownerA, { slug: B.slug }))).toBe(400);
				expect(await status(changeSlug(ownerA, { slug: 'admin' }))).toBe(400);
				expect(await changeSlug(ownerA, { slug: A.slug })).toEqual({ slug: A.slug, changed: false });
			});
		});

		describe('media', () => {
			it('uploads into the library, describes and deletes its own images; B’s image is not found for every action', async () => {
				useMediaStorage(createLocalStorage(mkdtempSync(path.join(tmpdir(), 'hub-services-media-'))));
				const row = await uploadToLibrary(ownerA, {
					image: img.file(await img.jpeg(640, 480), 'photo.jpg', 'image/jpeg'),
					altText: 'A lamp'
				});
				expect((await mediaLibrary(ownerA)).map((a) => a.id)).toContain(row.id);
				expect((await setAltText(ownerA, { id: row.id, altText: 'A red lamp' })).altText).toBe('A red lamp');
				const theirs = await f.createAsset(B, { altText: 'B image' } as never);
				expect(await status(setAltText(ownerA, { id: theirs.id, altText: 'pwned' }))).toBe(404);
				expect(await status(deleteImage(ownerA, { id: theirs.id }))).toBe(404);
				expect(await status(deleteImage(ownerA, { id: 'not-a-uuid' }))).toBe(404);
				expect((await mediaLibrary(ownerA)).map((a) => a.id)).not.toContain(theirs.id);
				await deleteImage(ownerA, { id: row.id });
				expect((await mediaLibrary(ownerA)).map((a) => a.id)).not.toContain(row.id);
				expect((await db().select().from(asset).where(eq(asset.id, theirs.id)))[0]!.altText).toBe('B image');
			});
		});

		describe('links and members', () => {
			it('social handles become profile addresses; deleting asks to confirm', async () => {
				await addLink(ownerA, 'social', { platform: 'mastodon', url: '@films@mastodon.social' });
				const [row] = await db()
					.select()
					.from(socialLink)
					.where(and(eq(socialLink.siteId, A.id), eq(socialLink.platform, 'mastodon')));
				expect(row!.url).toBe('https://mastodon.social/@films');
				expect(await status(deleteLink(ownerA, { kind: 'social', id: row!.id }))).toBe(400);
				await deleteLink(ownerA, { kind: 'social', id: row!.id, confirm: 'yes' });
				expect(await db().select().from(socialLink).where(eq(socialLink.id, row!.id))).toEqual([]);
			});

			it('another site’s link cannot be edited, moved or deleted; its own moves and updates', async () => {
				const [theirs] = await db().select().from(navLink).where(eq(navLink.siteId, B.id));
				const form = { id: theirs!.id, label: 'pwned', url: '/x', kind: 'nav', direction: 'up', confirm: 'yes' };
				expect(await status(updateLink(ownerA, 'nav', form))).toBe(404);
				expect(await status(moveLink(ownerA, form))).toBe(404);
				expect(await status(deleteLink(ownerA, form))).toBe(404);
				expect((await db().select().from(navLink).where(eq(navLink.id, theirs!.id)))[0]!.label).toBe(theirs!.label);
				await addLink(ownerA, 'nav', { label: 'Events', url: '/events' });
				await addLink(ownerA, 'nav', { label: 'About', url: '/about' });
				const mine = () => db().select().from(navLink).where(eq(navLink.siteId, A.id)).orderBy(navLink.position);
				const about = (await mine()).find((l) => l.label === 'About')!;
				await moveLink(ownerA, { id: about.id, kind: 'nav', direction: 'up' });
				expect((await mine()).map((l) => l.label).slice(0, 2)).toEqual(['About', 'Events']);
				await updateLink(ownerA, 'nav', { id: about.id, label: 'About us', url: '/about' });
				expect((await mine())[0]!.label).toBe('About us');
			});

			it('an invitation link is accepted once, on its own site', async () => {
				const { token } = await createInvite(ownerA, { role: 'editor' });
				const newcomer = await f.createUser({ name: 'Nina New' });
				expect(await acceptInviteLink(B, token!, newcomer)).toBeNull();
				expect(await acceptInviteLink(A, token!, newcomer)).toEqual({ role: 'editor', raised: true });
				expect(await acceptInviteLink(A, token!, await f.createUser())).toBeNull();
				expect(await getRole(A.id, newcomer.id)).toBe('editor');
				const count = await db()
					.select({ n: sql<number>`count(*)::int` })
					.from(membership)
					.where(eq(membership.userId, newcomer.id));
				expect(count[0]!.n).toBe(1);
			});

			it('the audit rows of these keep codes beside the names, and read in the reader’s language', async () => {
				const rows = await db()
					.select({ action: auditEvent.action, target: auditEvent.target, detail: auditEvent.detail })
					.from(auditEvent)
					.where(
						and(eq(auditEvent.siteId, A.id), sql`${auditEvent.action} in ('links.delete', 'links.move', 'member.invite', 'member.join')`)
					)
					.orderBy(auditEvent.id);
				expect(rows).toEqual([
					{ action: 'links.delete', target: 'mastodon', detail: null },
					{ action: 'links.move', target: '', detail: { direction: 'up' } },
					{ action: 'member.invite', target: '', detail: { role: 'editor', via: 'link' } },
					{ action: 'member.join', target: 'Nina New', detail: { role: 'editor', via: 'link' } }
				]);
				expect(withLocale('de', () => rows.map((r) => auditText(r.action, r.target, r.detail)))).toEqual([
					'hat den Link mastodon gelöscht',
					'hat einen Link nach oben verschoben',
					'hat einen Einladungslink als Redakteur·in erstellt',
					'ist dem Team als Redakteur·in beigetreten'
				]);
			});
		});
	});
}
