import type { IncomingMessage } from 'node:http';
import { HttpError } from './reply';

/** Large enough for `graph:import` of a big graph, small enough that nobody can exhaust memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The request's JSON body (`{}` when empty); 413 past the limit, 400 when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'invalid', `request body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      req.destroy();
      throw new HttpError(413, 'invalid', `request body is larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid', 'request body is not valid JSON');
  }
}
