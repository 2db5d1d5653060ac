import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectHost, type LocalProjectHost } from '../../src/core/host';

/*
 * What a coordinator does at its start to an upstream project it opens, as upstream's service does: the older
 * coordinator's control tasks are retired, and a task left pending validation is done unless tagged human-review
 * (legacy-daemon-tasks.test.ts has the rules; this is that the coordinator applies them).
 */

let root: string;
let host: LocalProjectHost | null = null;
afterEach(async () => {
  await host?.close({ stopAgents: true });
  host = null;
  rmSync(root, { recursive: true, force: true });
});

describe("a coordinator's start on an upstream project", () => {
  it('retires .compact-N and makes a pending-validation task done, so what waited on them can start', async () => {
    root = mkdtempSync(join(tmpdir(), 'wg-start-upstream-'));
    process.env.WG_HOME = join(root, '.home');
    mkdirSync(join(root, '.wg'));
    const lines = [
      { id: '.compact-0', title: 'Compact 0', status: 'open' },
      { id: 'stuck', title: 'Stuck', status: 'pending-validation' },
      { id: 'review', title: 'Review', status: 'pending-validation', tags: ['human-review'] },
      { id: 'next', title: 'Next', status: 'open', after: ['.compact-0', 'stuck'] },
    ].map((line) => JSON.stringify({ kind: 'task', created_at: '2026-01-01T00:00:00+00:00', ...line }));
    writeFileSync(join(root, '.wg', 'graph.jsonl'), `${lines.join('\n')}\n`);
    host = await openProjectHost(root, { createIfMissing: false });
    await host.pause();
    const status = async (id: string) => (await host?.dispatch('task:show', { id }))?.status;
    expect([await status('.compact-0'), await status('stuck'), await status('review')]).toEqual([
      'abandoned',
      'done',
      'pending-validation',
    ]);
    expect((await host.dispatch('task:ready', {})).map((t) => t.id)).toContain('next');
  });
});
