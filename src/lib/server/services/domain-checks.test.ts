/**
 * Domain re-checks driven by a fake DNS/HTTP answer (the replaceable verifier) and a moving
 * clock: pending → verified by itself with backoff; verified → misconfigured (still served, shown
 * to the owner with dates) → detached after the grace period, audited; restored when DNS is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { useDomainVerifier, httpVerifier, type VerifyResult } from '../hosts/domain-verifier';
import { getDomain } from '../queries/sites';
import { listSiteAudit } from '../queries/audit';
import { siteRead } from '../db';
import { listSiteDomains } from './domains';
import { pendingBackoffMs, recheckDueDomains } from './domain-checks';

useTestDatabase();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const GRACE = 3 * DAY;

/** DNS of each hostname, as the fake verifier answers it. */
const pointsHere = new Map<string, boolean>();
const answer = (hostname: string): VerifyResult => (pointsHere.get(hostname) ? { ok: true } : { ok: false, problem: { code: 'not_here' } });

beforeAll(() => useDomainVerifier({ check: async (h) => answer(h), checkTxt: async (h) => answer(h) }));
afterAll(() => useDomainVerifier(httpVerifier));

type Site = Awaited<ReturnType<typeof f.createSite>>;
const domainOf = (site: Site, id: string) => siteRead(site.id, () => getDomain(site.id, id));
const actions = async (site: Site) => (await siteRead(site.id, () => listSiteAudit(site.id, 50))).map((a) => a.action).reverse();
async function ownerView(site: Site) {
	const owner = await f.createUser();
	return listSiteDomains(await f.actorOn(site, owner, 'owner'));
}

describe('recheckDueDomains', () => {
	it('backs off 1, 2, 4 ... minutes up to an hour', () => {
		expect([1, 2, 3, 4, 7, 8, 20].map(pendingBackoffMs)).toEqual([MIN, 2 * MIN, 4 * MIN, 8 * MIN, HOUR, HOUR, HOUR]);
	});

	it('re-checks a pending domain with backoff and verifies it by itself once DNS points here', async () => {
		const site = await f.createSite();
		const d = await f.createDomain(site.id, 'pending-films.example', false);
		let now = new Date(Date.now() + 2 * MIN);
		// Not due before its first check.
		expect((await recheckDueDomains({ now: new Date(Date.now() - MIN), graceMs: GRACE })).checked).toBe(0);
		for (const expected of [MIN, 2 * MIN, 4 * MIN]) {
			await recheckDueDomains({ now, graceMs: GRACE });
			const row = (await domainOf(site, d.id))!;
			expect(row.verifiedAt).toBeNull();
			expect(row.nextCheckAt.getTime() - now.getTime()).toBe(expected);
			expect(row.lastCheckError).toBe('{"code":"not_here"}');
			now = row.nextCheckAt;
		}
		const [view] = await ownerView(site);
		expect(view).toMatchObject({
			verified: false,
			lastCheckedAt: expect.any(String),
			lastCheckError: expect.stringContaining('does not point')
		});
		pointsHere.set('pending-films.example', true);
		const report = await recheckDueDomains({ now, graceMs: GRACE });
		expect(report.verified).toEqual(['pending-films.example']);
		const row = (await domainOf(site, d.id))!;
		expect(row.verifiedAt).not.toBeNull();
		// Verified domains are checked again a day later.
		expect(row.nextCheckAt.getTime() - Date.now()).toBeGreaterThan(DAY - HOUR);
		expect(await actions(site)).toContain('domain.verify');
	});

	it('marks a verified domain misconfigured when DNS stops pointing here, keeps it, and detaches it after the grace period', async () => {
		const site = await f.createSite();
		const d = await f.createDomain(site.id, 'moved-away.example', true);
		pointsHere.set('moved-away.example', false);
		const t0 = new Date(Date.now() + 2 * MIN);
		const first = await recheckDueDomains({ now: t0, graceMs: GRACE });
		expect(first.misconfigured).toEqual(['moved-away.example']);
		let row = (await domainOf(site, d.id))!;
		expect(row.misconfiguredAt?.getTime()).toBe(t0.getTime());
		expect(row.verifiedAt).not.toBeNull(); // still served meanwhile
		expect(row.nextCheckAt.getTime() - t0.getTime()).toBe(HOUR);
		const [view] = await ownerView(site);
		expect(view).toMatchObject({ verified: true, misconfiguredSince: t0.toISOString(), lastCheckedAt: t0.toISOString() });
		expect(view!.detachAt).not.toBeNull();

		// Hourly checks within the grace period change nothing but the dates.
		const later = new Date(t0.getTime() + 2 * DAY);
		expect((await recheckDueDomains({ now: later, graceMs: GRACE })).detached).toEqual([]);
		row = (await domainOf(site, d.id))!;
		expect(row.misconfiguredAt?.getTime()).toBe(t0.getTime());

		const detached = await recheckDueDomains({ now: new Date(t0.getTime() + GRACE), graceMs: GRACE });
		expect(detached.detached).toEqual(['moved-away.example']);
		expect(await domainOf(site, d.id)).toBeUndefined();
		expect(await ownerView(site)).toEqual([]);
		expect(await actions(site)).toEqual(expect.arrayContaining(['domain.misconfigure', 'domain.detach']));
	});

	it('lifts the mark when DNS points here again', async () => {
		const site = await f.createSite();
		const d = await f.createDomain(site.id, 'back-again.example', true);
		pointsHere.set('back-again.example', false);
		const t0 = new Date(Date.now() + 2 * MIN);
		await recheckDueDomains({ now: t0, graceMs: GRACE });
		pointsHere.set('back-again.example', true);
		const report = await recheckDueDomains({ now: new Date(t0.getTime() + HOUR), graceMs: GRACE });
		expect(report.restored).toEqual(['back-again.example']);
		const row = (await domainOf(site, d.id))!;
		expect(row).toMatchObject({ misconfiguredAt: null, lastCheckError: null, checkFailures: 0 });
		expect(await actions(site)).toContain('domain.restore');
	});
});
