/** An error meant for the user: one clear line, mapped to an exit code or an HTTP status. */
export type WgErrorCode = 'invalid' | 'not_found' | 'conflict' | 'cycle' | 'unavailable' | 'unauthorized' | 'forbidden';

const HTTP_STATUS: Record<WgErrorCode, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  cycle: 409,
  unavailable: 503,
  unauthorized: 401,
  forbidden: 403,
};

/**
 * A message as one line. A line break in one comes from what a person gave, quoted in it (two ids pasted as one,
 * `wg show "$(…)"` of a two-line answer): shown as `\n`, so the line says all it says instead of ending at the break
 * ("wg: 'a" was all that was left of "'a\nb' is not a valid task id: …").
 */
export const oneLine = (message: string): string => message.replaceAll('\r', '\\r').replaceAll('\n', '\\n');

export class WgError extends Error {
  /** What a caller on another machine is told instead: the coordinator's own addresses and paths are not theirs to see or act on. */
  readonly elsewhere?: string;
  constructor(
    readonly code: WgErrorCode,
    message: string,
    elsewhere?: string,
  ) {
    super(oneLine(message));
    this.name = 'WgError';
    if (elsewhere !== undefined) this.elsewhere = oneLine(elsewhere);
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

/** "task 'x' not found": upstream's words ("Task 'x' not found"), which scripts written for it look for. */
export const notFound = (what: string, id: string, where = '') =>
  new WgError('not_found', `${what} '${id}' not found${where ? ` ${where}` : ''}`);
export const invalid = (message: string) => new WgError('invalid', message);
export const conflict = (message: string) => new WgError('conflict', message);

/** What a caught value says: an Error's message, or the value itself as text (a thrown string, say). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
