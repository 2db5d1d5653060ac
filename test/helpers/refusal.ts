import { WgError } from '../../src/shared/errors';

/** The one-line refusal (a WgError) that `open` throws or rejects with; anything else is rethrown, and opening at all fails the test. */
export async function refusal(open: () => unknown): Promise<WgError> {
  try {
    await open();
  } catch (error) {
    if (error instanceof WgError) return error;
    throw error;
  }
  throw new Error('opened');
}
