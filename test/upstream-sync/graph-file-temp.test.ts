import { type FSWatcher, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/core/upstream-sync/graph-file';

const made: string[] = [];
const watchers: FSWatcher[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An upstream folder (`.wg/`), with this app's own folder in it when `own`; and the names that come and go in it. */
function upstreamFolder(own: boolean): { wgDir: string; seen: Set<string> } {
  const root = mkdtempSync(join(tmpdir(), 'wg-graph-temp-'));
  made.push(root);
  const wgDir = join(root, '.wg');
  mkdirSync(wgDir);
  if (own) mkdirSync(join(wgDir, 'desktop'));
  const seen = new Set<string>();
  watchers.push(watch(wgDir, (_event, name) => name && seen.add(name.toString())));
  return { wgDir, seen };
}

describe("graph.jsonl's save beside a person's git", () => {
  // CI of this session: a `git add -A` in a team's committed upstream folder, while the coordinator saved graph.jsonl,
  // listed the save's temporary file and failed to stat it a moment later ("unable to stat '.wg/graph.jsonl.….tmp'").
  it("makes its temporary file in this app's own folder, which git ignores: nothing but graph.jsonl comes and goes in .wg/", async () => {
    const { wgDir, seen } = upstreamFolder(true);
    for (let i = 0; i < 5; i++) writeGraphFile(wgDir, `{"kind":"task","id":"t${i}","title":"T"}\n`);
    await sleep(100);
    expect([...seen]).toEqual(['graph.jsonl']);
    expect(readFileSync(join(wgDir, 'graph.jsonl'), 'utf8')).toContain('"t4"');
    expect(readdirSync(join(wgDir, 'desktop'))).toEqual([]);
  });

  it('still saves where this app has no folder of its own there yet', () => {
    const { wgDir } = upstreamFolder(false);
    writeGraphFile(wgDir, '{"kind":"task","id":"only","title":"T"}\n');
    expect(readdirSync(wgDir)).toEqual(['graph.jsonl']);
  });
});
