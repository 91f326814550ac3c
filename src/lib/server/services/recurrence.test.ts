import { describe, expect, it } from 'vitest';
import { withLocale } from '../i18n';
import { describeRule, formFromRule, occurrenceDates, previewRule, repeatFormSchema, ruleFromForm, weekdayPosition } from './recurrence';

const rule = (fields: Record<string, unknown>, first: string) => {
	const r = ruleFromForm(repeatFormSchema.parse(fields), first);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.rrule!;
};

describe('the Repeats fields as an RRULE', () => {
	it('weekly on chosen weekdays, every N weeks', () => {
		expect(rule({ repeat: 'weekly', repeatWeekdays: ['FR', 'TU'] }, '2026-03-13')).toBe('FREQ=WEEKLY;BYDAY=TU,FR');
		expect(rule({ repeat: 'weekly', repeatInterval: '2' }, '2026-03-13')).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR');
	});

	it('monthly on the day, on the nth weekday, or on the last weekday of the start date', () => {
		expect(rule({ repeat: 'monthly', repeatMonthly: 'day' }, '2026-03-13')).toBe('FREQ=MONTHLY;BYMONTHDAY=13');
		expect(rule({ repeat: 'monthly', repeatMonthly: 'weekday' }, '2026-03-13')).toBe('FREQ=MONTHLY;BYDAY=2FR');
		expect(rule({ repeat: 'monthly', repeatMonthly: 'last' }, '2026-03-29')).toBe('FREQ=MONTHLY;BYDAY=-1SU');
		expect(weekdayPosition('2026-03-29')).toEqual({ nth: 5, last: true });
	});

	it('ends on a date (the whole day), after N times, or never', () => {
		expect(rule({ repeat: 'yearly', repeatEnds: 'until', repeatUntil: '2030-01-01' }, '2026-03-13')).toBe(
			'FREQ=YEARLY;UNTIL=20300101T235959'
		);
		expect(rule({ repeat: 'yearly', repeatEnds: 'count', repeatCount: '3' }, '2026-03-13')).toBe('FREQ=YEARLY;COUNT=3');
		expect(ruleFromForm(repeatFormSchema.parse({ repeat: 'weekly', repeatEnds: 'until' }), '2026-03-13')).toMatchObject({ ok: false });
		expect(
			ruleFromForm(repeatFormSchema.parse({ repeat: 'weekly', repeatEnds: 'until', repeatUntil: '2026-03-01' }), '2026-03-13')
		).toMatchObject({
			ok: false
		});
		expect(ruleFromForm(repeatFormSchema.parse({}), '2026-03-13')).toEqual({ ok: true, rrule: null });
	});

	it('reads back into the same fields', () => {
		expect(formFromRule('FREQ=MONTHLY;INTERVAL=2;BYDAY=-1SU;UNTIL=20270131T235959')).toMatchObject({
			repeat: 'monthly',
			repeatInterval: '2',
			repeatMonthly: 'last',
			repeatEnds: 'until',
			repeatUntil: '2027-01-31'
		});
	});

	it('says the rule in plain words', () => {
		expect(describeRule('FREQ=MONTHLY;BYDAY=2FR;UNTIL=20270630T235959')).toBe('Every month on the 2nd Friday, until 30 June 2027');
		expect(describeRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR;COUNT=6')).toBe('Every 2 weeks on Tuesday and Friday, 6 times');
		// In the language of the request (the admin's), weekday names and dates from Intl.
		expect(withLocale('de', () => describeRule('FREQ=MONTHLY;BYDAY=2FR;UNTIL=20270630T235959'))).toBe(
			'Jeden Monat am zweiten Freitag, bis 30. Juni 2027'
		);
		expect(withLocale('fr', () => describeRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR;COUNT=6'))).toBe(
			'Toutes les 2 semaines le mardi et vendredi, 6 fois'
		);
		expect(withLocale('es', () => describeRule('FREQ=MONTHLY;BYDAY=-1SA;COUNT=1'))).toBe('Cada mes, el último sábado, 1 vez');
	});
});

describe('occurrence dates', () => {
	it('the 5th Friday: months without one are skipped', () => {
		expect(occurrenceDates('FREQ=MONTHLY;BYDAY=5FR', '2026-01-30', '2026-12-31')).toEqual([
			'2026-01-30',
			'2026-05-29',
			'2026-07-31',
			'2026-10-30'
		]);
	});

	it('an end date on a day the rule skips ends with the last matching date before it', () => {
		// Fridays until Thursday 2026-04-09.
		expect(occurrenceDates('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260409T235959', '2026-03-13', '2027-01-01')).toEqual([
			'2026-03-13',
			'2026-03-20',
			'2026-03-27',
			'2026-04-03'
		]);
		// The until day itself is included when it matches.
		expect(occurrenceDates('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260403T235959', '2026-03-13', '2027-01-01').at(-1)).toBe('2026-04-03');
	});

	it('COUNT counts from the first date, whatever window is asked for', () => {
		expect(occurrenceDates('FREQ=WEEKLY;BYDAY=FR;COUNT=3', '2026-03-13', '2027-01-01', '2026-03-20')).toEqual(['2026-03-20', '2026-03-27']);
	});

	it('the last Sunday of each month; every 2nd Friday', () => {
		expect(occurrenceDates('FREQ=MONTHLY;BYDAY=-1SU', '2026-01-25', '2026-04-30')).toEqual([
			'2026-01-25',
			'2026-02-22',
			'2026-03-29',
			'2026-04-26'
		]);
		expect(occurrenceDates('FREQ=MONTHLY;BYDAY=2FR;COUNT=3', '2026-01-09', '2026-12-31')).toEqual([
			'2026-01-09',
			'2026-02-13',
			'2026-03-13'
		]);
	});

	it('a first date the rule does not match is not an occurrence', () => {
		// Weekly on Fridays, first date a Wednesday.
		expect(occurrenceDates('FREQ=WEEKLY;BYDAY=FR;COUNT=2', '2026-03-11', '2026-12-31')).toEqual(['2026-03-13', '2026-03-20']);
	});
});

describe('previewRule (the editor\'s "Preview dates")', () => {
	it("the rule in words and the next five dates with the times typed, in the person's language", () => {
		const form = repeatFormSchema.parse({ repeat: 'weekly', repeatWeekdays: ['FR'] });
		const en = withLocale('en', () => previewRule(form, '2031-03-21', { start: '19:00', end: '22:00' }));
		expect(en).toMatchObject({ rule: 'Every Friday', more: true });
		expect((en as { dates: string[] }).dates).toHaveLength(5);
		expect((en as { dates: string[] }).dates[4]).toContain('18');
		expect((en as { dates: string[] }).dates[0]).toMatch(/Friday.*21.*March.*2031 · 19:00–22:00/);
		const de = withLocale('de', () => previewRule(form, '2031-03-21', { start: '19:00', end: '' }));
		expect((de as { dates: string[] }).dates[0]).toBe('Freitag, 21. März 2031 · 19:00');
		expect(
			previewRule(repeatFormSchema.parse({ repeat: 'weekly', repeatEnds: 'count', repeatCount: '2' }), '2031-03-21', { start: '', end: '' })
		).toMatchObject({
			more: false
		});
	});

	it('errors of the fields, and nothing for no rule or no first date', () => {
		expect(
			previewRule(repeatFormSchema.parse({ repeat: 'weekly', repeatEnds: 'until' }), '2031-03-21', { start: '', end: '' })
		).toHaveProperty('errors');
		expect(previewRule(repeatFormSchema.parse({}), '2031-03-21', { start: '', end: '' })).toBeNull();
		expect(previewRule(repeatFormSchema.parse({ repeat: 'weekly' }), 'soon', { start: '', end: '' })).toBeNull();
	});
});
