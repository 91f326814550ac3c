/**
 * The SMTP connection (nodemailer), built once from SMTP_URL. Unset: mail is off, and every
 * e-mail feature is hidden (`mailEnabled()`); the embedded demo works without.
 */
import { createTransport } from 'nodemailer';
import { env } from '../env';

export interface MailTransport {
	sendMail(message: {
		from: { name: string; address: string };
		to: string;
		subject: string;
		text: string;
		html: string;
		messageId: string;
		headers?: Record<string, string>;
	}): Promise<unknown>;
}

let transport: MailTransport | undefined;
let override: { url: string; from: string } | undefined;

/** Tests: point the mail at another SMTP server (null: back to the environment). */
export function useMailServer(settings: { url: string; from: string } | null): void {
	override = settings ?? undefined;
	transport = undefined;
}

function settings(): { url: string; from: string } | null {
	if (override) return override;
	const e = env();
	return e.SMTP_URL && e.MAIL_FROM ? { url: e.SMTP_URL, from: e.MAIL_FROM } : null;
}

export function mailEnabled(): boolean {
	return settings() !== null;
}

export function mailFrom(): string {
	const s = settings();
	if (!s) throw new Error('Mail is not configured (SMTP_URL, MAIL_FROM)');
	return s.from;
}

export function mailTransport(): MailTransport {
	const s = settings();
	if (!s) throw new Error('Mail is not configured (SMTP_URL, MAIL_FROM)');
	// Short timeouts: a mail server that hangs fails the job, which pg-boss retries later.
	transport ??= createTransport(
		s.url + (s.url.includes('?') ? '&' : '?') + 'connectionTimeout=10000&greetingTimeout=10000&socketTimeout=30000'
	);
	return transport;
}
