import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import type { ProjectPaths } from '../project';
import { writeFileNoFollow } from '../files/no-follow';

/**
 * The API token: 32 random bytes, hex, in `.workgraph/service/token` (0600). It is kept across
 * restarts: agents adopted by a restarted coordinator still hold it in WG_API_TOKEN.
 */
export function ensureToken(paths: Pick<ProjectPaths, 'tokenFile'>): string {
  if (existsSync(paths.tokenFile)) {
    const existing = readFileSync(paths.tokenFile, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(existing)) {
      chmodSync(paths.tokenFile, 0o600);
      return existing;
    }
  }
  const token = randomBytes(32).toString('hex');
  writeFileNoFollow(paths.tokenFile, `${token}\n`, 0o600);
  chmodSync(paths.tokenFile, 0o600);
  return token;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
