import { describe, expect, it } from 'vitest';
import { isActionFailure, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import { AppError, invalidInput } from './errors';
import { formAction, formValues, pageData } from './forms';

const post = (body: BodyInit, type: string) =>
	new Request('http://a.test/admin', { method: 'POST', body, headers: { 'content-type': type } });
const form = (entries: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return new Request('http://a.test/admin', { method: 'POST', body: f });
};

async function outcome(p: Promise<unknown>) {
	try {
		return { value: await p };
	} catch (thrown) {
		return { thrown };
	}
}

describe('formAction', () => {
	it('an unparsable body is a 400 failure, not a 500', async () => {
		for (const request of [
			post('just text', 'text/plain'),
			post('--x\r\nbroken', 'multipart/form-data'),
			post('--x\r\nbroken', 'multipart/form-data; boundary=y')
		]) {
			const r = await outcome(formAction({ request }, 'f', async () => 'ran'));
			expect(isActionFailure(r.value), String(request.headers.get('content-type'))).toBe(true);
			expect((r.value as { status: number }).status).toBe(400);
		}
	});

	it('field errors come back with the input kept (secrets left out) and the form name', async () => {
		const r = await formAction(
			{
				request: form([
					['name', ''],
					['token', 's3cret']
				])
			},
			'settings',
			async () => {
				throw invalidInput({ name: 'Name is required' });
			}
		);
		expect(isActionFailure(r)).toBe(true);
		const failure = r as unknown as { status: number; data: Record<string, unknown> };
		expect(failure.status).toBe(400);
		expect(failure.data).toEqual({ form: 'settings', errors: { name: 'Name is required' }, values: { name: '' }, message: undefined });
	});

	it('not found / forbidden / unauthorized become the error page with that status; redirects pass', async () => {
		for (const [code, status] of [
			['not_found', 404],
			['forbidden', 403],
			['unauthorized', 401]
		] as const) {
			const r = await outcome(
				formAction({ request: form([]) }, 'f', async () => {
					throw new AppError(code, 'no');
				})
			);
			expect(isHttpError(r.thrown)).toBe(true);
			expect((r.thrown as { status: number }).status).toBe(status);
		}
		const r = await outcome(formAction({ request: form([]) }, 'f', async () => redirect(303, '/x')));
		expect(isRedirect(r.thrown)).toBe(true);
	});

	it('a conflict is a form message with its status', async () => {
		const r = (await formAction({ request: form([]) }, 'f', async () => {
			throw new AppError('conflict', 'Taken');
		})) as unknown as { status: number; data: { message: string } };
		expect(r.status).toBe(409);
		expect(r.data.message).toBe('Taken');
	});

	it('other errors go up untouched (the 503 / 500 handling is elsewhere)', async () => {
		const r = await outcome(
			formAction({ request: form([]) }, 'f', async () => {
				throw new TypeError('bug');
			})
		);
		expect(r.thrown).toBeInstanceOf(TypeError);
	});
});

describe('pageData', () => {
	it('maps an AppError to the error page with its status', async () => {
		const r = await outcome(
			pageData(async () => {
				throw new AppError('not_found', 'Not found');
			})
		);
		expect(isHttpError(r.thrown)).toBe(true);
		expect((r.thrown as { status: number }).status).toBe(404);
	});
});

describe('formValues', () => {
	it('keeps repeated keys and drops secrets', () => {
		const f = new FormData();
		f.append('a', '1');
		f.append('a', '2');
		f.append('token', 't');
		expect(formValues(f)).toEqual({ a: ['1', '2'] });
	});
});
