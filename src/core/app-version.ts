import { readFileSync } from 'node:fs';

/** Set by the CLI build (scripts/build-cli.mjs) from package.json; absent when sources run directly (tests). */
declare const __WG_VERSION__: string | undefined;

/** This app's version: the build's, else package.json's (read only when asked, and only from sources). */
export function appVersion(): string {
  if (typeof __WG_VERSION__ === 'string') return __WG_VERSION__;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}
