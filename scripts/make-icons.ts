/**
 * Writes the platform's default icons in static/ from static/icon.svg: favicon.ico (PNG images
 * inside an ICO container, which every browser reads) and apple-touch-icon.png (180 px, opaque,
 * full-bleed: iOS rounds the corners itself) and og-card.png, the hub's 1200×630 sharing card. Run after changing icon.svg: `npx tsx scripts/make-icons.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';

const svg = await readFile('static/icon.svg', 'utf8');

async function png(size: number, source = svg): Promise<Buffer> {
	return sharp(Buffer.from(source), { density: Math.ceil((72 * size) / 64) })
		.resize(size, size)
		.png({ compressionLevel: 9 })
		.toBuffer();
}

/** ICO: a 6-byte header, one 16-byte directory entry per image, then the PNG bytes. */
function ico(images: { size: number; data: Buffer }[]): Buffer {
	const header = Buffer.alloc(6);
	header.writeUInt16LE(0, 0);
	header.writeUInt16LE(1, 2);
	header.writeUInt16LE(images.length, 4);
	let offset = 6 + 16 * images.length;
	const entries = images.map(({ size, data }) => {
		const entry = Buffer.alloc(16);
		entry.writeUInt8(size >= 256 ? 0 : size, 0);
		entry.writeUInt8(size >= 256 ? 0 : size, 1);
		entry.writeUInt16LE(1, 4); // colour planes
		entry.writeUInt16LE(32, 6); // bits per pixel
		entry.writeUInt32LE(data.length, 8);
		entry.writeUInt32LE(offset, 12);
		offset += data.length;
		return entry;
	});
	return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

const sizes = [16, 32, 48];
await writeFile('static/favicon.ico', ico(await Promise.all(sizes.map(async (size) => ({ size, data: await png(size) })))));
await writeFile('static/apple-touch-icon.png', await png(180, svg.replace('rx="14" ', '')));
const mark = svg
	.replace(/^<svg[^>]*>/, '')
	.replace('</svg>', '')
	.replace(/<rect width="64"[^>]*\/>/, '');
const card = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#1d1830"/>
<g transform="translate(110 155) scale(5)">${mark}</g>
<text x="490" y="300" fill="#ffffff" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="700" font-size="76">Collective Hub</text>
<text x="490" y="380" fill="#f5c518" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="36">Websites for collectives</text>
</svg>`;
await writeFile('static/og-card.png', await sharp(Buffer.from(card)).png({ compressionLevel: 9 }).toBuffer());
console.log('static/favicon.ico, static/apple-touch-icon.png, static/og-card.png written');
