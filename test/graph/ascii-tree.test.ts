import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { asciiTree } from '../../src/core/graph/analysis/ascii-tree';
import { tasksToDraw } from '../../src/core/graph/analysis/viz-filter';
import { makeTask } from '../fixtures/objects';

/* `wg viz`'s ASCII tree; cases ported from upstream's src/commands/viz/ascii.rs and viz/mod.rs tests. */

const task = (id: string, fields: Partial<Task> = {}): Task =>
  makeTask({
    id,
    title: `Task ${id}`,
    status: 'open',
    assigned: null,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: null,
    ...fields,
  });

describe('wg viz ASCII tree', () => {
  it('test_generate_ascii_empty', () => {
    expect(asciiTree([])).toBe('(no tasks to display)');
  });

  it('test_generate_ascii_simple_edge / test_generate_ascii_chain', () => {
    expect(asciiTree([task('src'), task('tgt', { after: ['src'] })])).toBe('src  (open)\n└→ tgt  (open)');
    expect(asciiTree([task('a'), task('b', { after: ['a'] }), task('c', { after: ['b'] })])).toBe(
      'a  (open)\n└→ b  (open)\n  └→ c  (open)',
    );
  });

  it('test_generate_ascii_fan_out', () => {
    expect(asciiTree([task('a'), task('b', { after: ['a'] }), task('c', { after: ['a'] })])).toBe('a  (open)\n├→ b  (open)\n└→ c  (open)');
  });

  it('test_generate_ascii_fan_in: the second dependency is named after ←', () => {
    const text = asciiTree([task('a'), task('b'), task('c', { after: ['a', 'b'] })]);
    expect(text).toContain('←');
    expect(text.split('\n').filter((line) => line.includes('c  (open)'))).toEqual(['└→ c  (open)  ← b']);
  });

  it('test_generate_ascii_independent / test_generate_ascii_status_labels', () => {
    expect(asciiTree([task('solo')])).toBe('solo  (open)');
    const text = asciiTree([task('root', { status: 'in-progress' }), task('child', { status: 'blocked', after: ['root'] })]);
    expect(text).toContain('(in-progress)');
    expect(text).toContain('(blocked)');
  });

  it('a deep branch keeps its sibling rail (│) and a paused task its ‖ glyph', () => {
    const text = asciiTree([
      task('a'),
      task('b', { after: ['a'] }),
      task('c', { after: ['b'] }),
      task('d', { after: ['a'], paused: true }),
    ]);
    expect(text).toBe('a  (open)\n├→ b  (open)\n│ └→ c  (open)\n└→ ‖ d  (open)');
  });

  it('a loop reached from no root is still drawn, once each', () => {
    const text = asciiTree([task('x'), task('p', { after: ['q'] }), task('q', { after: ['p'] }), task('y', { after: ['x', 'p'] })]);
    for (const id of ['x', 'p', 'q', 'y']) expect(text.split('\n').filter((line) => line.includes(`${id}  (`))).toHaveLength(1);
  });

  it('test_ascii_hides_internal_tasks_by_default / test_show_internal_reveals_all_tasks', () => {
    const tasks = [task('my-task', { after: ['.assign-my-task'] }), task('.assign-my-task', { status: 'in-progress' })];
    expect(asciiTree(tasksToDraw(tasks, {}))).not.toContain('.assign-my-task');
    expect(asciiTree(tasksToDraw(tasks, { showInternal: true }))).toContain('.assign-my-task');
  });

  it('default shows only parts with active work; --all everything; --status and focus filter', () => {
    const tasks = [
      task('old'),
      task('old-2', { after: ['old'] }),
      task('live'),
      task('live-2', { after: ['live'] }),
      task('gone', { status: 'abandoned', after: ['live'] }),
    ].map((t) => (t.id.startsWith('old') ? { ...t, status: 'done' as const } : t));
    expect(tasksToDraw(tasks, {}).map((t) => t.id)).toEqual(['live', 'live-2']);
    expect(tasksToDraw(tasks, { all: true })).toHaveLength(5);
    expect(tasksToDraw(tasks, { status: 'done' }).map((t) => t.id)).toEqual(['old', 'old-2']);
    expect(tasksToDraw(tasks, { focus: ['old-2'] }).map((t) => t.id)).toEqual(['old', 'old-2']);
  });
});
