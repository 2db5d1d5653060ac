import type { IncomingMessage } from 'node:http';
import { nestedTooDeeply, TOO_DEEP } from '../../../shared/json-depth';
import { HttpError } from './reply';

/** Large enough for `graph:import` of a big graph, small enough that nobody can exhaust memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** After a 413, the rest of the body is read and dropped up to this much (or this long), then the connection is cut. */
const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_MS = 10_000;

const tooLarge = (limit: number) => new HttpError(413, 'invalid', `request body is larger than ${limit} bytes`);

/**
 * The rest of an over-long body is read and dropped, so the 413 reaches the client before the
 * connection closes (closing a socket with unread data resets it, and the client would see only
 * the reset). A client that keeps sending past the allowance has its connection cut.
 */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  const cut = setTimeout(() => req.socket.destroy(), DISCARD_MS);
  cut.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) req.socket.destroy();
  });
  req.on('end', () => clearTimeout(cut));
  req.on('close', () => clearTimeout(cut));
}

/** The request's JSON body (`{}` when empty); 413 past the limit, 400 when it is not JSON or nests too deeply. */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    discardRest(req);
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      discardRest(req);
      reject(tooLarge(limit));
    };
    const onEnd = () => {
      try {
        resolve(parseBody(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  const text = raw.trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid', 'request body is not valid JSON');
  }
  if (nestedTooDeeply(value)) throw new HttpError(400, 'invalid', `request body ${TOO_DEEP}`);
  return value;
}
