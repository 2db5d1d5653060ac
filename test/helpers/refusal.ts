import { WgError } from '../../src/shared/errors';

/** The one-line refusal (a WgError) that `open` throws; anything else thrown is rethrown, and opening at all fails the test. */
export function refusal(open: () => unknown): WgError {
  try {
    open();
  } catch (error) {
    if (error instanceof WgError) return error;
    throw error;
  }
  throw new Error('opened');
}
