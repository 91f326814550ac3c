/**
 * Custom domains of a site (admins and up; super admins from the hub with two options).
 *
 * A domain is added pending, then verified: the HTTP check (hosts/domain-verifier.ts) proves that
 * its DNS points at this platform. That is not proof of control when the domain served another
 * site before: DNS still points here after that site let the domain go, so anyone could claim it
 * and serve their pages under the old site's name. Such a domain must also carry a TXT record
 * with this site's token at `_collective-hub.<domain>` (the model Vercel uses for a domain in use
 * elsewhere). Which sites a hostname served is kept in `domain_history`.
 *
 * A domain used by another site right now gets the same answer as any taken domain, without
 * saying which site has it.
 */
import { isIP } from 'node:net';
import { getDomain as registrableDomain } from 'tldts';
import { z } from 'zod';
import { env } from '../env';
import { alreadyExists, AppError, notFound } from '../errors';
import { requireId } from '../ids';
import { parseInput, say } from '../input';
import { m } from '../../paraglide/messages';
import { isLocalHost, parseHost } from '../hosts/parse-host';
import { domainVerifier, problemText, storedProblemText, txtRecordName, txtRecordValue } from '../hosts/domain-verifier';
import {
	addDomain as insertDomain,
	domainServedAnotherSite,
	getDomain,
	listDomains,
	markDomainVerified,
	recordDomainServed,
	removeDomain as deleteDomain,
	setPrimaryDomain,
	type DomainRow
} from '../queries/sites';
import { siteRead } from '../db';
import { loadSiteContext } from '../hosts/site-context';
import { forgetFormerActor } from '../queries/fediverse';
import { federateActorMove } from '../fediverse/move';
import { allow, auditActor, type AllowedActor, type SiteActor } from './actor';
import { write, type Write } from './write';

/**
 * A custom domain typed into a form (site admin and hub panel alike): normalized like a Host
 * header, never an IP address, a local name, or a name under the platform's own domain.
 */
export const hostnameSchema = z
	.string()
	.trim()
	.min(1, say(m.site_admin_error_domain_required))
	.max(253, say(m.site_admin_error_domain_too_long))
	.transform((v, ctx) => {
		const host = parseHost(v.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''));
		if (!host || isIP(host.replace(/^\[|\]$/g, '')) || isLocalHost(host) || !host.includes('.')) {
			ctx.addIssue({ code: 'custom', message: m.site_admin_error_domain_format() });
			return z.NEVER;
		}
		const platform = env().PLATFORM_DOMAIN;
		if (host === platform || host.endsWith(`.${platform}`)) {
			ctx.addIssue({ code: 'custom', message: m.site_admin_error_domain_platform({ platform }) });
			return z.NEVER;
		}
		return host;
	});

const addSchema = z.object({ hostname: hostnameSchema });
const idInput = z.object({ id: z.unknown() });
const removeSchema = z.object({
	id: z.unknown(),
	confirm: z.literal('yes', say(m.site_admin_error_confirm_removal))
});

/** The unique index on hostnames: a domain another site uses now (which one is not said). */
export const TAKEN_DOMAIN = {
	site_domain_hostname_key: {
		field: 'hostname',
		// Read when the write is refused, so in the language of that request.
		get message() {
			return m.site_admin_error_domain_taken();
		}
	}
};

export interface DnsRecord {
	type: 'A' | 'AAAA' | 'ALIAS' | 'CNAME' | 'TXT';
	/** As registrars' forms want it: relative to the registered domain (`www`, `@` for the domain itself). */
	name: string;
	/** The full name, for DNS hosts that want that instead. */
	fqdn: string;
	value: string;
}

export interface DomainView {
	id: string;
	hostname: string;
	verified: boolean;
	primary: boolean;
	/** While pending: the records to create (pointing here; the TXT proof when it is needed). */
	records: DnsRecord[];
	/** While pending: whether a TXT ownership record is part of the check. */
	needsTxt: boolean;
	/** Background checks (services/domain-checks.ts): ISO dates, null before the first. */
	lastCheckedAt: string | null;
	nextCheckAt: string;
	/** Why the last check failed (in the reader's language), null after a success. */
	lastCheckError: string | null;
	/** Verified, but DNS no longer points here: since when, and when it will be detached. */
	misconfiguredSince: string | null;
	detachAt: string | null;
}

/** `www` for www.example.org, `@` for example.org (example.co.uk too: the public suffix list decides). */
function relativeName(fqdn: string, zone: string): string {
	return fqdn === zone ? '@' : fqdn.slice(0, -(zone.length + 1));
}

/**
 * What to create at the DNS host. A bare domain (example.org) cannot hold a CNAME: it needs A/AAAA
 * to PUBLIC_IPV4/6, or the DNS host's ALIAS/ANAME; a subdomain gets a CNAME to the platform.
 */
export function dnsRecords(hostname: string, token: string, needsTxt: boolean): DnsRecord[] {
	const e = env();
	const zone = registrableDomain(hostname) ?? hostname;
	const record = (type: DnsRecord['type'], fqdn: string, value: string): DnsRecord => ({
		type,
		name: relativeName(fqdn, zone),
		fqdn,
		value
	});
	const records: DnsRecord[] = [];
	if (hostname === zone) {
		if (e.PUBLIC_IPV4) records.push(record('A', hostname, e.PUBLIC_IPV4));
		if (e.PUBLIC_IPV6) records.push(record('AAAA', hostname, e.PUBLIC_IPV6));
		if (!records.length) records.push(record('ALIAS', hostname, e.PLATFORM_DOMAIN));
	} else {
		records.push(record('CNAME', hostname, e.PLATFORM_DOMAIN));
	}
	if (needsTxt) records.push(record('TXT', txtRecordName(hostname), txtRecordValue(token)));
	return records;
}

function toView(d: DomainRow, needsTxt: boolean): DomainView {
	const pending = !d.verifiedAt;
	return {
		id: d.id,
		hostname: d.hostname,
		verified: !pending,
		primary: d.isPrimary,
		records: pending ? dnsRecords(d.hostname, d.verificationToken, needsTxt) : [],
		needsTxt: pending && needsTxt,
		lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
		nextCheckAt: d.nextCheckAt.toISOString(),
		lastCheckError: storedProblemText(d.hostname, d.lastCheckError),
		misconfiguredSince: d.misconfiguredAt?.toISOString() ?? null,
		detachAt: d.misconfiguredAt ? new Date(d.misconfiguredAt.getTime() + env().DOMAIN_GRACE_DAYS * 86_400_000).toISOString() : null
	};
}

export async function listSiteDomains(actor: SiteActor): Promise<DomainView[]> {
	const who = allow(actor, 'site.domains');
	return siteRead(who.site.id, async () => {
		const rows = await listDomains(who.site.id);
		return Promise.all(rows.map(async (d) => toView(d, !d.verifiedAt && (await domainServedAnotherSite(who.site.id, d.hostname)))));
	});
}

/** Super-admin-only options must come with a super admin. */
function requireSuperAdmin(actor: AllowedActor, option: boolean | undefined): void {
	if (option && !actor.isSuperAdmin) throw new AppError('forbidden', m.site_admin_error_super_admin());
}

/**
 * Add a domain, pending until verified. `attachVerified` (super admins, hub panel): the super
 * admin vouches for it, so it serves at once.
 */
export async function addSiteDomain(actor: SiteActor, input: unknown, options: { attachVerified?: boolean } = {}): Promise<DomainView> {
	const who = allow(actor, 'site.domains');
	requireSuperAdmin(who, options.attachVerified);
	const { hostname } = parseInput(addSchema, input);
	return write({ siteId: who.site.id, actor: auditActor(who), unique: TAKEN_DOMAIN }, (w) =>
		attachDomain(w, who.site.id, hostname, Boolean(options.attachVerified))
	);
}

/**
 * Inside a write for `siteId`: attach a domain, pending or (vouched for by a super admin, who
 * answers for the DNS and for who controls the domain) verified at once. Also used by site
 * creation on the hub (services/sites.ts), so both follow the same rules.
 */
export async function attachDomain(w: Write, siteId: string, hostname: string, vouch: boolean): Promise<DomainView> {
	if ((await listDomains(siteId)).some((d) => d.hostname === hostname)) throw alreadyExists('hostname', m.site_admin_error_domain_own());
	const row = await insertDomain(siteId, hostname, { verified: vouch });
	if (vouch) await recordDomainServed(siteId, hostname);
	await w.audit({ action: 'domain.add', targetType: 'domain', targetId: row.id, target: hostname });
	w.changed({ type: 'hosts', siteId, hosts: [hostname] });
	return toView(row, !vouch && (await domainServedAnotherSite(siteId, hostname)));
}

async function ownDomain(siteId: string, id: unknown): Promise<DomainRow> {
	const domain = await getDomain(siteId, requireId(id));
	if (!domain) throw notFound();
	return domain;
}

/**
 * Verify a pending domain: the HTTP check, plus the TXT record when the domain served another site.
 * `vouch` (super admins): mark it verified without checks. The checks run outside any
 * transaction: they may take seconds and hold no lock meanwhile.
 */
export async function verifySiteDomain(actor: SiteActor, input: unknown, options: { vouch?: boolean } = {}): Promise<DomainView> {
	const who = allow(actor, 'site.domains');
	requireSuperAdmin(who, options.vouch);
	const siteId = who.site.id;
	const { id } = parseInput(idInput, input);
	const domain = await siteRead(siteId, () => ownDomain(siteId, id));
	if (domain.verifiedAt) return toView(domain, false);
	const verifier = domainVerifier();
	const needsTxt = !options.vouch && (await domainServedAnotherSite(siteId, domain.hostname));
	const checks = [
		...(options.vouch ? [] : [() => verifier.check(domain.hostname, domain.verificationToken)]),
		...(needsTxt ? [() => verifier.checkTxt(domain.hostname, domain.verificationToken)] : [])
	];
	for (const check of checks) {
		const result = await check();
		if (!result.ok)
			throw new AppError('unprocessable', m.site_admin_error_not_verified({ reason: problemText(domain.hostname, result.problem) }));
	}
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await markDomainVerified(siteId, domain.id);
		if (!row) throw notFound();
		await recordDomainServed(siteId, row.hostname);
		await w.audit({ action: 'domain.verify', targetType: 'domain', targetId: row.id, target: row.hostname });
		w.changed({ type: 'hosts', siteId, hosts: [row.hostname] });
		return toView(row, false);
	});
}

/**
 * Make a verified domain the main address (the others then answer 301 to it). The site's
 * fediverse actor moves with it, taking its followers along (fediverse/move.ts).
 */
export async function makePrimaryDomain(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.domains');
	const siteId = who.site.id;
	const { id } = parseInput(idInput, input);
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		const domain = await ownDomain(siteId, id);
		if (!domain.verifiedAt) throw new AppError('conflict', m.site_admin_error_verify_first());
		// The primary host as stored now (the request's site context may be a cached one).
		const before = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
		const changed = await setPrimaryDomain(siteId, domain.id);
		if (!changed || !before) throw notFound();
		await federateActorMove(w, before, domain.hostname);
		await w.audit({ action: 'domain.primary', targetType: 'domain', targetId: domain.id, target: domain.hostname });
		w.changed({ type: 'hosts', siteId, hosts: changed.hosts });
	});
}

/** Remove a domain (`confirm: 'yes'` from the form; the hub panel's detach passes it too). */
export async function removeSiteDomain(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.domains');
	const siteId = who.site.id;
	const { id } = parseInput(removeSchema, input);
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await deleteDomain(siteId, requireId(id));
		if (!row) throw notFound();
		// No actor of this site answers there any more: the current one no longer names it.
		await forgetFormerActor(siteId, row.hostname);
		await w.audit({ action: 'domain.remove', targetType: 'domain', targetId: row.id, target: row.hostname });
		w.changed({ type: 'hosts', siteId, hosts: [row.hostname] });
	});
}
