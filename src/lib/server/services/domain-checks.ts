/**
 * Custom domains re-checked in the background (the `domains.recheck` job, every minute), in the
 * model Dub uses:
 * - a pending domain is checked with backoff, 1 minute doubling to at most 1 hour, and becomes
 *   verified by itself once DNS points here (and the TXT proof is there, when it is needed);
 * - a verified domain is checked daily; when its DNS stops pointing here it is marked
 *   misconfigured (its admins see it on the Domains screen) and re-checked hourly, still served;
 *   back in order, the mark is lifted; still wrong after the grace period, it is detached.
 * Each change of state is audited on the site. The checks are the Domains screen's own
 * (hosts/domain-verifier.ts, replaceable in tests) and run outside any transaction.
 */
import { forgetFormerActor } from '../queries/fediverse';
import { env } from '../env';
import { domainVerifier, storedProblem, type VerifyResult } from '../hosts/domain-verifier';
import {
	domainServedAnotherSite,
	listDomainsDueForCheck,
	markDomainVerified,
	recordDomainCheck,
	recordDomainServed,
	removeDomain,
	type DomainRow
} from '../queries/sites';
import { systemActor } from './actor';
import { write } from './write';
import { queueDomainAlert } from '../mail/domain-alert';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Pending: 1, 2, 4 ... minutes after each failed check, at most an hour. */
export function pendingBackoffMs(failures: number): number {
	return Math.min(HOUR, MINUTE * 2 ** Math.max(0, failures - 1));
}

export interface RecheckOptions {
	now?: Date;
	/** Days a misconfigured domain keeps serving before it is detached (DOMAIN_GRACE_DAYS). */
	graceMs?: number;
	limit?: number;
}

export interface RecheckReport {
	checked: number;
	verified: string[];
	misconfigured: string[];
	restored: string[];
	detached: string[];
}

async function runChecks(domain: DomainRow): Promise<VerifyResult> {
	const verifier = domainVerifier();
	const http = await verifier.check(domain.hostname, domain.verificationToken);
	if (!http.ok || domain.verifiedAt) return http;
	if (await domainServedAnotherSite(domain.siteId, domain.hostname)) return verifier.checkTxt(domain.hostname, domain.verificationToken);
	return http;
}

export async function recheckDueDomains(options: RecheckOptions = {}): Promise<RecheckReport> {
	const now = options.now ?? new Date();
	const graceMs = options.graceMs ?? env().DOMAIN_GRACE_DAYS * DAY;
	const report: RecheckReport = { checked: 0, verified: [], misconfigured: [], restored: [], detached: [] };
	const actor = systemActor();
	for (const domain of await listDomainsDueForCheck(now, options.limit ?? 100)) {
		report.checked++;
		const result = await runChecks(domain);
		const siteId = domain.siteId;
		await write({ siteId, actor }, async (w) => {
			if (!domain.verifiedAt) {
				if (result.ok) {
					const row = await markDomainVerified(siteId, domain.id);
					if (!row) return;
					await recordDomainServed(siteId, row.hostname);
					await w.audit({ action: 'domain.verify', targetType: 'domain', targetId: row.id, target: row.hostname });
					w.changed({ type: 'hosts', siteId, hosts: [row.hostname] });
					report.verified.push(row.hostname);
				} else {
					const failures = domain.checkFailures + 1;
					await recordDomainCheck(siteId, domain.id, {
						lastCheckedAt: now,
						checkFailures: failures,
						lastCheckError: storedProblem(result.problem),
						nextCheckAt: new Date(now.getTime() + pendingBackoffMs(failures))
					});
				}
				return;
			}
			if (result.ok) {
				await recordDomainCheck(siteId, domain.id, {
					lastCheckedAt: now,
					checkFailures: 0,
					lastCheckError: null,
					misconfiguredAt: null,
					nextCheckAt: new Date(now.getTime() + DAY)
				});
				if (domain.misconfiguredAt) {
					await w.audit({ action: 'domain.restore', targetType: 'domain', targetId: domain.id, target: domain.hostname });
					report.restored.push(domain.hostname);
				}
				return;
			}
			const since = domain.misconfiguredAt ?? now;
			if (now.getTime() - since.getTime() >= graceMs) {
				const row = await removeDomain(siteId, domain.id);
				if (!row) return;
				// As when an owner removes it (domains.ts): no former actor of this site is there any more.
				await forgetFormerActor(siteId, row.hostname);
				await w.audit({ action: 'domain.detach', targetType: 'domain', targetId: row.id, target: row.hostname });
				await queueDomainAlert(w, siteId, {
					kind: 'detached',
					domainId: row.id,
					hostname: row.hostname,
					since,
					detachAt: now,
					problem: result.problem
				});
				w.changed({ type: 'hosts', siteId, hosts: [row.hostname] });
				report.detached.push(row.hostname);
				return;
			}
			await recordDomainCheck(siteId, domain.id, {
				lastCheckedAt: now,
				checkFailures: domain.checkFailures + 1,
				lastCheckError: storedProblem(result.problem),
				misconfiguredAt: since,
				// Hourly while misconfigured, and exactly at the end of the grace period.
				nextCheckAt: new Date(Math.min(now.getTime() + HOUR, since.getTime() + graceMs))
			});
			if (!domain.misconfiguredAt) {
				await w.audit({ action: 'domain.misconfigure', targetType: 'domain', targetId: domain.id, target: domain.hostname });
				await queueDomainAlert(w, siteId, {
					kind: 'misconfigured',
					domainId: domain.id,
					hostname: domain.hostname,
					since,
					detachAt: new Date(since.getTime() + graceMs),
					problem: result.problem
				});
				report.misconfigured.push(domain.hostname);
			}
		});
	}
	return report;
}
