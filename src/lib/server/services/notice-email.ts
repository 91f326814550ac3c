/**
 * A person's e-mail for notices (domain alerts to owners…). Discord gives its verified address
 * at sign-in (auth/discord-email.ts); someone whose Discord account has none, or who wants
 * notices elsewhere, sets an address here. It is used only after they open the link sent to it
 * while signed in as themselves: the link is single-use, expires in a day, is stored hashed, and
 * a mail scanner that follows it while signed out confirms nothing. The placeholder
 * `user.email` is never an address (queries/members.ts listOwnerEmails).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidInput, notFound } from '../errors';
import { transaction } from '../db';
import type { SiteContext } from '../hosts/site-context';
import { m } from '../../paraglide/messages';
import { mailEnabled } from '../mail/transport';
import { renderMail, siteUrl } from '../mail/render';
import { hitRateLimit } from '../queries/followers';
import { consumePendingNoticeEmail, getNoticeAddresses, savePendingNoticeEmail, setNoticeEmail } from '../queries/users';
import { auditActor, type Person } from './actor';
import { write } from './write';

const HOUR = 3_600_000;
const LINK_TTL_MS = 24 * HOUR;
/** Links one person may ask for per hour (each is a mail to an address they typed). */
export const NOTICE_LINKS_PER_HOUR = 5;
const PREFIX = 'notice-email:';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type Actor = { user: Person | null };

function person(actor: Actor): Person {
	if (!actor.user) throw new AppError('unauthorized', m.admin_error_sign_in());
	return actor.user;
}

const addressSchema = () =>
	z.object({
		email: z
			.string({ message: m.admin_notice_invalid() })
			.trim()
			.toLowerCase()
			.max(254, m.admin_notice_invalid())
			.pipe(z.email(m.admin_notice_invalid()))
			// A placeholder is not an address anyone reads.
			.refine((e) => !e.endsWith('.invalid'), m.admin_notice_invalid())
	});

export interface NoticeEmailView {
	mail: boolean;
	/** Where notices go now, and why: their own confirmed address, Discord's, or nowhere. */
	current: { email: string; source: 'own' | 'discord' } | null;
	discordEmail: string | null;
}

export async function noticeEmailView(actor: Actor): Promise<NoticeEmailView> {
	const who = person(actor);
	const row = await transaction(() => getNoticeAddresses(who.id));
	if (!row) throw new AppError('unauthorized', m.admin_error_sign_in());
	const current = row.noticeEmail
		? { email: row.noticeEmail, source: 'own' as const }
		: row.discordEmail
			? { email: row.discordEmail, source: 'discord' as const }
			: null;
	return { mail: mailEnabled(), current, discordEmail: row.discordEmail };
}

/** Send the confirmation link to `email` (in the person's language, the site's colours). */
export async function requestNoticeEmail(actor: Actor, site: SiteContext, input: unknown, now = new Date()): Promise<{ email: string }> {
	const who = person(actor);
	if (!mailEnabled()) throw notFound();
	const parsed = addressSchema().safeParse(input);
	if (!parsed.success) throw invalidInput({ email: m.admin_notice_invalid() }, m.admin_notice_invalid());
	const email = parsed.data.email;
	const tooMany = () => new AppError('rate_limited', m.admin_notice_too_many(), undefined, { email: m.admin_notice_too_many() });
	// Counted in its own transaction: refused attempts count too.
	await transaction(async () => {
		if ((await hitRateLimit(`notice-email:${who.id}`, HOUR, now.getTime())) > NOTICE_LINKS_PER_HOUR) throw tooMany();
	});
	const token = randomBytes(32).toString('base64url');
	await write({ siteId: site.id, actor: auditActor(actor) }, async (w) => {
		await savePendingNoticeEmail(PREFIX + sha256(token), JSON.stringify({ userId: who.id, email }), new Date(now.getTime() + LINK_TTL_MS));
		const url = siteUrl(site.primaryHost, `/account/email/confirm/${token}`);
		const body = renderMail({
			siteName: site.name,
			theme: site.theme,
			heading: m.admin_notice_mail_subject(),
			blocks: [
				{ kind: 'text', text: m.admin_notice_mail_body({ name: who.name }) },
				{ kind: 'button', label: m.admin_notice_mail_button(), url },
				{ kind: 'text', text: m.admin_notice_mail_ignore() }
			],
			footer: [m.admin_notice_mail_footer({ email })]
		});
		await w.enqueue({
			name: 'mail.send',
			data: {
				key: `notice-confirm:${who.id}:${sha256(token).slice(0, 16)}`,
				siteId: site.id,
				to: email,
				fromName: site.name,
				subject: m.admin_notice_mail_subject(),
				...body
			}
		});
	});
	return { email };
}

/** The link from the mail, opened while signed in: the address is used from now on (null: link unknown, used, expired or someone else's). */
export async function confirmNoticeEmail(actor: Actor, token: unknown, now = new Date()): Promise<{ email: string } | null> {
	const who = person(actor);
	if (typeof token !== 'string' || !TOKEN.test(token)) return null;
	return write({ siteId: null, actor: auditActor(actor) }, async () => {
		const value = await consumePendingNoticeEmail(PREFIX + sha256(token), now);
		if (!value) return null;
		const pending = z.object({ userId: z.string(), email: z.string() }).safeParse(JSON.parse(value));
		// Another person's link is spent but changes nothing (the address owner can ask again).
		if (!pending.success || pending.data.userId !== who.id) return null;
		await setNoticeEmail(who.id, pending.data.email);
		return { email: pending.data.email };
	});
}

/** Stop using the own address (Discord's verified one, if any, takes over). */
export async function removeNoticeEmail(actor: Actor): Promise<void> {
	const who = person(actor);
	await write({ siteId: null, actor: auditActor(actor) }, () => setNoticeEmail(who.id, null));
}
