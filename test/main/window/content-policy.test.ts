import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, externalUrl, isAppUrl, originOf } from '../../../src/main/window/content-policy';
import { mimeTypeFor, resolveAppFile } from '../../../src/main/window/app-protocol-files';

const RENDERER_HTML = fileURLToPath(new URL('../../../src/renderer/index.html', import.meta.url));

function sources(policy: string): Map<string, string[]> {
  const entries = policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((parts) => parts[0]);
  return new Map(entries.map(([name = '', ...values]) => [name, values]));
}
const directives = (policy: string) =>
  policy
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .sort();

describe('Content-Security-Policy', () => {
  it('is the strict policy the renderer declares', () => {
    expect(directives(CONTENT_SECURITY_POLICY)).toEqual(
      directives(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; worker-src 'self' blob:",
      ),
    );
  });

  // Both policies apply and the stricter wins, so the header must allow everything the meta tag allows
  // (or it would silently break the page) and name the same directives.
  it.skipIf(!existsSync(RENDERER_HTML))('allows all that the meta tag in src/renderer/index.html allows', () => {
    const html = readFileSync(RENDERER_HTML, 'utf8');
    // The policy holds single quotes, so the attribute is double-quoted.
    const tag = /<meta[^>]*Content-Security-Policy[^>]*>/i.exec(html)?.[0] ?? '';
    const meta = /content="([^"]*)"/i.exec(tag)?.[1];
    expect(meta).toBeDefined();
    const header = sources(CONTENT_SECURITY_POLICY);
    const page = sources(meta ?? '');
    expect([...page.keys()].sort()).toEqual([...header.keys()].sort());
    for (const [name, allowed] of page) expect(header.get(name), name).toEqual(expect.arrayContaining(allowed));
  });
});

describe('app URLs', () => {
  const origins = [APP_ORIGIN, 'http://localhost:5173'];
  it('accepts the app origin and the dev server only', () => {
    expect(isAppUrl('app://workgraph/index.html', origins)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/tasks', origins)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', origins)).toBe(false);
    expect(isAppUrl('app://evil/index.html', origins)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', origins)).toBe(false);
    expect(isAppUrl('https://example.com', origins)).toBe(false);
    expect(isAppUrl('not a url', origins)).toBe(false);
  });

  it('builds origins for custom schemes too', () => {
    expect(originOf('app://workgraph/a/b')).toBe('app://workgraph');
    expect(originOf('about:blank')).toBeNull();
  });

  it('opens only web and mail links outside', () => {
    expect(externalUrl('https://example.com/docs')).toBe('https://example.com/docs');
    expect(externalUrl('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(externalUrl('file:///etc/passwd')).toBeNull();
    expect(externalUrl('javascript:alert(1)')).toBeNull();
    expect(externalUrl('smb://host/share')).toBeNull();
    expect(externalUrl('::')).toBeNull();
  });
});

describe('resolveAppFile', () => {
  const root = '/app/out/renderer';
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile(root, 'app://workgraph/index.html')).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile(root, 'app://workgraph/assets/index-abc.js')).toBe('/app/out/renderer/assets/index-abc.js');
    expect(resolveAppFile(root, 'app://workgraph/assets/my%20font.woff2')).toBe('/app/out/renderer/assets/my font.woff2');
  });

  it('serves index.html for the root and client-side routes', () => {
    expect(resolveAppFile(root, 'app://workgraph/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile(root, 'app://workgraph/tasks/build')).toBe('/app/out/renderer/index.html');
  });

  it('refuses other hosts and escapes from the folder', () => {
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://workgraph/..%2F..%2Fsecret.txt')).toBeNull();
    // The URL parser folds encoded dot segments away at the root: what is left stays inside.
    expect(resolveAppFile(root, 'app://workgraph/%2e%2e/%2e%2e/etc/passwd.txt')).toBe('/app/out/renderer/etc/passwd.txt');
    expect(resolveAppFile(root, 'app://workgraph/a%00.js')).toBeNull();
    expect(resolveAppFile(root, 'app://workgraph/%E0%A4%A.js')).toBeNull();
  });

  it('types module scripts as JavaScript', () => {
    expect(mimeTypeFor('/x/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/INDEX.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });
});
