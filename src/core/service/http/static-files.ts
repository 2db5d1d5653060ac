import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { HttpError } from './reply';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Browser mode: the built renderer from `out/renderer`. The files hold no secret (the token
 * travels in the URL fragment, which browsers never send), so they need no token.
 */
export function serveStatic(res: ServerResponse, root: string | null, pathname: string): void {
  const index = root ? join(root, 'index.html') : null;
  if (!root || !index || !existsSync(index)) {
    throw new HttpError(404, 'not_found', "the app's web interface is not built (run 'npm run build'); the API under /api works");
  }
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, 'invalid', 'bad path');
  }
  const file = normalize(join(root, relative === '/' ? 'index.html' : relative));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) throw new HttpError(404, 'not_found', 'not found');
  const target = existsSync(file) && statSync(file).isFile() ? file : index; // client-side routes get the app
  res.writeHead(200, {
    'content-type': TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': target === index ? 'no-cache' : 'public, max-age=3600',
  });
  createReadStream(target).pipe(res);
}
