import type { ApiError } from '../../shared/api-contract';
import { WgError } from '../../shared/errors';
import { plainFailure } from '../../shared/plain-failure';
import type { IpcReply } from '../../preload/ipc-contract';

/**
 * The `{ error, code }` the renderer shows. A WgError's message is meant for the user and passes
 * unchanged; anything else is a bug, reported with its message under code `internal` (and logged
 * in full by the caller).
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof WgError || isWgErrorLike(error)) return { error: error.message, code: error.code };
  if (error instanceof Error) return { error: plainFailure(error) ?? (error.message || error.name), code: 'internal' };
  return { error: String(error), code: 'internal' };
}

/** Runs `work` and packs its result or its error into the envelope main answers IPC calls with. */
export async function toIpcReply<T>(work: () => Promise<T>): Promise<IpcReply<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

/** A WgError thrown by a second copy of the class (e.g. another bundle) is still a user message. */
function isWgErrorLike(error: unknown): error is { message: string; code: string } {
  return error instanceof Error && error.name === 'WgError' && 'code' in error && typeof error.code === 'string';
}
