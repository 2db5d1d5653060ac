import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/**
 * `wg` keeps V8's code of its chunks itself, on every Node (src/cli/code-cache.ts): a start after the first compiles none
 * of the chunks it had (npm run bench:cli measures the CPU). Checked on the built CLI in real processes: the kept code is
 * written, used as it is, refused when damaged, pruned of old builds' and never read from a folder of another user's.
 */
describe("wg's kept code", () => {
  let p: TempProject;
  let cacheRoot: string;

  beforeAll(async () => {
    p = new TempProject('wg-code-cache-');
    cacheRoot = join(p.root, 'cache');
    await p.ok(['init', '--no-agency']);
    await p.ok(['add', 'First', '--id', 'a']);
    await p.ok(['add', 'Second', '--id', 'b', '--after', 'a']);
  });
  afterAll(() => p.remove());

  /** `wg show b` as its own process, keeping its code under `cache` (NODE_COMPILE_CACHE, as Node's own cache). */
  async function show(cache: string, nodeOptions = '', home?: string): Promise<string> {
    const result = await execa('node', [WG_BIN, 'show', 'b'], {
      cwd: p.root,
      env: {
        ...p.env,
        NODE_COMPILE_CACHE: cache,
        NODE_DISABLE_COMPILE_CACHE: '',
        NODE_OPTIONS: nodeOptions,
        ...(home ? { HOME: home } : {}),
      },
      reject: false,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return result.stdout;
  }

  /** The kept files (one per chunk), and the folder they are in. */
  function kept(cache: string): { folder: string; files: string[] } {
    const [folder] = existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith('wg-v8-')) : [];
    if (folder === undefined) return { folder: '', files: [] };
    return { folder: join(cache, folder), files: readdirSync(join(cache, folder)) };
  }

  it('keeps the code of the chunks a start loaded, in a folder of its own, and the next start prints the same', async () => {
    const cache = join(cacheRoot, 'fresh');
    const first = await show(cache);
    expect(first).toContain('Second');
    const { folder, files } = kept(cache);
    // The command table's chunk among them (scripts/build-cli.mjs names it).
    expect(files.some((file) => /^start-[\w-]{8}\.cjs$/.test(file))).toBe(true);
    expect(statSync(folder).mode & 0o077).toBe(0);
    const sizes = files.map((file) => statSync(join(folder, file)).size);
    expect(await show(cache)).toBe(first);
    // Used as kept: nothing was refused, so nothing was written again.
    expect(files.map((file) => statSync(join(folder, file)).size)).toEqual(sizes);
  });

  it('compiles from source where the kept code is damaged, and keeps it anew', async () => {
    const cache = join(cacheRoot, 'damaged');
    const first = await show(cache);
    const { folder, files } = kept(cache);
    for (const file of files) writeFileSync(join(folder, file), 'not code');
    expect(await show(cache)).toBe(first);
    expect(files.every((file) => statSync(join(folder, file)).size > 'not code'.length)).toBe(true);
  });

  it('drops the code of other builds written over a month ago when it writes its own, and nothing newer', async () => {
    const cache = join(cacheRoot, 'upgraded');
    const folder = join(cache, `wg-v8-${process.versions.v8}`);
    const otherNode = join(cache, 'wg-v8-10.2.154.26-node.30');
    // Node's own compile cache in a folder NODE_COMPILE_CACHE names: the person's, not wg's to prune.
    const nodesCache = join(cache, 'v24.1.0-x64-5a3e8f2c-0');
    mkdirSync(folder, { recursive: true });
    mkdirSync(otherNode);
    mkdirSync(nodesCache);
    const monthsAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const files = {
      oldBuild: join(folder, 'program-Aa1_Bb2-.cjs'),
      cutShort: join(folder, 'program-Aa1_Bb2-.cjs.4242'),
      lastWeek: join(folder, 'program-Cc3_Dd4-.cjs'),
      otherNode: join(otherNode, 'start-Ee5_Ff6-.cjs'),
    };
    for (const file of Object.values(files)) writeFileSync(file, 'code');
    for (const file of [files.oldBuild, files.cutShort, files.otherNode, otherNode, nodesCache]) utimesSync(file, monthsAgo, monthsAgo);
    utimesSync(files.lastWeek, new Date(Date.now() - 7 * 24 * 3600 * 1000), new Date(Date.now() - 7 * 24 * 3600 * 1000));
    // A start that writes code (its own had none here): the month-old files of another build and another Node go.
    await show(cache);
    expect([existsSync(files.oldBuild), existsSync(files.cutShort), existsSync(otherNode), existsSync(files.lastWeek)]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(existsSync(nodesCache)).toBe(true);
    const own = readdirSync(folder).filter((file) => file !== 'program-Cc3_Dd4-.cjs');
    expect(own.length).toBeGreaterThan(0);
    // Its own code, however old, stays: a start that writes nothing prunes nothing, and one that does keeps it.
    for (const file of own) utimesSync(join(folder, file), monthsAgo, monthsAgo);
    writeFileSync(join(folder, own[0] as string), 'not code');
    await show(cache);
    expect(readdirSync(folder).sort()).toEqual([...own, 'program-Cc3_Dd4-.cjs'].sort());
  });

  it("drops what Node's own compile cache left in wg's own folder for earlier builds, once a month old", async () => {
    // No NODE_COMPILE_CACHE: ~/.cache/workgraph/node-compile-cache, where earlier builds pointed Node's cache on Node 22+.
    const home = join(cacheRoot, 'home');
    const cache = join(home, '.cache', 'workgraph', 'node-compile-cache');
    const [old, recent] = [join(cache, 'v24.1.0-x64-5a3e8f2c-0'), join(cache, 'v24.9.0-x64-7b1d2e4f-0')];
    mkdirSync(old, { recursive: true });
    mkdirSync(recent);
    const monthsAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(old, monthsAgo, monthsAgo);
    expect(await show('', '', home)).toContain('Second');
    expect([existsSync(old), existsSync(recent), kept(cache).files.length > 0]).toEqual([false, true, true]);
  });

  it.skipIf(process.getuid?.() !== 0)("keeps nothing in a folder another user owns (root's test: it can make one)", async () => {
    const cache = join(cacheRoot, 'foreign');
    const folder = join(cache, `wg-v8-${process.versions.v8}`);
    mkdirSync(folder, { recursive: true });
    chownSync(folder, 1, 1);
    expect(await show(cache)).toContain('Second');
    expect(readdirSync(folder)).toEqual([]);
  });

  it("keeps nothing where stack traces are mapped to the sources (the app's development builds)", async () => {
    const cache = join(cacheRoot, 'source-maps');
    expect(await show(cache, '--enable-source-maps')).toContain('Second');
    expect(kept(cache).files).toEqual([]);
  });

  it('keeps nothing in a folder others may write in', async () => {
    const cache = join(cacheRoot, 'shared');
    const folder = join(cache, `wg-v8-${process.versions.v8}`);
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    expect(await show(cache)).toContain('Second');
    expect(readdirSync(folder)).toEqual([]);
  });
});
