import { describe, expect, it } from 'vitest';
import { jsonLdScript, serializeJsonLd } from './json-ld';

describe('serializeJsonLd', () => {
	it('cannot be closed from inside by a value', () => {
		const data = { name: '</script><script>alert(1)</script>', text: 'a & b <!-- c -->', line: 'x\u2028y' };
		const json = serializeJsonLd(data);
		expect(json).not.toMatch(/[<>&\u2028]/);
		expect(JSON.parse(json)).toEqual(data);
		const script = jsonLdScript(data);
		expect(script.match(/<\/script>/g)).toHaveLength(1);
		expect(script.endsWith('</script>')).toBe(true);
	});
});
