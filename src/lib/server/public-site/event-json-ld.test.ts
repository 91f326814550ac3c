import { describe, expect, it } from 'vitest';
import { postalAddress } from './event-json-ld';

describe('postalAddress', () => {
	it('splits street, postal code and town when the address reads that way', () => {
		expect(postalAddress('Weserstraße 7, 12047 Berlin')).toEqual({
			'@type': 'PostalAddress',
			streetAddress: 'Weserstraße 7',
			postalCode: '12047',
			addressLocality: 'Berlin'
		});
		expect(postalAddress('Hof 7, back yard\nWeserstraße 7, 12047 Berlin')).toMatchObject({
			streetAddress: 'Hof 7, back yard, Weserstraße 7'
		});
		expect(postalAddress('12 Main St, Springfield 62704')).toMatchObject({ postalCode: '62704', addressLocality: 'Springfield' });
		expect(postalAddress('1 High St, London SW1A 1AA')).toMatchObject({ postalCode: 'SW1A 1AA', addressLocality: 'London' });
	});

	it('keeps anything else as one street address', () => {
		for (const a of ['Weserstraße 7', 'Behind the station, Kreuzberg', 'Rooftop']) {
			expect(postalAddress(a)).toEqual({ '@type': 'PostalAddress', streetAddress: a });
		}
	});
});
