/**
 * What a file really is, from its first bytes (the name and the browser's declared type are
 * whatever the uploader says). Only the formats the pipeline accepts, plus the ones worth a
 * specific refusal message, are told apart; everything else is `unknown`.
 */
export type SniffedType = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'svg' | 'tiff' | 'bmp' | 'unknown';

/** Bytes `sniff` needs to decide (the ISO-BMFF brand list can be long; SVG may start with a comment). */
export const SNIFF_BYTES = 1024;

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));

const startsWith = (b: Uint8Array, bytes: number[]) => b.length >= bytes.length && bytes.every((v, i) => b[i] === v);

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);

/** ISO base media file: `ftyp` box with a major brand and compatible brands. */
function isoBrand(b: Uint8Array): 'avif' | 'heic' | null {
	if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return null;
	const boxSize = Math.min(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, b.length);
	const brands = [ascii(b, 8, 12)];
	for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(b, i, i + 4));
	if (brands.some((x) => x === 'avif' || x === 'avis')) return 'avif';
	if (brands.some((x) => HEIF_BRANDS.has(x))) return 'heic';
	return null;
}

function looksLikeSvg(b: Uint8Array): boolean {
	const text = new TextDecoder('utf-8', { fatal: false })
		.decode(b.subarray(0, SNIFF_BYTES))
		.replace(/^\uFEFF/, '')
		.trimStart();
	if (!text.startsWith('<')) return false;
	return /<svg[\s>]/i.test(text);
}

export function sniff(head: Uint8Array): SniffedType {
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return 'gif';
	if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
	const iso = isoBrand(head);
	if (iso) return iso;
	if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
	if (startsWith(head, [0x42, 0x4d]) && head.length >= 14 && head.subarray(6, 10).every((v) => v === 0)) return 'bmp';
	if (looksLikeSvg(head)) return 'svg';
	return 'unknown';
}
