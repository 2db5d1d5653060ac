import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * The real daemon and CLI running shell tasks on a DAG. Each task appends "start"/"end" lines
 * with nanosecond timestamps to one file: the order proves dependencies were respected, the
 * overlap proves the agent limit held.
 */
const p = new DaemonProject('wg-dag-');
const journal = join(p.root, 'journal');

// task -> dependencies
const DAG: Record<string, string[]> = {
  a: [],
  b: ['a'],
  c: ['a'],
  d: ['b', 'c'],
  e: ['d'],
  f: [],
  g: ['f'],
  h: [],
  i: [],
  j: ['h', 'i', 'g'],
};

const step = (id: string) => `echo "start ${id} $(date +%s%N)" >> ${journal}; sleep 0.3; echo "end ${id} $(date +%s%N)" >> ${journal}`;

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  for (const [id, after] of Object.entries(DAG)) {
    await p.ok(['add', `Task ${id}`, '--id', id, '--exec', step(id), ...(after.length ? ['--after', after.join(',')] : [])]);
  }
});
afterAll(() => p.remove());

function parseJournal(): { starts: Map<string, bigint>; ends: Map<string, bigint>; lines: string[] } {
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  const starts = new Map<string, bigint>();
  const ends = new Map<string, bigint>();
  for (const line of lines) {
    const [kind, id, at] = line.split(' ') as [string, string, string];
    (kind === 'start' ? starts : ends).set(id, BigInt(at));
  }
  return { starts, ends, lines };
}

describe('a DAG of shell tasks through the daemon', () => {
  it('runs every task once, dependencies first, never more than max_agents at a time', async () => {
    await p.start(['--max-agents', '2']);
    await waitFor('every task done', async () => (await p.tasks()).every((t) => t.status === 'done'), 60_000);

    const { starts, ends, lines } = parseJournal();
    expect(lines).toHaveLength(2 * Object.keys(DAG).length);
    for (const [id, after] of Object.entries(DAG)) {
      for (const dep of after) expect((ends.get(dep) as bigint) < (starts.get(id) as bigint), `${dep} before ${id}`).toBe(true);
    }
    // Sweep the intervals: the most tasks running at one instant.
    const edges: Array<[bigint, number]> = [
      ...[...starts.values()].map((at): [bigint, number] => [at, 1]),
      ...[...ends.values()].map((at): [bigint, number] => [at, -1]),
    ];
    edges.sort((x, y) => (x[0] === y[0] ? x[1] - y[1] : x[0] < y[0] ? -1 : 1));
    let running = 0;
    let peak = 0;
    for (const [, delta] of edges) {
      running += delta;
      peak = Math.max(peak, running);
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBe(2); // independent tasks did run side by side

    for (const task of await p.tasks()) {
      expect((await p.agentsOf(task.id)).map((a) => a.state)).toEqual(['done']);
      expect(task.log.filter((l) => l.message.startsWith('Task done')).length).toBe(1);
      expect(task.log.find((l) => l.message.startsWith('Spawned by coordinator --executor shell'))).toBeDefined();
    }
  });

  it('a dependency marked done from the CLI starts its dependent at once (no polling: poll_interval is an hour)', async () => {
    await p.ok(['add', 'Gate', '--id', 'gate', '--executor', 'manual']);
    await p.ok([
      'add',
      'After gate',
      '--id',
      'after-gate',
      '--after',
      'gate',
      '--exec',
      'wg log $WG_TASK_ID "ran as $WG_AGENT_ID via $WG_EXECUTOR"',
    ]);
    // The coordinator saw both additions (pokes) and started nothing: one is manual, one is blocked.
    await waitFor(
      'the daemon to see the new tasks',
      async () => (await p.json<{ agents: { working: number } }>(['service', 'status'])).agents.working === 0,
    );
    expect((await p.task('gate')).status).toBe('open');
    expect((await p.task('after-gate')).status).toBe('open');

    await p.ok(['done', 'gate']);
    const done = await waitFor(
      'after-gate done',
      async () => ((await p.task('after-gate')).status === 'done' ? p.task('after-gate') : null),
      15_000,
    );
    const agent = (await p.agentsOf('after-gate'))[0];
    // The agent used this app's wg (from .workgraph/service/bin) with its identity in the environment.
    expect(done.log.find((l) => l.message.startsWith('ran as'))).toMatchObject({
      actor: agent?.id,
      message: `ran as ${agent?.id} via shell`,
    });
    await p.ok(['service', 'stop']);
  });
});
