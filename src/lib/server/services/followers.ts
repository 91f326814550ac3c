/**
 * Following a site by e-mail, without an account: a visitor gives an address, confirms it from
 * the mail (double opt-in), then gets a weekly digest of the coming week's events at the site's
 * chosen day and hour (in its timezone) and a note when an event they were told about is
 * cancelled. Every mail has a one-click unsubscribe (RFC 8058).
 *
 * Addresses belong to one site: every query names the site, a token of site A means nothing on
 * site B, and signing up answers the same whether or not the address is known. Nothing is sent
 * from a request: mails are rendered and queued in the write (the outbox), and the worker
 * delivers them (mail/deliver.ts: retried, never twice).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { env } from '../env';
import { siteRead, transaction } from '../db';
import { authSecret } from '../auth/secret';
import { loadSiteContext, type SiteContext } from '../hosts/site-context';
import { withLocale } from '../i18n';
import { m } from '../../paraglide/messages';
import { describeWhen } from '../../event-time';
import { wallTime, toLocalDateInput } from '../../time';
import { mailEnabled } from '../mail/transport';
import { renderMail, siteUrl, type MailBlock } from '../mail/render';
import type { OutgoingMail } from '../mail/deliver';
import {
	claimDigest,
	confirmFollowerByTokenHash,
	countFollowers,
	deleteFollower,
	getFollowerByEmail,
	getMailSetting,
	hitRateLimit,
	listConfirmedFollowers,
	listEventsStartingBetween,
	listFollowers,
	listFollowersToldOf,
	listSitesWithFollowers,
	recordNotices,
	saveMailSetting,
	upsertPendingFollower,
	type FollowerRow
} from '../queries/followers';
import { getEvent, type EventRow } from '../queries/events';
import { allow, auditActor, systemActor, type SiteActor } from './actor';
import { write, type Write } from './write';

export const MAIL_SEND_JOB = 'mail.send';
export const MAIL_CANCELLATION_JOB = 'mail.cancellation';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Sign-ups per hour and site: from one client address, and for one e-mail address. */
export const FOLLOW_LIMITS = { perIp: 10, perAddress: 3 };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const emailSchema = () =>
	z
		.string({ message: m.mail_follow_invalid() })
		.trim()
		.toLowerCase()
		.max(254, m.mail_follow_invalid())
		.pipe(z.email(m.mail_follow_invalid()));

// ---- Tokens ----

/** The unsubscribe token of a follower: derived (HMAC), so nothing is stored for it. */
export function unsubscribeToken(siteId: string, followerId: string): string {
	const mac = createHmac('sha256', authSecret()).update(`unsubscribe:${siteId}:${followerId}`).digest('base64url').slice(0, 32);
	return `${followerId}.${mac}`;
}

function followerIdOfUnsubscribeToken(siteId: string, token: string): string | null {
	const [id] = token.split('.', 1);
	if (!id || !isUuid(id) || token.length > 100) return null;
	const expected = Buffer.from(unsubscribeToken(siteId, id));
	const given = Buffer.from(token);
	return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

const CONFIRM_TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

// ---- Mails (rendered in the site's language) ----

interface SiteForMail {
	id: string;
	name: string;
	theme: SiteContext['theme'];
	locale: SiteContext['locale'];
	timezone: string;
	primaryHost: string;
}

function unsubscribeParts(site: SiteForMail, f: Pick<FollowerRow, 'id' | 'email'>) {
	const url = siteUrl(site.primaryHost, `/follow/unsubscribe/${unsubscribeToken(site.id, f.id)}`);
	return {
		unsubscribe: { label: m.mail_unsubscribe_link(), url },
		headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
		footer: [m.mail_why_follow({ site: site.name, email: f.email })]
	};
}

export function confirmMail(site: SiteForMail, f: Pick<FollowerRow, 'id' | 'email'>, token: string): OutgoingMail {
	return withLocale(site.locale, () => {
		const url = siteUrl(site.primaryHost, `/follow/confirm/${token}`);
		const body = renderMail({
			siteName: site.name,
			theme: site.theme,
			heading: m.mail_confirm_heading({ site: site.name }),
			blocks: [
				{ kind: 'text', text: m.mail_confirm_body({ site: site.name }) },
				{ kind: 'button', label: m.mail_confirm_button(), url },
				{ kind: 'text', text: m.mail_confirm_ignore() }
			],
			footer: [m.mail_confirm_footer({ email: f.email })]
		});
		return {
			key: `confirm:${f.id}:${sha256(token).slice(0, 16)}`,
			siteId: site.id,
			to: f.email,
			fromName: site.name,
			audience: 'follower',
			subject: m.mail_confirm_subject({ site: site.name }),
			...body
		};
	});
}

function eventBlock(site: SiteForMail, e: EventRow, cancelled = false): MailBlock {
	const when = describeWhen(e, site.timezone);
	const lines = [when.label, [e.venueName, e.venueAddress].filter(Boolean).join(', ')].filter(Boolean);
	return { kind: 'item', title: e.title, url: siteUrl(site.primaryHost, `/events/${e.slug}`), lines, cancelled };
}

export function digestMail(site: SiteForMail, f: Pick<FollowerRow, 'id' | 'email'>, events: EventRow[], localDate: string): OutgoingMail {
	return withLocale(site.locale, () => {
		const parts = unsubscribeParts(site, f);
		const body = renderMail({
			siteName: site.name,
			theme: site.theme,
			heading: m.mail_digest_heading({ site: site.name }),
			blocks: [
				{ kind: 'text', text: m.mail_digest_intro({ count: events.length }) },
				...events.map((e) => eventBlock(site, e)),
				{ kind: 'button', label: m.mail_digest_all(), url: siteUrl(site.primaryHost, '/events') }
			],
			footer: parts.footer,
			unsubscribe: parts.unsubscribe
		});
		return {
			key: `digest:${f.id}:${localDate}`,
			siteId: site.id,
			to: f.email,
			fromName: site.name,
			audience: 'follower',
			subject: m.mail_digest_subject({ site: site.name }),
			headers: parts.headers,
			...body
		};
	});
}

export function cancellationMail(site: SiteForMail, f: Pick<FollowerRow, 'id' | 'email'>, e: EventRow): OutgoingMail {
	return withLocale(site.locale, () => {
		const parts = unsubscribeParts(site, f);
		const when = describeWhen(e, site.timezone).label;
		const body = renderMail({
			siteName: site.name,
			theme: site.theme,
			heading: m.mail_cancel_heading({ title: e.title }),
			blocks: [{ kind: 'text', text: m.mail_cancel_body({ title: e.title, when }) }, eventBlock(site, e, true)],
			footer: parts.footer,
			unsubscribe: parts.unsubscribe
		});
		return {
			key: `cancel:${e.id}:${f.id}`,
			siteId: site.id,
			to: f.email,
			fromName: site.name,
			audience: 'follower',
			subject: m.mail_cancel_subject({ title: e.title }),
			headers: parts.headers,
			...body
		};
	});
}

/** Queue one rendered mail in the current write (delivered by the worker). */
export function queueMail(w: Write, mail: OutgoingMail) {
	return w.enqueue({ name: MAIL_SEND_JOB, data: mail });
}

function requireMail() {
	if (!mailEnabled()) throw notFound();
}

// ---- Visitors ----

/**
 * A visitor asks to follow the site. The answer is the same for a new, a waiting and an already
 * confirmed address (the mail says the rest), so the form tells no one who follows. Over the
 * limits (per client address, per e-mail address) it is a 429 and nothing is stored.
 */
export async function followSite(site: SiteContext, input: unknown, client: { ip: string | null }, now = new Date()) {
	requireMail();
	const parsed = z.object({ email: z.unknown() }).safeParse(input);
	const email = emailSchema().safeParse(parsed.success ? parsed.data.email : undefined);
	if (!email.success) throw invalidInput({ email: m.mail_follow_invalid() }, m.mail_follow_invalid());
	const address = email.data;
	const tooMany = () => new AppError('rate_limited', m.mail_follow_too_many(), undefined, { email: m.mail_follow_too_many() });
	// Counted outside the sign-up's transaction: refused attempts count too.
	await transaction(async () => {
		if ((await hitRateLimit(`follow:ip:${site.id}:${client.ip ?? 'unknown'}`, HOUR, now.getTime())) > FOLLOW_LIMITS.perIp) throw tooMany();
		if ((await hitRateLimit(`follow:address:${site.id}:${sha256(address)}`, HOUR, now.getTime())) > FOLLOW_LIMITS.perAddress)
			throw tooMany();
	});
	await write({ siteId: site.id, actor: systemActor() }, async (w) => {
		const existing = await getFollowerByEmail(site.id, address);
		if (existing?.status === 'confirmed') return;
		const token = randomBytes(32).toString('base64url');
		const row = await upsertPendingFollower(site.id, address, sha256(token));
		await queueMail(w, confirmMail(site, row, token));
	});
	return { email: address };
}

/** The double opt-in link: the follower is confirmed; null when the link is unknown or used. */
export async function confirmFollow(site: SiteContext, token: unknown, now = new Date()) {
	requireMail();
	if (typeof token !== 'string' || !CONFIRM_TOKEN.test(token)) return null;
	return write({ siteId: site.id, actor: systemActor() }, () => confirmFollowerByTokenHash(site.id, sha256(token), now)).then(
		(r) => r ?? null
	);
}

/** Whether an unsubscribe link is one of this site's (the page offers the button). */
export function unsubscribeLinkValid(site: SiteContext, token: unknown): boolean {
	return typeof token === 'string' && followerIdOfUnsubscribeToken(site.id, token) !== null;
}

/**
 * One-click unsubscribe (also the mail client's RFC 8058 POST): the follower is deleted. An
 * already removed follower is fine (true: the outcome is the same); a link of no follower of
 * this site is false.
 */
export async function unsubscribe(site: SiteContext, token: unknown): Promise<boolean> {
	if (typeof token !== 'string') return false;
	const id = followerIdOfUnsubscribeToken(site.id, token);
	if (!id) return false;
	await write({ siteId: site.id, actor: systemActor() }, () => deleteFollower(site.id, id));
	return true;
}

// ---- Owners ----

export const followersEnabled = () => mailEnabled();

export async function followersPage(actor: SiteActor) {
	const who = allow(actor, 'followers.manage');
	requireMail();
	const [followers, counts, setting] = await siteRead(who.site.id, () =>
		Promise.all([listFollowers(who.site.id), countFollowers(who.site.id), getMailSetting(who.site.id)])
	);
	return { followers, counts, schedule: { weekday: setting.digestWeekday, hour: setting.digestHour }, timezone: who.site.timezone };
}

export async function exportFollowersCsv(actor: SiteActor): Promise<string> {
	const who = allow(actor, 'followers.manage');
	requireMail();
	const rows = await siteRead(who.site.id, () => listFollowers(who.site.id));
	const cell = (v: string) =>
		/[",\n\r]/.test(v) || /^[=+\-@\t]/.test(v) ? `"${(/^[=+\-@\t]/.test(v) ? "'" : '') + v.replaceAll('"', '""')}"` : v;
	const lines = ['email,status,signed_up,confirmed'];
	for (const r of rows) lines.push([r.email, r.status, r.createdAt.toISOString(), r.confirmedAt?.toISOString() ?? ''].map(cell).join(','));
	return lines.join('\r\n') + '\r\n';
}

export async function removeFollower(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'followers.manage');
	requireMail();
	const { id } = parseId(input);
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const row = await deleteFollower(who.site.id, id);
		if (!row) throw notFound(m.mail_admin_error_no_follower());
		// Audited on the site's feed, with no address in it (the feed outlives the follower).
		await w.audit({ action: 'follower.remove', targetType: 'follower', targetId: row.id });
		return row;
	});
}

function parseId(input: unknown): { id: string } {
	const id = (input as { id?: unknown } | null)?.id;
	if (typeof id !== 'string' || !isUuid(id)) throw notFound(m.mail_admin_error_no_follower());
	return { id };
}

const scheduleSchema = z.object({
	weekday: z.coerce.number().int().min(1).max(7),
	hour: z.coerce.number().int().min(0).max(23)
});

export async function saveDigestSchedule(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'followers.manage');
	requireMail();
	const parsed = scheduleSchema.safeParse(input);
	if (!parsed.success) throw invalidInput({ weekday: m.mail_admin_schedule_invalid() }, m.mail_admin_schedule_invalid());
	await write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		await saveMailSetting(who.site.id, { digestWeekday: parsed.data.weekday, digestHour: parsed.data.hour });
		await w.audit({
			action: 'followers.schedule',
			targetType: 'site',
			targetId: who.site.id,
			detail: { weekday: parsed.data.weekday, hour: parsed.data.hour }
		});
	});
	return parsed.data;
}

/** This week's digest as a follower would get it now (the real template), for the admin. */
export async function previewDigest(actor: SiteActor, now = new Date()) {
	const who = allow(actor, 'followers.manage');
	requireMail();
	const events = await siteRead(who.site.id, () => listEventsStartingBetween(who.site.id, now, new Date(now.getTime() + 7 * DAY)));
	const mail = digestMail(
		who.site,
		{ id: '00000000-0000-4000-8000-000000000000', email: m.mail_admin_preview_address() },
		events,
		toLocalDateInput(now, who.site.timezone)
	);
	return { events: events.length, subject: mail.subject, text: mail.text, html: mail.html, fromName: mail.fromName };
}

// ---- The worker ----

function localWeekday(now: Date, timeZone: string): { weekday: number; hour: number; date: string } {
	const w = wallTime(now, timeZone);
	const day = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
	return { weekday: day === 0 ? 7 : day, hour: w.hour, date: toLocalDateInput(now, timeZone) };
}

export interface DigestReport {
	sites: number;
	mails: number;
}

/**
 * The `mail.digest` job (every 15 minutes): each site whose chosen weekday and hour it is now in
 * its timezone, and whose digest of today was not sent yet, gets one mail per confirmed follower
 * with the events starting in the next seven days (none: no mail). The claim of the day, the
 * notices (who was told of what) and the queued mails commit together.
 */
export async function sendWeeklyDigests(options: { now?: Date } = {}): Promise<DigestReport> {
	const now = options.now ?? new Date();
	const report: DigestReport = { sites: 0, mails: 0 };
	if (!mailEnabled()) return report;
	for (const siteId of await listSitesWithFollowers()) {
		const site = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
		if (!site || site.status !== 'active') continue;
		const local = localWeekday(now, site.timezone);
		const setting = await siteRead(siteId, () => getMailSetting(siteId));
		if (setting.digestWeekday !== local.weekday || setting.digestHour !== local.hour || setting.lastDigestOn === local.date) continue;
		const mails = await write({ siteId, actor: systemActor() }, async (w) => {
			if (!(await claimDigest(siteId, local.date))) return 0;
			const events = await listEventsStartingBetween(siteId, now, new Date(now.getTime() + 7 * DAY));
			if (events.length === 0) return 0;
			let n = 0;
			for (const f of await listConfirmedFollowers(siteId)) {
				await recordNotices(
					siteId,
					f.id,
					events.map((e) => e.id)
				);
				await queueMail(w, digestMail(site, f, events, local.date));
				n++;
			}
			return n;
		});
		report.sites++;
		report.mails += mails;
	}
	return report;
}

/** The `mail.cancellation` job: everyone told of the event hears it is cancelled. */
export async function sendCancellationMails(data: { siteId: string; eventId: string }): Promise<number> {
	if (!mailEnabled()) return 0;
	const site = await loadSiteContext(data.siteId, env().PLATFORM_DOMAIN);
	if (!site || site.status !== 'active') return 0;
	return write({ siteId: site.id, actor: systemActor() }, async (w) => {
		const e = await getEvent(site.id, data.eventId);
		if (!e || e.status !== 'cancelled') return 0;
		const told = await listFollowersToldOf(site.id, e.id);
		for (const f of told) await queueMail(w, cancellationMail(site, f, e));
		return told.length;
	});
}

/** Called by the event service when an event is cancelled (in its write). */
export async function queueCancellationNotices(w: Write, siteId: string, eventId: string): Promise<void> {
	if (mailEnabled()) await w.enqueue({ name: MAIL_CANCELLATION_JOB, data: { siteId, eventId } });
}
