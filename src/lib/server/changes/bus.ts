/** In-process fan-out of change messages to every cache that subscribes (host resolver, render cache). */
import type { ChangeMessage } from './messages';

const subscribers = new Set<(message: ChangeMessage) => void>();

export function onChange(handler: (message: ChangeMessage) => void): () => void {
	subscribers.add(handler);
	return () => subscribers.delete(handler);
}

export function dispatchChange(message: ChangeMessage): void {
	for (const handler of subscribers) handler(message);
}
