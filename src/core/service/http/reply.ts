import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../../shared/api-contract';
import { WgError } from '../../../shared/errors';
import { isCallersPath, plainFailure } from '../../../shared/plain-failure';

/** An HTTP failure with its status and a stable code (the WgError codes plus the HTTP-only ones). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body === undefined ? null : body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Every failure reads `{error, code}`: one line for a person, a code for a program. `remote`: the caller came over the
 * network (a person's `wg`, a window, an agent daemon), and is told an error's words for elsewhere where it has them.
 */
export function sendError(res: ServerResponse, error: unknown, remote = false): void {
  let status = 500;
  let body: ApiError = { error: 'internal error', code: 'internal' };
  if (error instanceof HttpError) {
    status = error.status;
    body = { error: error.message, code: error.code };
  } else if (error instanceof WgError) {
    status = error.httpStatus;
    body = { error: remote && error.elsewhere ? error.elsewhere : error.message, code: error.code };
  } else if (isCallersPath(error)) {
    status = 400;
    body = { error: plainFailure(error) as string, code: 'invalid' };
  } else if (error instanceof Error) {
    body = { error: plainFailure(error) ?? error.message.split('\n')[0] ?? 'internal error', code: 'internal' };
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, body);
}
