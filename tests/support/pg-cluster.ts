/**
 * A private, throw-away PostgreSQL cluster for tests that stop and start the database (outages):
 * initdb into a temp folder, pg_ctl on a free port, as the `postgres` system user when the tests
 * run as root (PostgreSQL refuses to run as root). Never touches the machine's own server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function postgresBinDir(): string | null {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

export interface PrivateCluster {
	url: string;
	port: number;
	start(): void;
	stop(): void;
	/** The same without blocking this process, so requests it sends keep flowing meanwhile. */
	startAsync(): Promise<void>;
	/** `immediate` (default): like a crash or a network cut; `fast`: backends get a FATAL message first. */
	stopAsync(mode?: 'immediate' | 'fast'): Promise<void>;
	destroy(): void;
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) are not installed');
	const dir = mkdtempSync(path.join(tmpdir(), 'hub-pg-'));
	const data = path.join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
		chmodSync(dir, 0o700);
	}
	const command = (cmd: string, args: string[]): [string, string[]] => {
		const full = [path.join(bin, cmd), ...args];
		return asRoot
			? ['su', ['postgres', '-s', '/bin/sh', '-c', full.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')]]
			: [full[0]!, full.slice(1)];
	};
	const run = (cmd: string, args: string[]) => {
		const [file, argv] = command(cmd, args);
		execFileSync(file, argv, { stdio: 'pipe' });
	};
	const runAsync = async (cmd: string, args: string[]) => {
		const [file, argv] = command(cmd, args);
		await promisify(execFile)(file, argv);
	};
	run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
	const port = await freePort();
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
	const cluster: PrivateCluster = {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
		// "immediate": like a crash or a network cut, connections drop at once.
		stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
		startAsync: () => runAsync('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
		stopAsync: (mode = 'immediate') => runAsync('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']),
		destroy: () => {
			try {
				cluster.stop();
			} catch {
				// already stopped
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
	cluster.start();
	return cluster;
}
