import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { ProjectPaths } from '../../src/core/project';
import { vizCriticalPath } from '../../src/core/graph/analysis/viz-critical-path';
import { toDot, toMermaid } from '../../src/core/graph/viz';
import { makeTask } from '../fixtures/objects';
import { tempStore } from '../helpers/temp-store';

/*
 * `wg viz --critical-path` (upstream src/commands/viz/mod.rs calculate_critical_path and viz/dot.rs
 * generate_dot / generate_mermaid); each `it` names the upstream tests it ports.
 */

const hours = (id: string, h: number, after: string[] = []) => makeTask({ id, after, extra: { estimate: { hours: h } } });

describe('the critical path of what viz draws', () => {
  it('test_calculate_critical_path_simple', () => {
    expect([...vizCriticalPath([hours('t1', 8), hours('t2', 16, ['t1'])])].sort()).toEqual(['t1', 't2']);
  });

  it('test_calculate_critical_path_picks_longest', () => {
    const path = vizCriticalPath([hours('t1', 8), hours('t2', 16, ['t1']), hours('t3', 2, ['t1'])]);
    expect(path.has('t1') && path.has('t2')).toBe(true);
    expect(path.has('t3')).toBe(false);
  });

  it('test_calculate_critical_path_with_nan_hours (an unreadable estimate counts one hour) and _empty_graph', () => {
    const t1 = makeTask({ id: 't1', extra: { estimate: { hours: 'NaN' } } });
    expect(vizCriticalPath([t1, hours('t2', 4, ['t1'])]).size).toBeGreaterThan(0);
    expect(vizCriticalPath([])).toEqual(new Set());
  });

  it('counts finished work too (what is drawn) and only edges between drawn tasks; a loop is left out', () => {
    const done = makeTask({ id: 'a', status: 'done', extra: { estimate: { hours: 10 } } });
    expect([...vizCriticalPath([done, hours('b', 1, ['a']), hours('c', 5, ['gone'])])].sort()).toEqual(['a', 'b']);
    const loop = [hours('x', 50, ['y']), hours('y', 50, ['x']), hours('z', 1)];
    expect([...vizCriticalPath(loop)]).toEqual(['z']);
  });
});

describe('drawing it', () => {
  const tasks = [hours('t1', 8), hours('t2', 16, ['t1']), hours('t3', 1, ['t1'])];
  const critical = new Set(['t1', 't2']);

  it('test_generate_dot_with_critical_path: red, thicker nodes and edges on the path only', () => {
    const dot = toDot(tasks, { critical });
    expect(dot).toMatch(/"t1" \[[^\]]*penwidth=3, color=red\];/);
    expect(dot).toContain('"t1" -> "t2" [color=red, penwidth=2];');
    expect(dot).toContain('"t1" -> "t3";');
    expect(toDot(tasks)).not.toContain('color=red');
  });

  it('mermaid: ==> on the path and a red style line for its nodes (generate_mermaid)', () => {
    const mermaid = toMermaid(tasks, { critical });
    expect(mermaid).toContain('t0 ==> t1');
    expect(mermaid).toContain('t0 --> t2');
    expect(mermaid).toContain('style t0,t1 stroke:#f00,stroke-width:3px');
    expect(toMermaid(tasks)).not.toContain('==>');
  });
});

describe('wg viz --critical-path', async () => {
  let temp = await tempStore();
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore();
  });
  const ctx = () => ({ store: temp.store, paths: { dir: temp.dir } as ProjectPaths, actor: 'user' });

  it('marks the path with --dot and --mermaid; the ASCII tree is as without it (as upstream)', async () => {
    await dispatch('task:add', { title: 'A', id: 'a' }, ctx());
    await dispatch('task:add', { title: 'B', id: 'b', after: ['a'] }, ctx());
    expect(await dispatch('graph:viz', { dot: true, criticalPath: true }, ctx())).toContain('"a" -> "b" [color=red, penwidth=2];');
    expect(await dispatch('graph:viz', { mermaid: true, criticalPath: true }, ctx())).toContain('==>');
    expect(await dispatch('graph:viz', { criticalPath: true }, ctx())).toBe(await dispatch('graph:viz', {}, ctx()));
  });
});
