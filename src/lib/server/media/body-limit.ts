/**
 * adapter-node refuses request bodies over BODY_SIZE_LIMIT (default 512K) before any form action
 * runs, with its own bare 413. Uploads need it above UPLOAD_MAX_BYTES so the media pipeline, not
 * the adapter, answers (with a message next to the field). Start-up warns when it is not.
 */

/** adapter-node's syntax: a number of bytes, optionally with K, M or G; `Infinity` for none. */
export function parseBodySizeLimit(value: string | undefined): number {
	const v = (value ?? '512K').trim();
	if (v === 'Infinity') return Infinity;
	const m = /^(\d+)([KMG]?)$/i.exec(v);
	if (!m) return NaN;
	const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Number(m[1]) * scale;
}

/** Multipart framing and the other form fields need a little room above the file itself. */
const FORM_OVERHEAD = 64 * 1024;

/** A warning to log, or null when the limit leaves room for the largest accepted upload. */
export function bodyLimitWarning(bodySizeLimit: string | undefined, uploadMaxBytes: number): string | null {
	const limit = parseBodySizeLimit(bodySizeLimit);
	if (limit >= uploadMaxBytes + FORM_OVERHEAD) return null;
	const need = Math.ceil((uploadMaxBytes + FORM_OVERHEAD) / 1024 ** 2);
	return `BODY_SIZE_LIMIT (${bodySizeLimit ?? '512K, the default'}) is below UPLOAD_MAX_BYTES: larger uploads will be refused without a message. Set BODY_SIZE_LIMIT=${need}M or more.`;
}
