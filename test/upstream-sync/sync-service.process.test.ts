import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectHost, type LocalProjectHost } from '../../src/core/host';
import { pokeCoordinator } from '../../src/core/connecting/coordinator-poke';
import { Store } from '../../src/core/store/store';
import { lockGraphSync } from '../../src/core/upstream-sync/graph-lock';

/*
 * The window (and the daemon: both run openCoordinator) open on an upstream project while upstream's
 * wg writes it (upstream-writer.py: flock on graph.lock, temp file, rename, as src/parser.rs does).
 */

const WRITER = join(import.meta.dirname, 'upstream-writer.py');
const run = promisify(execFile);

let root: string;
let host: LocalProjectHost | null = null;
afterEach(async () => {
  await host?.close({ stopAgents: true });
  host = null;
  rmSync(root, { recursive: true, force: true });
});

async function openUpstream(): Promise<string> {
  root = mkdtempSync(join(tmpdir(), 'wg-sync-service-'));
  process.env.WG_HOME = join(root, '.home');
  const dir = join(root, '.wg');
  mkdirSync(dir);
  const line = {
    kind: 'task',
    id: 'shared',
    title: 'Shared',
    status: 'open',
    priority: 10,
    created_at: '2026-01-01T00:00:00+00:00',
    skills: ['both'],
  };
  writeFileSync(join(dir, 'graph.jsonl'), `${JSON.stringify(line)}\n`);
  host = await openProjectHost(root, { createIfMissing: false });
  return dir;
}

async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

describe("the window or daemon beside upstream's wg", () => {
  it('shows what upstream wrote within a second, without being asked', async () => {
    const dir = await openUpstream();
    const open = host as LocalProjectHost;
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      await run('python3', [
        WRITER,
        'edit',
        dir,
        JSON.stringify({ add: [{ kind: 'task', id: `up-${i}`, title: `Up ${i}`, status: 'open', after: ['shared'] }] }),
      ]);
      seen.push(await waitFor(async () => (await open.dispatch('task:list', {})).some((t) => t.id === `up-${i}`), 1000));
    }
    console.log(`upstream's change seen here after ${seen.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    expect((await open.dispatch('task:show', { id: 'up-4' })).after).toEqual(['shared']);
  });

  it('writes its own changes to graph.jsonl, a burst of them in a few writes, and nothing when nothing changed', async () => {
    const dir = await openUpstream();
    const open = host as LocalProjectHost;
    // No agent starts meanwhile (its claim would be a change of its own to write).
    await open.pause();
    const file = join(dir, 'graph.jsonl');
    let writes = 0;
    const watcher = watch(dir, (_event, name) => {
      if (name === 'graph.jsonl') writes++;
    });
    try {
      await open.dispatch('task:add', { title: 'Made here', after: ['shared'] });
      await waitFor(() => readFileSync(file, 'utf8').includes('"made-here"'), 2000);
      writes = 0;
      for (let i = 0; i < 40; i++) await open.dispatch('task:log', { id: 'shared', message: `burst ${i}` });
      await waitFor(() => readFileSync(file, 'utf8').includes('burst 39'), 2000);
      // The watch's event of the last write may come after its content is seen.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const burstWrites = writes;
      console.log(`40 changes here reached graph.jsonl in ${burstWrites} rename events`);
      expect(burstWrites).toBeLessThan(20);
      // Nothing changed since: a minute of the service idling writes nothing (here: half a second).
      writes = 0;
      const version = statSync(file).ino;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(writes).toBe(0);
      expect(statSync(file).ino).toBe(version);
      const line = JSON.parse(
        readFileSync(file, 'utf8')
          .split('\n')
          .find((l) => l.includes('"shared"')) as string,
      ) as { skills: string[]; log: unknown[] };
      expect(line.skills).toEqual(['both']);
      expect(line.log).toHaveLength(40);
    } finally {
      watcher.close();
    }
  });

  it('closes at once while upstream holds its lock; the change waits in graph.db and reaches graph.jsonl at the next sync', async () => {
    const dir = await openUpstream();
    const open = host as LocalProjectHost;
    await open.pause();
    const held = lockGraphSync(dir, 1000);
    let closedIn = 0;
    try {
      await open.dispatch('task:add', { title: 'Made while locked' });
      // Let the gathered sync start waiting for the lock.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const start = performance.now();
      await open.close({ stopAgents: true });
      closedIn = performance.now() - start;
      host = null;
    } finally {
      held.release();
    }
    console.log(`closed in ${closedIn.toFixed(0)} ms while upstream held graph.lock`);
    // The gathered sync's wait (30 s) is ended at once; the last look waits 2 s at most.
    expect(closedIn).toBeLessThan(10_000);
    expect(readFileSync(join(dir, 'graph.jsonl'), 'utf8')).not.toContain('made-while-locked');
    host = await openProjectHost(root, { createIfMissing: false });
    // A hang guard, not a figure: a run under load took over 2 s.
    await waitFor(() => readFileSync(join(dir, 'graph.jsonl'), 'utf8').includes('"made-while-locked"'), 15_000);
  });

  it("catches up another process's commit whose own sync did not finish (graph.lock held too long, Ctrl-C)", async () => {
    const dir = await openUpstream();
    const open = host as LocalProjectHost;
    await open.pause();
    // The pause's own commit and the syncs it brings are over (a sync a moment later would catch up by chance).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Another process's commit, and no sync of its own: what a `wg log` leaves when its sync gave up. (A log entry
    // gives the coordinator's turn nothing to write, whose own commit would sync graph.jsonl anyway.)
    const other = await Store.open(open.paths.db);
    try {
      await other.tasks.log('shared', 'from another process', 'user');
    } finally {
      await other.close();
    }
    await pokeCoordinator(open.paths);
    await waitFor(() => readFileSync(join(dir, 'graph.jsonl'), 'utf8').includes('from another process'), 5000);
  });

  it("leaves a project that is not upstream's without graph.jsonl, graph.lock or sync tables", async () => {
    root = mkdtempSync(join(tmpdir(), 'wg-sync-none-'));
    process.env.WG_HOME = join(root, '.home');
    host = await openProjectHost(root, { createIfMissing: true });
    await host.dispatch('task:add', { title: 'Only here' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const names = readdirSync(join(root, '.workgraph'));
    expect(names).not.toContain('graph.jsonl');
    expect(names).not.toContain('graph.lock');
    const db = new Database(host.paths.db, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'upstream_sync%'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
