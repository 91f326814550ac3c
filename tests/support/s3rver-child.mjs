// Runs s3rver in a process of its own. Started by tests/support/s3.ts with
// --openssl-legacy-provider: s3rver encrypts list continuation tokens with DES, which OpenSSL 3
// only offers through its legacy provider. Prints {"port":N} once listening; exits when its
// parent closes stdin (so a crashed test run leaves no server behind) or on SIGTERM.
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');

let closing = false;
const stop = async () => {
	if (closing) return;
	closing = true;
	await server.close().catch(() => {});
	process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
