import { app, session, shell, type WebContents } from 'electron';
import { log } from '../logging';
import { CONTENT_SECURITY_POLICY, externalUrl, isAppUrl } from './content-policy';

/**
 * The renderer gets the app's pages and nothing else: CSP on every app response (the dev
 * server's too), no navigation away, no new windows, no webviews, no permissions; links to the
 * web open in the system browser. Call once the app is ready.
 */
export function installSecurity(appOrigins: readonly string[]): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appOrigins)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    // Header names are case-insensitive; drop any other spelling so ours is the one applied.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });

  // The renderer needs no camera, geolocation, notifications (main sends those) …; copying is allowed.
  const allowed = new Set(['clipboard-sanitized-write']);
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowed.has(permission));

  app.on('web-contents-created', (_event, contents) => guardContents(contents, appOrigins));
}

function guardContents(contents: WebContents, appOrigins: readonly string[]): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url, appOrigins)) return;
    event.preventDefault();
    openOutside(url);
  };
  contents.on('will-navigate', (event) => keepInApp(event, event.url));
  contents.on('will-redirect', (event) => keepInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openOutside(url: string): void {
  const external = externalUrl(url);
  if (external === null) {
    log.warn(`blocked navigation to ${url}`);
    return;
  }
  shell.openExternal(external).catch((error: unknown) => log.warn(`could not open ${external}:`, error));
}
