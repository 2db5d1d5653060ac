import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectHost, type LocalProjectHost } from '../../src/core/host';

/*
 * A window beside upstream's wg is told when the two stop agreeing: the coordinator's status carries the sync's own
 * sentence while graph.jsonl cannot be synced (here: git left it mid-merge), a change event tells the window to read
 * it again (no revision comes of a sync that fails), and the status carries nothing once a sync succeeds.
 */

let root: string;
let host: LocalProjectHost | null = null;
afterEach(async () => {
  await host?.close({ stopAgents: true });
  host = null;
  rmSync(root, { recursive: true, force: true });
});

const line = (id: string, title: string) =>
  JSON.stringify({ kind: 'task', id, title, status: 'open', created_at: '2026-01-01T00:00:00+00:00' });

async function openUpstream(): Promise<{ open: LocalProjectHost; file: string }> {
  root = mkdtempSync(join(tmpdir(), 'wg-sync-problem-'));
  process.env.WG_HOME = join(root, '.home');
  const dir = join(root, '.wg');
  mkdirSync(dir);
  const file = join(dir, 'graph.jsonl');
  writeFileSync(file, `${line('shared', 'Shared')}\n`);
  const open = await openProjectHost(root, { createIfMissing: false });
  host = open;
  // Before its first turn: no agent starts (its claim would be a change of its own to sync).
  await open.pause();
  return { open, file };
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the coordinator's status while graph.jsonl cannot be synced", () => {
  it('carries the sync problem while git left a conflict marker in graph.jsonl, and nothing once the file is mended', async () => {
    const { open, file } = await openUpstream();
    // The opening sync (and the pause's) are over, in step.
    await waitFor(() => readFileSync(file, 'utf8').includes('"shared"'), 5000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await open.status()).sync_problem).toBeUndefined();

    let told = 0;
    const unsubscribe = open.onChange(() => told++);
    const text = readFileSync(file, 'utf8');
    const ours = line('ours-task', 'Ours');
    const theirs = line('theirs-task', 'Theirs');
    writeFileSync(file, `${text}<<<<<<< HEAD\n${ours}\n=======\n${theirs}\n>>>>>>> feature\n`);
    await waitFor(async () => (await open.status()).sync_problem !== undefined, 10_000);
    expect((await open.status()).sync_problem).toMatch(
      /^graph\.jsonl not synced: line 2 of graph\.jsonl is a merge conflict marker \(<<<<<<<\): finish the merge \(keep the lines of each task you want, remove the marker lines\)$/,
    );
    // Nothing was committed (the file was refused): the window heard of the problem all the same.
    await waitFor(() => told > 0, 2000);

    // The person keeps both sides; saved in place by an editor a while ago (it has stood still: graph-file.ts's QUIET_MS).
    told = 0;
    writeFileSync(file, `${text}${ours}\n${theirs}\n`);
    const then = new Date(Date.now() - 60_000);
    utimesSync(file, then, then);
    await waitFor(async () => (await open.status()).sync_problem === undefined, 10_000);
    expect((await open.dispatch('task:list', {})).map((t) => t.id)).toEqual(expect.arrayContaining(['shared', 'ours-task', 'theirs-task']));
    await waitFor(() => told > 0, 2000);
    unsubscribe();
  });

  it('carries no problem while a save is under way (a cut last line): it is a wait, taken in by itself once whole', async () => {
    const { open, file } = await openUpstream();
    await waitFor(() => readFileSync(file, 'utf8').includes('"shared"'), 5000);
    const text = readFileSync(file, 'utf8');
    const said: string[] = [];
    const sample = setInterval(async () => {
      const problem = (await open.status()).sync_problem;
      if (problem !== undefined && !said.includes(problem)) said.push(problem);
    }, 20);
    try {
      // An editor half way through a save in place: the last line is cut, and it is whole a second later.
      writeFileSync(file, `${text}${line('more', 'More').slice(0, 20)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      writeFileSync(file, `${text}${line('more', 'More')}\n`);
      const start = performance.now();
      while (!(await open.dispatch('task:list', {})).some((t) => t.id === 'more')) {
        if (performance.now() - start > 10_000) throw new Error("'more' not taken in within 10 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clearInterval(sample);
    }
    expect(said).toEqual([]);
  });
});
