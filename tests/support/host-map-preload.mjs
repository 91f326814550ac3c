// Test-only preload for the built server (`node --import <this> build/index.js`): outgoing
// `fetch` connections to the hostnames listed in the JSON file named by HOST_MAP_FILE
// (`{ "alpha.example": 41234, … }`) go to 127.0.0.1 on that port instead. Only the TCP
// connection moves: the URL, the Host header and everything signed over them stay as they are,
// so two hub servers on loopback see each other under their public names (ids without a port).
// The file is read on each connection, so a test can write it after every server has its port.
// Without the variable this does nothing.
import { readFileSync } from 'node:fs';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';

const file = process.env.HOST_MAP_FILE;

if (file) {
	const connect = buildConnector({});
	const ports = () => {
		try {
			return JSON.parse(readFileSync(file, 'utf8'));
		} catch {
			return {};
		}
	};
	setGlobalDispatcher(
		new Agent({
			connect(options, callback) {
				const port = ports()[options.hostname];
				if (!port) return connect(options, callback);
				return connect(
					{ ...options, hostname: '127.0.0.1', host: `127.0.0.1:${port}`, port: String(port), servername: undefined },
					callback
				);
			}
		})
	);
}
