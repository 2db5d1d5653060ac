import { readFileSync } from 'node:fs';

/** Set by the CLI build (scripts/build-cli.mjs) from package.json; absent when sources run directly (tests). */
declare const __WG_VERSION__: string | undefined;

let fromSources: string | undefined;

/** This app's version: the build's, else package.json's (read once, when first asked, and only from sources). */
export function appVersion(): string {
  if (typeof __WG_VERSION__ === 'string') return __WG_VERSION__;
  if (fromSources === undefined) {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    fromSources = manifest.version ?? '0.0.0';
  }
  return fromSources;
}
