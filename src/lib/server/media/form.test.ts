import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { env } from '../env';
import { readUpload, uploadFailure } from './form';

function form(value?: File | string): FormData {
	const data = new FormData();
	if (value !== undefined) data.set('image', value);
	return data;
}

describe('readUpload', () => {
	it('returns the posted file', () => {
		const file = new File(['abc'], 'a.jpg', { type: 'image/jpeg' });
		const r = readUpload(form(file), 'image');
		expect(r.ok && r.file.name).toBe('a.jpg');
	});

	it.each([
		['no field', form(), 400, 'Choose an image to upload.'],
		['a text value', form('a.jpg'), 400, 'Choose an image to upload.'],
		['the empty file a browser sends when nothing was chosen', form(new File([], '')), 400, 'Choose an image to upload.'],
		['an empty file', form(new File([], 'empty.jpg')), 422, 'This file is empty.'],
		['a file over the limit', form(new File([new Uint8Array(env().UPLOAD_MAX_BYTES + 1)], 'big.jpg')), 413, 'Image is larger than 15 MB.']
	])('refuses %s with a field error', (_name, data, status, message) => {
		expect(readUpload(data, 'image')).toEqual({ ok: false, status, message });
	});
});

describe('uploadFailure', () => {
	it('turns refusals into field errors and leaves bugs alone', () => {
		expect(uploadFailure(new AppError('unsupported_media_type', 'This file is not an image.'))).toEqual({
			status: 415,
			message: 'This file is not an image.'
		});
		expect(uploadFailure(new AppError('unavailable', 'Try again.'))).toEqual({ status: 503, message: 'Try again.' });
		expect(uploadFailure(new AppError('internal', 'oops'))).toBeNull();
		expect(uploadFailure(new TypeError('x is undefined'))).toBeNull();
	});
});
