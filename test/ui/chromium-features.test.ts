import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { DISABLE_FEATURES, PLAYWRIGHT_DISABLED_FEATURES } from './chromium-features';

/** Playwright's own `disabledFeatures` list, read from the bundle it ships (the source of chromiumSwitches.ts). */
function playwrightsList(): string[] {
  const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
  const bundle = readFileSync(join(root, 'lib', 'coreBundle.js'), 'utf8');
  const list = /disabledFeatures = \[([\s\S]*?)\]\.filter\(Boolean\)/.exec(bundle)?.[1];
  if (list === undefined) throw new Error('playwright-core no longer ships its disabledFeatures list where this test reads it');
  return [...list.replace(/\/\/.*$/gm, '').matchAll(/"(\w+)"/g)].map((match) => match[1] as string);
}

it("keeps Playwright's own disabled features, since our --disable-features replaces Playwright's", () => {
  expect([...PLAYWRIGHT_DISABLED_FEATURES].sort()).toEqual(playwrightsList().sort());
  for (const feature of PLAYWRIGHT_DISABLED_FEATURES) expect(DISABLE_FEATURES).toContain(feature);
});
