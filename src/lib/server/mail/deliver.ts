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
import { sentMail } from '../db/schema';
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
}

export function messageIdOf(key: string): string {
	return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${env().PLATFORM_DOMAIN}>`;
}

export async function wasSent(key: string): Promise<boolean> {
	const [row] = await db().select({ key: sentMail.messageKey }).from(sentMail).where(eq(sentMail.messageKey, key)).limit(1);
	return !!row;
}

export async function deliverMail(mail: OutgoingMail): Promise<{ sent: boolean; messageId: string }> {
	const messageId = messageIdOf(mail.key);
	if (await wasSent(mail.key)) return { sent: false, messageId };
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
