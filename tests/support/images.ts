/**
 * Test images made on the spot with sharp (no binary fixtures in the repository), plus a few
 * hand-built hostile files.
 */
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

type Rgb = { r: number; g: number; b: number };

/** A noisy image (so encoders have something to chew on) of the given size. */
export function noisy(width: number, height: number, background: Rgb = { r: 120, g: 90, b: 60 }) {
	return sharp({ create: { width, height, channels: 3, background, noise: { type: 'gaussian', mean: 120, sigma: 40 } } });
}

export function solid(
	width: number,
	height: number,
	background: Rgb | (Rgb & { alpha: number }) = { r: 200, g: 40, b: 40 },
	channels: 3 | 4 = 3
) {
	return sharp({ create: { width, height, channels, background } });
}

export const jpeg = (width: number, height: number) => noisy(width, height).jpeg({ quality: 85 }).toBuffer();
export const png = (width: number, height: number) => solid(width, height, { r: 10, g: 120, b: 200, alpha: 0.5 }, 4).png().toBuffer();

/** A three-frame animated GIF: red, green, blue. */
export async function animatedGif(width = 64, height = 48): Promise<Buffer> {
	const frames = await Promise.all(
		[
			{ r: 255, g: 0, b: 0 },
			{ r: 0, g: 255, b: 0 },
			{ r: 0, g: 0, b: 255 }
		].map((c) => solid(width, height, c).png().toBuffer())
	);
	return sharp(frames, { join: { animated: true } })
		.gif({ delay: [100, 100, 100], loop: 0 })
		.toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG header claiming `width` × `height` grey pixels, followed by
 * one compressed block of zero rows (a few KB that would inflate to gigabytes).
 */
export function pngBomb(width = 100_000, height = 100_000): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // greyscale
	const rows = deflateSync(Buffer.alloc((width + 1) * 64), { level: 9 });
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', rows),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

/**
 * The start of an iPhone HEIC file (ftyp box with the `heic` brand) followed by junk. Only used
 * when sharp cannot encode HEVC itself, i.e. when its libheif has no HEVC codec and a real HEIC
 * photo would fail to decode the same way.
 */
export function heicHeader(): Buffer {
	const ftyp = Buffer.concat([
		Buffer.from([0, 0, 0, 24]),
		Buffer.from('ftypheic', 'latin1'),
		Buffer.from([0, 0, 0, 0]),
		Buffer.from('mif1heic', 'latin1')
	]);
	return Buffer.concat([ftyp, Buffer.alloc(2048, 7)]);
}

export async function canEncodeHeic(): Promise<boolean> {
	try {
		await solid(16, 16).heif({ compression: 'hevc' }).toBuffer();
		return true;
	} catch {
		return false;
	}
}

export const svgWithScript = Buffer.from(
	'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100" fill="red"/></svg>'
);

export const file = (data: Uint8Array | string, name: string, type = '') => new File([data as BlobPart], name, { type });
