import { describe, expect, it } from 'vitest';
import { aroundSlot } from './message-slot';

describe('aroundSlot', () => {
	it('cuts a sentence around its slot, wherever the language puts it', () => {
		expect(aroundSlot((host) => `Open admin on ${host}`)).toEqual(['Open admin on ', '']);
		expect(aroundSlot((host) => `Verwaltung auf ${host} öffnen`)).toEqual(['Verwaltung auf ', ' öffnen']);
		expect(aroundSlot(() => 'no slot')).toEqual(['no slot', '']);
	});
});
