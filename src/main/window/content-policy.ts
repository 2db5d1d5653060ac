/**
 * The renderer's Content-Security-Policy, sent as a response header for the app's pages. It must
 * match the meta tag in src/renderer/index.html: the browser enforces both, so the stricter wins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
].join('; ');

/** The packaged renderer is served from this origin (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workgraph';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Whether `url` is one of the app's own pages: the app origin, or the dev server's. */
export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && appOrigins.includes(origin);
}

/** A link to hand to the system browser or mail client; anything else (file:, javascript:, custom schemes) is dropped. */
export function externalUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.toString() : null;
  } catch {
    return null;
  }
}

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // URL.origin is "null" for non-special schemes such as app:, so build it from the parts.
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}
