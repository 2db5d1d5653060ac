import { afterEach, describe, expect, it } from 'vitest';
import { deriveIdFromTitle } from '../../src/core/surgery/insert';
import { SurgeryGraph, type UpstreamTask } from './surgery-support';

/* Upstream's `wg insert` (src/commands/insert.rs), its cases ported by name. */

let graph: SurgeryGraph | null = null;
afterEach(async () => {
  await graph?.dispose();
  graph = null;
});

async function setup(tasks: UpstreamTask[]): Promise<SurgeryGraph> {
  graph = await SurgeryGraph.of(tasks);
  return graph;
}

const pt = (): UpstreamTask[] => [
  { id: 'p', before: ['t'] },
  { id: 't', after: ['p'] },
];
const ts = (): UpstreamTask[] => [
  { id: 't', before: ['s'] },
  { id: 's', after: ['t'] },
];
const pts = (): UpstreamTask[] => [
  { id: 'p', before: ['t'] },
  { id: 't', after: ['p'], before: ['s'] },
  { id: 's', after: ['t'] },
];

describe('wg insert before', () => {
  // upstream: src/commands/insert.rs before_additive_keeps_old_predecessor_edge
  it('before_additive_keeps_old_predecessor_edge', async () => {
    const g = await setup(pt());
    const task = await g.run('task:insert', { position: 'before', target: 't', title: 'new prereq', id: 'n' });
    expect(task.id).toBe('n');
    expect(await g.after('t')).toEqual(['n', 'p']);
    expect(await g.before('n')).toEqual(['t']);
    expect(await g.after('n')).toEqual([]);
  });

  // upstream: src/commands/insert.rs before_splice_redirects_old_predecessor_through_new_node
  it('before_splice_redirects_old_predecessor_through_new_node', async () => {
    const g = await setup(pt());
    await g.run('task:insert', { position: 'before', target: 't', title: 'n', id: 'n', splice: true });
    expect(await g.after('t')).toEqual(['n']);
    expect(await g.after('n')).toEqual(['p']);
    expect(await g.before('p')).toContain('n');
    expect(await g.before('p')).not.toContain('t');
  });
});

describe('wg insert after', () => {
  // upstream: src/commands/insert.rs after_additive_appends_successor
  it('after_additive_appends_successor', async () => {
    const g = await setup(ts());
    await g.run('task:insert', { position: 'after', target: 't', title: 'follow', id: 'f' });
    expect(await g.before('t')).toEqual(['s', 'f']);
    expect(await g.after('f')).toEqual(['t']);
    expect(await g.before('f')).toEqual([]);
  });

  // upstream: src/commands/insert.rs after_splice_redirects_old_successor
  it('after_splice_redirects_old_successor', async () => {
    const g = await setup(ts());
    await g.run('task:insert', { position: 'after', target: 't', title: 'f', id: 'f', splice: true });
    expect(await g.before('t')).toEqual(['f']);
    expect(await g.before('f')).toEqual(['s']);
    expect(await g.after('s')).toEqual(['f']);
  });
});

describe('wg insert parallel', () => {
  // upstream: src/commands/insert.rs parallel_additive_inherits_both_edge_sets_leaves_target_intact
  it('parallel_additive_inherits_both_edge_sets_leaves_target_intact', async () => {
    const g = await setup(pts());
    await g.run('task:insert', { position: 'parallel', target: 't', title: 'alt', id: 'alt' });
    expect(await g.after('alt')).toEqual(['p']);
    expect(await g.before('alt')).toEqual(['s']);
    expect(await g.after('t')).toEqual(['p']);
    expect(await g.before('t')).toEqual(['s']);
    expect(await g.after('s')).toEqual(['alt', 't']);
  });

  // upstream: src/commands/insert.rs parallel_replace_edges_routes_successors_to_new_only
  it('parallel_replace_edges_routes_successors_to_new_only', async () => {
    const g = await setup(pts());
    await g.run('task:insert', { position: 'parallel', target: 't', title: 'rescue', id: 'rescue', replaceEdges: true });
    expect(await g.after('rescue')).toEqual(['p']);
    expect(await g.before('rescue')).toEqual(['s']);
    expect(await g.after('s')).toEqual(['rescue']);
    expect(await g.before('t')).toEqual([]);
    expect(await g.after('t')).toEqual(['p']);
  });
});

describe('wg insert, the rest', () => {
  // upstream: src/commands/insert.rs nonexistent_target_does_not_mutate_graph
  it('nonexistent_target_does_not_mutate_graph', async () => {
    const g = await setup([{ id: 't' }]);
    const rev = await g.temp.store.core.currentRev();
    await expect(g.run('task:insert', { position: 'before', target: 'nonexistent', title: 'x', id: 'x' })).rejects.toThrow(
      "target task 'nonexistent' not found",
    );
    expect(await g.has('x')).toBe(false);
    expect(await g.temp.store.core.currentRev()).toBe(rev);
  });

  // upstream: src/commands/insert.rs id_collision_gets_suffix
  it('id_collision_gets_suffix', async () => {
    const g = await setup([{ id: 't' }, { id: 'n' }]);
    const task = await g.run('task:insert', { position: 'before', target: 't', title: 'x', id: 'n' });
    expect(task.id).toBe('n-2');
  });

  // upstream: src/commands/insert.rs derive_id_from_title_slugifies_correctly
  it('derive_id_from_title_slugifies_correctly', () => {
    expect(deriveIdFromTitle('Do the thing, please!')).toBe('do-the-thing-please');
    expect(deriveIdFromTitle('  leading space')).toBe('leading-space');
    expect(deriveIdFromTitle('a'.repeat(60)).length).toBeLessThanOrEqual(40);
  });

  it('refuses a position upstream does not know, and an empty title, in its words', async () => {
    const g = await setup(pts());
    await expect(g.run('task:insert', { position: 'sideways', target: 't', title: 'x' })).rejects.toThrow(
      "invalid position 'sideways' — must be one of: before, after, parallel",
    );
    await expect(g.run('task:insert', { position: 'before', target: 't', title: '  ' })).rejects.toThrow('Task title must not be empty');
    expect(await g.temp.store.list()).toHaveLength(3);
  });

  it('takes the position in any case, and the id from the title', async () => {
    const g = await setup(pts());
    const task = await g.run('task:insert', { position: 'AFTER', target: 't', title: 'Check the output!' });
    expect(task.id).toBe('check-the-output');
    expect(task.after).toEqual(['t']);
  });

  it('writes both edge lists to graph.jsonl as upstream would: a task made here gets its before list', async () => {
    const g = await setup([{ id: 't' }]);
    await g.temp.store.tasks.add({ title: 'S', id: 's', after: ['t'] }, 'user');
    await g.run('task:insert', { position: 'after', target: 't', title: 'f', id: 'f', splice: true });
    expect((await g.upstreamLine('t')).before).toEqual(['f']);
    expect(await g.upstreamLine('f')).toMatchObject({ after: ['t'], before: ['s'] });
    expect((await g.upstreamLine('s')).after).toEqual(['f']);
  });
});
