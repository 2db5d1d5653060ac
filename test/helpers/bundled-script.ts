import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { rolldown } from 'rolldown';
import { REPO } from './wg-cli';

/** Where the bundles are written: under the checkout's node_modules, so that their imports of packages resolve there. */
const FOLDER = join(REPO, 'node_modules', '.cache', 'wg-test-scripts');
let made = 0;

/**
 * `entry` (a TypeScript module that imports the app's source) bundled into one JavaScript module that plain `node`
 * runs, for a test that starts several processes of it at once. Started through tsx, each process compiled every
 * module it imports as it started: 1.4 CPU-seconds a process, and a race test starts eight. Packages stay imports of
 * node_modules, as the app's own build has them. The caller removes the file.
 */
export async function bundledScript(entry: string): Promise<string> {
  mkdirSync(FOLDER, { recursive: true });
  const file = join(FOLDER, `${basename(entry).replace(/\.\w+$/, '')}-${process.pid}-${made++}.mjs`);
  const bundle = await rolldown({
    input: entry,
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    logLevel: 'silent',
  });
  try {
    await bundle.write({ file, format: 'esm', codeSplitting: false });
  } finally {
    await bundle.close();
  }
  return file;
}
