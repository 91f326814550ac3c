/**
 * A real SMTP server on loopback (npm `smtp-server`), reading what arrives with `mailparser`.
 * `stop()` closes it (clients get "connection refused", as with a mail server that is down) and
 * `start()` opens it again on the same port.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface TestSmtp {
	url: string;
	port: number;
	received: ParsedMail[];
	/** Envelope recipients of each message, in arrival order. */
	to(address: string): ParsedMail[];
	listening(): boolean;
	stop(): Promise<void>;
	start(): Promise<void>;
	close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
	const received: ParsedMail[] = [];
	let server: SMTPServer | undefined;
	let port = 0;
	const open = () =>
		new Promise<void>((resolve, reject) => {
			const s = new SMTPServer({
				authOptional: true,
				disabledCommands: ['STARTTLS'],
				logger: false,
				onData(stream, _session, callback) {
					simpleParser(stream)
						.then((mail) => {
							received.push(mail);
							callback();
						})
						.catch(callback);
				}
			});
			s.on('error', () => {});
			s.listen(port, '127.0.0.1', () => {
				port = (s.server.address() as AddressInfo).port;
				server = s;
				resolve();
			});
			s.server.once('error', reject);
		});
	const stop = () =>
		new Promise<void>((resolve) => {
			const s = server;
			server = undefined;
			if (!s) return resolve();
			s.close(() => resolve());
		});
	await open();
	const addresses = (mail: ParsedMail) =>
		(Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
	return {
		get url() {
			return `smtp://127.0.0.1:${port}`;
		},
		get port() {
			return port;
		},
		received,
		listening: () => server !== undefined,
		to: (address) => received.filter((mail) => addresses(mail).includes(address)),
		stop,
		start: open,
		close: stop
	};
}
