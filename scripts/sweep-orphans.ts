/**
 * List media objects without an asset row and asset rows without their objects, per site;
 * with --delete, remove them (rows are removed with their uses cleared: logo, background,
 * event image). Uses the same environment as the server (DATABASE_URL, MEDIA_DRIVER, S3_*...).
 *
 *   npx tsx scripts/sweep-orphans.ts [--delete] [--site <slug>] [--min-age <minutes>]
 *
 * Objects younger than --min-age (default 60 minutes) are left alone: an upload in progress
 * writes its objects before its row.
 */
import { parseArgs } from 'node:util';
import { env, EnvError } from '../src/lib/server/env';
import { closeDatabase, openDatabase } from '../src/lib/server/db';
import { sweepOrphans } from '../src/lib/server/media/sweep';

const usage = 'usage: tsx scripts/sweep-orphans.ts [--delete] [--site <slug>] [--min-age <minutes>]';

function kb(bytes: number): string {
	return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

try {
	const { values } = parseArgs({
		options: {
			delete: { type: 'boolean', default: false },
			site: { type: 'string' },
			'min-age': { type: 'string', default: '60' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(usage);
		process.exit(0);
	}
	const minAge = Number(values['min-age']);
	if (!Number.isFinite(minAge) || minAge < 0) throw new Error(`--min-age must be a number of minutes\n${usage}`);
	const e = env();
	await openDatabase();
	const report = await sweepOrphans({ site: values.site, remove: values.delete, minAgeMs: minAge * 60_000 });
	console.log(`media driver: ${e.MEDIA_DRIVER}${values.site ? `, site ${values.site}` : ', all sites'}`);
	if (!report.sites.length) console.log('no orphans: every object has a row and every row has its objects');
	for (const site of report.sites.sort((a, b) => a.slug.localeCompare(b.slug))) {
		const label = site.siteId ? `site ${site.slug}` : `${site.slug} (no such site)`;
		console.log(
			`${label}: ${site.objectsWithoutRows.length} object(s) without rows, ${site.rowsWithoutObjects.length} row(s) without objects`
		);
		for (const o of site.objectsWithoutRows) console.log(`  object ${o.key} (${kb(o.size)}, ${o.lastModified.toISOString()})`);
		for (const r of site.rowsWithoutObjects) console.log(`  row ${r.assetId}: missing ${r.missing.join(', ')}`);
	}
	if (report.tooYoung) console.log(`${report.tooYoung} object(s) without rows are younger than ${minAge} min: left alone`);
	if (report.staleTempFiles) console.log(`${report.staleTempFiles} stale temporary file(s) from interrupted writes`);
	if (values.delete) console.log(`removed ${report.removedObjects} object(s) and ${report.removedRows} row(s)`);
	else if (report.sites.length || report.staleTempFiles) console.log('run again with --delete to remove them');
	await closeDatabase();
} catch (error) {
	console.error(error instanceof EnvError ? error.message : error instanceof Error ? error.message : error);
	process.exit(1);
}
