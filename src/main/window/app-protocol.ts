import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { resolveAppFile, mimeTypeFor } from './app-protocol-files';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './content-policy';

/**
 * The packaged renderer is served from app://workgraph/ rather than file://: a real origin makes
 * CSP 'self' mean exactly the app's files, and file:// would give the page read access to the disk.
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves out/renderer on app://workgraph/, with the CSP header on every response. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        headers: {
          'Content-Type': mimeTypeFor(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
