import { describe, expect, it } from 'vitest';
import * as img from '../../../../tests/support/images';
import { sniff } from './sniff';

describe('sniff', () => {
	it.each([
		['jpeg', () => img.solid(8, 8).jpeg().toBuffer()],
		['png', () => img.solid(8, 8).png().toBuffer()],
		['webp', () => img.solid(8, 8).webp().toBuffer()],
		['gif', () => img.solid(8, 8).gif().toBuffer()],
		['avif', () => img.solid(8, 8).avif().toBuffer()],
		['tiff', () => img.solid(8, 8).tiff().toBuffer()]
	])('recognises %s from its bytes', async (type, make) => {
		expect(sniff(await make())).toBe(type);
	});

	it('recognises HEIC by its ftyp brand', () => {
		expect(sniff(img.heicHeader())).toBe('heic');
	});

	it.each([
		['<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
		['\uFEFF  <?xml version="1.0"?><!-- made by hand --><svg width="1"/>'],
		['<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg>']
	])('recognises SVG text %#', (text) => {
		expect(sniff(Buffer.from(text))).toBe('svg');
	});

	it.each([
		['plain text', Buffer.from('hello, this is not a picture')],
		['html', Buffer.from('<!doctype html><html><body>hi</body></html>')],
		['pdf', Buffer.from('%PDF-1.7\n')],
		['zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])],
		['empty', Buffer.alloc(0)],
		['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
		['RIFF but not WebP (WAV)', Buffer.from('RIFF\0\0\0\0WAVEfmt ')]
	])('calls %s unknown', (_name, bytes) => {
		expect(sniff(bytes)).toBe('unknown');
	});
});
