/**
 * Demo content for the embedded default: three collectives with a home page, links, upcoming and
 * past events and a page, so `npm run demo` on a bare machine shows a working multi-site hub.
 * Created once, into an empty database only. Event dates are relative to the day of seeding.
 * Also the demo people (seed/identities.ts) with their memberships, for the dev sign-in.
 */
import { randomUUID } from 'node:crypto';
import { and, count, eq, inArray } from 'drizzle-orm';
import { account, site, user } from '../db/schema';
import { setMembership } from '../queries/members';
import { DISCORD_PROVIDER, placeholderEmail } from '../auth/accounts';
import { DEMO_IDENTITIES } from './identities';
import { createSite, type NewSite } from '../queries/sites';
import { saveHome } from '../queries/home';
import { addNavLink, addSocialLink } from '../queries/links';
import { createPage } from '../queries/pages';
import { createEvent, type EventInput } from '../queries/events';
import { instantFromWallTime, wallTime } from '../../time';
import { db, siteRead } from '../db';
import { listOccurrences } from '../queries/events';
import { loadSiteContext } from '../hosts/site-context';
import { savePlace } from '../services/places';
import { saveTag } from '../services/tags';
import { saveSeries } from '../services/series';
import { saveEvent, setEventCancelled } from '../services/events';

interface DemoEvent {
	slug: string;
	title: string;
	description: string;
	/** Days from today (negative: past). */
	day: number;
	at: [number, number];
	hours?: number;
	allDay?: boolean;
	days?: number;
	venueName: string;
	venueAddress: string;
	ticketUrl?: string;
	status?: EventInput['status'];
}

interface DemoSite extends NewSite {
	home: { heroTitle: string; heroText: string; intro: string };
	nav: { label: string; url: string }[];
	social: { platform: string; url: string }[];
	pages: { slug: string; title: string; body: string; showInNav?: boolean; published?: boolean }[];
	events: DemoEvent[];
}

export const DEMO_SITES: DemoSite[] = [
	{
		slug: 'bad-movies-theater',
		name: 'Bad Movies Theater',
		tagline: 'Terrible films, excellent company.',
		description: 'A volunteer film club screening the worst movies ever made, every other Friday, with popcorn and heckling.',
		timezone: 'America/New_York',
		theme: { mode: 'dark', accent: '#f5c518', background: '#16131c', bodyFont: 'system', headingFont: 'didone' },
		home: {
			heroTitle: 'So bad it’s good',
			heroText: 'Community screenings of cinematic disasters since 2014.',
			intro:
				'We are a **volunteer-run film club**. Every other Friday we project one gloriously awful movie onto a bedsheet, hand out kazoos and talk back to the screen.\n\n- Entry is pay-what-you-can\n- Popcorn is always free\n- Heckling is encouraged, cruelty is not\n\nRead our [code of conduct](/code-of-conduct) before your first night.'
		},
		nav: [
			{ label: 'Events', url: '/events' },
			{ label: 'About', url: '/about' }
		],
		social: [
			{ platform: 'instagram', url: 'https://instagram.com/badmoviestheater' },
			{ platform: 'mastodon', url: 'https://mastodon.social/@badmovies' },
			{ platform: 'discord', url: 'https://discord.gg/badmovies' }
		],
		pages: [
			{
				slug: 'about',
				title: 'About the club',
				body: 'Bad Movies Theater started in a basement with twelve folding chairs and a copy of *Troll 2*. Today we fill the back room of the Lyric every other Friday.\n\n## Who runs it\n\nA rotating crew of volunteers. Want to pick a film? Come say hi after a screening.',
				showInNav: false
			},
			{
				slug: 'code-of-conduct',
				title: 'Code of conduct',
				body: 'Laugh at the movie, never at each other. Harassment of any kind gets you shown the door, no refunds, no second chances.',
				showInNav: true
			}
		],
		events: [
			{
				slug: 'troll-2-singalong',
				title: 'Troll 2: the sing-along',
				description: 'Our annual tradition. Subtitles on, lungs out. *Nilbog* costumes earn a free soda.',
				day: 3,
				at: [19, 30],
				hours: 2.5,
				venueName: 'The Lyric, back room',
				venueAddress: '114 Bleecker St, New York, NY',
				ticketUrl: 'https://tickets.example/troll2'
			},
			{
				slug: 'the-room-night',
				title: 'The Room — 25th anniversary',
				description: 'Spoons provided. Please do not throw footballs indoors; we asked nicely last time.',
				day: 17,
				at: [20, 0],
				hours: 2,
				venueName: 'The Lyric, back room',
				venueAddress: '114 Bleecker St, New York, NY'
			},
			{
				slug: 'b-movie-marathon',
				title: 'Sci-fi B-movie marathon',
				description: 'Twelve hours, six films, one very tired projectionist. Bring a pillow.',
				day: 31,
				at: [12, 0],
				hours: 12,
				venueName: 'Community Hall',
				venueAddress: '22 Orchard St, New York, NY'
			},
			{
				slug: 'plan-9-rooftop',
				title: 'Plan 9 on the roof',
				description: 'Cancelled because of the storm forecast; we will reschedule.',
				day: 10,
				at: [21, 0],
				hours: 2,
				venueName: 'Rooftop at 5th',
				venueAddress: '500 5th Ave, New York, NY',
				status: 'cancelled'
			},
			{
				slug: 'birdemic-night',
				title: 'Birdemic: Shock and Terror',
				description: 'The eagles have landed (badly).',
				day: -12,
				at: [19, 30],
				hours: 2,
				venueName: 'The Lyric, back room',
				venueAddress: '114 Bleecker St, New York, NY'
			},
			{
				slug: 'manos-hands-of-fate',
				title: 'Manos: The Hands of Fate',
				description: 'Torgo says hi.',
				day: -26,
				at: [19, 30],
				hours: 2,
				venueName: 'The Lyric, back room',
				venueAddress: '114 Bleecker St, New York, NY'
			},
			{
				slug: 'secret-draft-screening',
				title: 'Secret screening (draft)',
				description: 'Not announced yet.',
				day: 45,
				at: [20, 0],
				hours: 2,
				venueName: 'TBA',
				venueAddress: '',
				status: 'draft'
			}
		]
	},
	{
		slug: 'paper-cuts',
		name: 'Paper Cuts Zine Collective',
		tagline: 'Photocopied, stapled, shared.',
		description: 'A zine library and monthly make-night in East London. Bring scissors, leave with a zine.',
		timezone: 'Europe/London',
		theme: { mode: 'light', accent: '#d6336c', background: '#fff8ec', bodyFont: 'serif', headingFont: 'mono' },
		home: {
			heroTitle: 'Make a zine with us',
			heroText: 'Free monthly make-nights, a lending library of 2,000 zines, and a photocopier that mostly works.',
			intro:
				'Paper Cuts is an open collective of writers, artists and people who just like glue sticks. No experience needed: we have templates, scrap paper and tea.\n\nOur library is open during every event. Borrow up to three zines at a time.'
		},
		nav: [
			{ label: 'Events', url: '/events' },
			{ label: 'Library', url: '/library' }
		],
		social: [
			{ platform: 'instagram', url: 'https://instagram.com/papercutszines' },
			{ platform: 'bluesky', url: 'https://bsky.app/profile/papercuts.example' }
		],
		pages: [
			{
				slug: 'library',
				title: 'The zine library',
				body: 'Over two thousand zines, sorted by mood rather than subject. Donations welcome at any make-night.',
				showInNav: false
			},
			{ slug: 'draft-page', title: 'Unfinished page', body: 'Not ready yet.', published: false }
		],
		events: [
			{
				slug: 'make-night',
				title: 'Monthly make-night',
				description: 'Cut, paste, staple, repeat. Tea and biscuits provided.',
				day: 5,
				at: [18, 30],
				hours: 3,
				venueName: 'The Old Library',
				venueAddress: '12 Mare St, London E8'
			},
			{
				slug: 'zine-fair',
				title: 'East London Zine Fair',
				description: 'Forty tables of independent publishers over two days.',
				day: 24,
				at: [0, 0],
				allDay: true,
				days: 2,
				venueName: 'Hackney Round Chapel',
				venueAddress: '1d Glenarm Rd, London E5'
			},
			{
				slug: 'risograph-workshop',
				title: 'Risograph printing workshop',
				description: 'Learn two-colour riso printing. Limited to 10 people.',
				day: 12,
				at: [14, 0],
				hours: 4,
				venueName: 'Print Club',
				venueAddress: '4 Miller Ave, London E8',
				ticketUrl: 'https://tickets.example/riso'
			},
			{
				slug: 'spring-swap',
				title: 'Zine swap',
				description: 'Bring one, take one.',
				day: -20,
				at: [15, 0],
				hours: 3,
				venueName: 'The Old Library',
				venueAddress: '12 Mare St, London E8'
			}
		]
	},
	{
		slug: 'night-market',
		name: 'Night Market Sessions',
		tagline: 'Essen, Musik und Handgemachtes nach Einbruch der Dunkelheit.',
		description: 'Ein monatlicher Nachtmarkt aus der Nachbarschaft in Berlin-Neukölln, mit Essensständen, DJs und lokalem Kunsthandwerk.',
		timezone: 'Europe/Berlin',
		// The German demo: the public site, its dates, feed and calendar in German.
		locale: 'de',
		theme: { mode: 'light', accent: '#0b7a75', background: '#f4f7f5', bodyFont: 'humanist', headingFont: 'rounded' },
		home: {
			heroTitle: 'Wir sehen uns im Dunkeln',
			heroText: 'Zwanzig Stände, zwei DJs, ein Hinterhof – jeden ersten Samstag im Monat.',
			intro:
				'Die Night Market Sessions werden von Nachbar:innen für Nachbar:innen organisiert. Die Standgebühren bleiben niedrig, damit neue Köch:innen und Kunsthandwerker:innen anfangen können.\n\nDu möchtest einen Stand? Schreib uns mindestens drei Wochen vorher.'
		},
		nav: [{ label: 'Termine', url: '/events' }],
		social: [{ platform: 'instagram', url: 'https://instagram.com/nightmarketsessions' }],
		pages: [],
		events: [
			{
				slug: 'winter-market',
				title: 'Winternachtmarkt',
				description: 'Glühwein, Teigtaschen und ein DJ-Set nur mit Vinyl.',
				day: 8,
				at: [17, 0],
				hours: 6,
				venueName: 'Hof 7',
				venueAddress: 'Weserstraße 7, 12047 Berlin'
			},
			{
				slug: 'makers-special',
				title: 'Kunsthandwerk-Spezial',
				description: 'Keramik, Drucke und Gestricktes von 25 Kunsthandwerker:innen aus dem Kiez.',
				day: 36,
				at: [16, 0],
				hours: 6,
				venueName: 'Hof 7',
				venueAddress: 'Weserstraße 7, 12047 Berlin'
			},
			{
				slug: 'autumn-market',
				title: 'Herbstnachtmarkt',
				description: 'Kürbis in allen Varianten.',
				day: -30,
				at: [17, 0],
				hours: 6,
				venueName: 'Hof 7',
				venueAddress: 'Weserstraße 7, 12047 Berlin'
			}
		]
	}
];

function eventTimes(e: DemoEvent, timeZone: string, today: Date) {
	const base = wallTime(new Date(today.getTime() + e.day * 86_400_000), timeZone);
	const start = instantFromWallTime({ ...base, hour: e.at[0], minute: e.at[1] }, timeZone);
	if (e.allDay) {
		const endDay = wallTime(new Date(today.getTime() + (e.day + (e.days ?? 1)) * 86_400_000), timeZone);
		return { startsAt: start, endsAt: instantFromWallTime({ ...endDay, hour: 0, minute: 0 }, timeZone), allDay: true };
	}
	return { startsAt: start, endsAt: new Date(start.getTime() + (e.hours ?? 2) * 3_600_000), allDay: false };
}

/** Seed one demo site (also used by tests that want realistic content). */
export async function seedDemoSite(demo: DemoSite, today = new Date()) {
	return db().transaction(async (tx) => {
		const s = await createSite(demo, tx);
		await saveHome(s.id, { ...demo.home, showEvents: true, showLinks: true }, tx);
		for (const link of demo.nav) await addNavLink(s.id, link, tx);
		for (const link of demo.social) await addSocialLink(s.id, link, tx);
		for (const p of demo.pages) {
			await createPage(s.id, { ...p, published: p.published ?? true }, tx);
		}
		for (const e of demo.events) {
			await createEvent(
				s.id,
				{
					slug: e.slug,
					title: e.title,
					description: e.description,
					...eventTimes(e, s.timezone, today),
					venueName: e.venueName,
					venueAddress: e.venueAddress,
					ticketUrl: e.ticketUrl ?? null,
					status: e.status ?? 'published'
				},
				tx
			);
		}
		return s;
	});
}

/**
 * The demo people as a Discord sign-in would have made them (user with the placeholder e-mail,
 * Discord account), with their roles on the demo sites. People who already exist (an earlier
 * seed or dev sign-in) are left alone, so this also completes demo data seeded before them.
 */
export async function seedDemoIdentities(): Promise<number> {
	const sites = await db()
		.select({ id: site.id, slug: site.slug })
		.from(site)
		.where(
			inArray(
				site.slug,
				DEMO_SITES.map((d) => d.slug)
			)
		);
	const siteIds = new Map(sites.map((s) => [s.slug, s.id]));
	if (siteIds.size === 0) return 0; // a real hub that happens to run with SEED_DEMO: no demo people
	let created = 0;
	await db().transaction(async (tx) => {
		for (const person of DEMO_IDENTITIES) {
			const [existing] = await tx
				.select({ id: account.id })
				.from(account)
				.where(and(eq(account.providerId, DISCORD_PROVIDER), eq(account.accountId, person.discordId)));
			if (existing) continue;
			const id = randomUUID();
			const now = new Date();
			await tx
				.insert(user)
				.values({ id, name: person.name, email: placeholderEmail(person.discordId), emailVerified: false, createdAt: now, updatedAt: now });
			await tx.insert(account).values({
				id: randomUUID(),
				userId: id,
				providerId: DISCORD_PROVIDER,
				accountId: person.discordId,
				createdAt: now,
				updatedAt: now
			});
			for (const [slug, role] of Object.entries(person.roles)) {
				const siteId = siteIds.get(slug);
				if (siteId) await setMembership(siteId, id, role, tx);
			}
			created++;
		}
	});
	return created;
}

/** Seed the demo sites when the database has no site at all. Returns the slugs created. */
export async function seedDemoIfEmpty(): Promise<string[]> {
	const [row] = await db().select({ n: count() }).from(site);
	const created: string[] = [];
	if ((row?.n ?? 0) === 0) for (const demo of DEMO_SITES) created.push((await seedDemoSite(demo)).slug);
	await seedDemoIdentities();
	if (created.includes(DEMO_SERIES_SITE)) await seedDemoSeries();
	return created;
}

const DEMO_SERIES_SITE = 'bad-movies-theater';

/** The next date (yyyy-mm-dd) after `today` that is the 2nd Friday of its month, at least a week away. */
function nextSecondFriday(today: Date): string {
	for (let d = new Date(today.getTime() + 7 * 86_400_000); ; d = new Date(d.getTime() + 86_400_000)) {
		if (d.getUTCDay() === 5 && Math.ceil(d.getUTCDate() / 7) === 2) return d.toISOString().slice(0, 10);
	}
}

/**
 * Tags, places and a recurring series on the film club, made through the same services an
 * organiser uses (as its demo owner): "Heckle Night" every 2nd Friday, its second date cancelled
 * and its third moved to the Saturday at the rooftop.
 */
export async function seedDemoSeries(today = new Date()): Promise<void> {
	const [owner] = await db()
		.select({ userId: account.userId, name: user.name, siteId: site.id })
		.from(account)
		.innerJoin(user, eq(user.id, account.userId))
		.innerJoin(site, eq(site.slug, DEMO_SERIES_SITE))
		.where(
			and(
				eq(account.providerId, DISCORD_PROVIDER),
				inArray(
					account.accountId,
					DEMO_IDENTITIES.filter((p) => p.roles[DEMO_SERIES_SITE] === 'owner').map((p) => p.discordId)
				)
			)
		)
		.limit(1);
	if (!owner) return;
	const context = await loadSiteContext(owner.siteId, 'localhost');
	if (!context) return;
	const actor = { site: context, user: { id: owner.userId, name: owner.name }, role: 'owner' as const, isSuperAdmin: false };
	const hall = await savePlace(actor, null, {
		name: 'The Bedsheet Cinema',
		address: '12 Canal Street, New York, NY 10013',
		latitude: '40.7191',
		longitude: '-74.0018',
		accessibility: 'Step-free entrance from the street; an accessible toilet; ear plugs at the bar.',
		url: 'https://example.org/bedsheet'
	});
	const roof = await savePlace(actor, null, { name: 'Rooftop of the Print Shop', address: '40 Mercer Street, New York, NY 10013' });
	const screening = await saveTag(actor, null, { name: 'Screening', color: '#f5c518' });
	await saveTag(actor, null, { name: 'Workshop', color: '#2e7d32' });
	const first = nextSecondFriday(today);
	const series = await saveSeries(
		actor,
		null,
		{
			title: 'Heckle Night',
			slug: 'heckle-night',
			description: 'Our monthly night of loud opinions about quiet films. Kazoos provided.',
			startDate: first,
			startTime: '20:00',
			endTime: '01:00',
			placeId: hall.id,
			tagIds: screening.id,
			onlineUrl: 'https://stream.example.org/heckle-night',
			onlineReveal: '60',
			repeat: 'monthly',
			repeatMonthly: 'weekday',
			intent: 'publish'
		},
		today
	);
	const dates = await siteRead(owner.siteId, () => listOccurrences(owner.siteId, series.id));
	if (dates[1]) await setEventCancelled(actor, dates[1].id, true);
	const moved = dates[2];
	if (moved?.occurrenceDate) {
		const saturday = new Date(Date.parse(`${moved.occurrenceDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		await saveEvent(actor, moved.id, {
			title: 'Heckle Night on the roof',
			description: 'Moved up to the roof for one night: bring a blanket.',
			startDate: saturday,
			startTime: '21:00',
			endTime: '00:30',
			placeId: roof.id,
			intent: 'publish'
		});
	}
}
