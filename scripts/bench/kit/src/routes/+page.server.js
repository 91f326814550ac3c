import { error } from '@sveltejs/kit';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL, { max: 10, onnotice: () => {} });
/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();

export const csr = false;

/** @type {import('./$types').PageServerLoad} */
export async function load({ url }) {
	const [site] = await sql`
		select s.id, s.name, s.tagline, s.timezone from site_domain d join site s on s.id = d.site_id
		where d.hostname = ${url.hostname} and d.verified_at is not null`;
	if (!site) error(404, 'No site here');
	const [[home], events] = await Promise.all([
		sql`select hero_title, intro from home where site_id = ${site.id}`,
		sql`select slug, title, description, starts_at, ends_at, venue_name from event
			where site_id = ${site.id} and status = 'published' and coalesce(ends_at, starts_at) > now()
			order by starts_at limit 7`
	]);
	let format = formats.get(site.timezone);
	if (!format)
		formats.set(
			site.timezone,
			(format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: site.timezone }))
		);
	return {
		site: { name: site.name, tagline: site.tagline },
		home: { title: home?.hero_title ?? site.name, intro: home?.intro ?? '' },
		events: events.map((e) => ({
			slug: e.slug,
			title: e.title,
			description: e.description,
			venue: e.venue_name,
			when: format.format(e.starts_at)
		}))
	};
}
