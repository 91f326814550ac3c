/** Test helper for services: the status an AppError carries, or 200 when the call went through. */
import { AppError } from '../../src/lib/server/errors';

export async function status(promise: Promise<unknown>): Promise<number> {
	try {
		await promise;
		return 200;
	} catch (e) {
		if (e instanceof AppError) return e.status;
		throw e;
	}
}
