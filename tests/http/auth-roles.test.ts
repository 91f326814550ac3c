/**
 * Role matrix over HTTP: for each role on site A, a member of another site and an outsider, the
 * /admin page and a guarded form action (create an invite link: `members.invite`, admin and up;
 * inviting an owner: owners only). Each person signs in on A's host through the Discord flow.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { invitation } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite, createUser } from '../support/factories';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

type Who = 'owner' | 'admin' | 'editor' | 'member of B' | 'outsider' | 'anonymous';

const EXPECTED: Record<Who, { page: number; inviteEditor: number; inviteOwner: number }> = {
	owner: { page: 200, inviteEditor: 200, inviteOwner: 200 },
	admin: { page: 200, inviteEditor: 200, inviteOwner: 403 },
	editor: { page: 200, inviteEditor: 403, inviteOwner: 403 },
	'member of B': { page: 403, inviteEditor: 404, inviteOwner: 404 },
	outsider: { page: 403, inviteEditor: 404, inviteOwner: 404 },
	anonymous: { page: 303, inviteEditor: 401, inviteOwner: 401 }
};

describe.runIf(inject('templateDatabase'))('who may open /admin and use a guarded action on site A', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Film Club' });
		siteB = await createSite({ name: 'Bravo Secret Society' });
		hostA = `${siteA.slug}.hub.test`;
		const people: Record<Exclude<Who, 'anonymous'>, string> = {
			owner: (await createMember(siteA, 'owner')).discordId,
			admin: (await createMember(siteA, 'admin')).discordId,
			editor: (await createMember(siteA, 'editor')).discordId,
			'member of B': (await createMember(siteB, 'owner')).discordId,
			outsider: (await createUser()).discordId
		};
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		for (const [who, discordId] of Object.entries(people)) cookies[who as Who] = await signIn(hub, hostA, discordId);
		cookies.anonymous = '';
	});
	afterAll(() => hub?.stop());

	/**
	 * The action's own answer, as the enhanced form (use:enhance) receives it: SvelteKit returns
	 * JSON without running the page's loads, so this is the action's permission check alone.
	 * `fail(403)` comes back as HTTP 200 with type "failure"; thrown errors keep their status.
	 */
	const invite = async (who: Who, role: string) => {
		const r = await request(hub.origin, '/admin?/invite', hostA, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: `http://${hostA}`,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				cookie: cookies[who]
			},
			body: new URLSearchParams({ role }).toString()
		});
		const json = JSON.parse(r.body) as { type: string; status?: number; data?: string };
		return {
			status: json.type === 'failure' ? json.status! : r.status,
			body: r.body,
			link: /"(http:\/\/[^"]+\/invite\/[^"]+)"/.exec(json.data ?? '')?.[1]
		};
	};

	for (const who of Object.keys(EXPECTED) as Who[]) {
		it(`${who}: /admin → ${EXPECTED[who].page}, invite editor → ${EXPECTED[who].inviteEditor}, invite owner → ${EXPECTED[who].inviteOwner}`, async () => {
			const before = await db().select().from(invitation);

			const page = await get(hub.origin, '/admin', hostA, { cookie: cookies[who], accept: 'text/html' });
			expect(page.status).toBe(EXPECTED[who].page);
			if (page.status === 200) {
				expect(page.body).toContain('<title>Dashboard · Alpha Film Club</title>');
				expect(page.body).toContain(`data-role="${who}"`);
			} else if (page.status === 403) {
				expect(page.body).toContain('have access to this site');
				expect(page.body).toContain('action="/logout"');
			} else {
				expect(page.headers.location).toBe('/login?next=%2Fadmin');
			}
			// Whatever the answer, nothing of site B shows on A.
			expect(page.body).not.toContain('Bravo Secret Society');

			const editorInvite = await invite(who, 'editor');
			expect(editorInvite.status).toBe(EXPECTED[who].inviteEditor);
			const ownerInvite = await invite(who, 'owner');
			expect(ownerInvite.status).toBe(EXPECTED[who].inviteOwner);
			for (const r of [editorInvite, ownerInvite]) expect(r.body).not.toContain('Bravo Secret Society');

			const created = (await db().select().from(invitation)).filter((i) => !before.some((b) => b.id === i.id));
			const allowed = [EXPECTED[who].inviteEditor, EXPECTED[who].inviteOwner].filter((s) => s === 200).length;
			expect(created).toHaveLength(allowed);
			expect(created.every((i) => i.siteId === siteA.id)).toBe(true);
			if (allowed) expect(editorInvite.link).toMatch(new RegExp(`^http://${hostA}/invite/[A-Za-z0-9_-]{43}$`));
		});
	}

	it('a plain (no-JavaScript) form post by an outsider changes nothing and shows the no-access page', async () => {
		const before = await db().select().from(invitation);
		for (const who of ['member of B', 'outsider', 'editor'] as const) {
			const r = await request(hub.origin, '/admin?/invite', hostA, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: `http://${hostA}`,
					accept: 'text/html',
					cookie: cookies[who]
				},
				body: 'role=editor'
			});
			expect(r.status, who).toBe(403);
			expect(r.body).not.toContain('/invite/');
		}
		expect(await db().select().from(invitation)).toHaveLength(before.length);
	});

	it('never creates anything on site B', async () => {
		expect(await db().select().from(invitation).where(eq(invitation.siteId, siteB.id))).toHaveLength(0);
	});

	it('an invite link is single-use, works only on its own site, and grants its role after sign-in', async () => {
		const link = new URL((await invite('owner', 'editor')).link!);
		const newcomer = await createUser({ name: 'Nia Newcomer' });
		const cookie = await signIn(hub, hostA, newcomer.discordId);

		// Anonymous: an offer to sign in, coming back here.
		const anonymous = await get(hub.origin, link.pathname, hostA);
		expect(anonymous.body).toContain('Sign in to accept');
		expect(anonymous.body).toContain(`/login?next=${encodeURIComponent(link.pathname)}`);

		// The same token on site B's host is unknown there.
		const hostB = `${siteB.slug}.hub.test`;
		const onB = await get(hub.origin, link.pathname, hostB, { cookie: await signIn(hub, hostB, newcomer.discordId) });
		expect(onB.body).toContain('no longer valid');

		const accept = () =>
			request(hub.origin, `${link.pathname}?/accept`, hostA, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${hostA}`, accept: 'text/html', cookie },
				body: ''
			});
		const first = await accept();
		expect(first.status).toBe(303);
		expect(first.headers.location).toBe('/admin');
		const admin = await get(hub.origin, '/admin', hostA, { cookie });
		expect(admin.status).toBe(200);
		expect(admin.body).toContain('data-role="editor"');

		const again = await accept();
		expect(again.status).toBe(410);
		expect(again.body).toContain('expired or was already used');
	});
});
