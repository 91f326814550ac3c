/**
 * Hand one rendered mail to the SMTP server, at most once per message key: the `mail.send` job
 * looks the key up in `sent_mail`, sends, then records it. A job retried after a failure (server
 * down, refused) finds no row and sends; one retried after a success finds the row and stops. The
 * Message-ID comes from the key, so even a send repeated after a crash between "accepted" and
 * "recorded" carries the same Message-ID and mail clients show it once.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db } from '../db';
import { sentMail, site } from '../db/schema';
import { env } from '../env';
import { mailFrom, mailTransport } from './transport';

export interface OutgoingMail {
	/** Unique per message: `confirm:<follower>:<n>`, `digest:<follower>:<date>`, `cancel:<event>:<follower>` … */
	key: string;
	siteId: string | null;
	to: string;
	/** Sender name (the site's name); the address is MAIL_FROM. */
	fromName: string;
	subject: string;
	text: string;
	html: string;
	headers?: Record<string, string>;
	/** Mail to a site's followers (confirmations, digests, cancellations): never sent while the site is suspended. */
	audience?: 'follower';
}

export function messageIdOf(key: string): string {
	return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${env().PLATFORM_DOMAIN}>`;
}

export async function wasSent(key: string): Promise<boolean> {
	const [row] = await db().select({ key: sentMail.messageKey }).from(sentMail).where(eq(sentMail.messageKey, key)).limit(1);
	return !!row;
}

/** A suspended site is quiet towards its public: its follower mail is dropped, not held back. */
async function siteSuspended(siteId: string): Promise<boolean> {
	const [row] = await db().select({ status: site.status, deletedAt: site.deletedAt }).from(site).where(eq(site.id, siteId)).limit(1);
	return !row || row.status !== 'active' || row.deletedAt !== null;
}

export async function deliverMail(mail: OutgoingMail): Promise<{ sent: boolean; messageId: string; dropped?: string }> {
	const messageId = messageIdOf(mail.key);
	if (await wasSent(mail.key)) return { sent: false, messageId };
	if (mail.audience === 'follower' && mail.siteId && (await siteSuspended(mail.siteId)))
		return { sent: false, messageId, dropped: 'site gone or suspended' };
	await mailTransport().sendMail({
		from: { name: mail.fromName, address: mailFrom() },
		to: mail.to,
		subject: mail.subject,
		text: mail.text,
		html: mail.html,
		messageId,
		headers: mail.headers
	});
	await db().insert(sentMail).values({ messageKey: mail.key, siteId: mail.siteId, messageId }).onConflictDoNothing();
	return { sent: true, messageId };
}
