import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tasksToDraw } from '../../src/core/graph/analysis/viz-filter';
import { phaseAnnotations } from '../../src/core/graph/analysis/viz-phases';
import type { Task } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg viz` against upstream's own cases (graphwork/workgraph src/commands/viz/{mod,dot,ascii}.rs `mod tests`),
 * each named in its `it`; the ASCII tree's shape cases are in test/graph/ascii-tree.test.ts. This app names
 * mermaid nodes t0, t1… (a task id like `.assign-x` is no mermaid name), where upstream uses the ids.
 * Upstream's `wg graph-export` (src/commands/graph.rs) has its cases in test/commands/graph-export.test.ts.
 */

const task = (id: string, fields: Partial<Task> = {}): Task => makeTask({ id, title: id, status: 'open', assigned: null, ...fields });

describe('viz phases (upstream viz/mod.rs filter_internal_tasks, add_parent_state_annotations)', () => {
  it('test_task_shows_annotation_when_pipeline_in_progress / test_internal_task_filtering_preserves_edges_through_internal', () => {
    const phases = phaseAnnotations([task('my-task', { after: ['.assign-my-task'] }), task('.assign-my-task', { status: 'in-progress' })]);
    expect(phases.get('my-task')).toBe('[⊞ assigning]');
    expect(phaseAnnotations([task('b'), task('assign-b', { status: 'in-progress', tags: ['assignment'] })]).get('b')).toBe('[⊞ assigning]');
  });

  it('test_task_visible_during_assignment_with_open_internal_tasks / test_done_internal_tasks_do_not_annotate', () => {
    for (const status of ['open', 'done'] as const)
      expect(phaseAnnotations([task('my-task'), task('.assign-my-task', { status })]).has('my-task')).toBe(false);
  });

  it('pendingeval_parent_shows_evaluating_annotation_without_helper / pendingeval_parent_shows_evaluating_when_helper_failed', () => {
    expect(phaseAnnotations([task('my-task', { status: 'pending-eval' })]).get('my-task')).toBe('[∴ evaluating]');
    const withHelper = phaseAnnotations([
      task('my-task', { status: 'pending-eval' }),
      task('.evaluate-my-task', { status: 'in-progress' }),
    ]);
    expect(withHelper.get('my-task')).toBe('[∴ evaluating]');
    expect(
      phaseAnnotations([task('my-task', { status: 'pending-eval' }), task('.evaluate-my-task', { status: 'failed' })]).get('my-task'),
    ).toBe('[∴ evaluating]');
  });

  it('pendingvalidation_parent_shows_validating_annotation / done_parent_has_no_phase_annotation', () => {
    expect(phaseAnnotations([task('v', { status: 'pending-validation' })]).get('v')).toBe('[∴ validating]');
    expect(phaseAnnotations([task('d', { status: 'done' })]).has('d')).toBe(false);
  });

  it("this app's own assigner and evaluator runs mark their task as upstream's system tasks do", () => {
    const phases = phaseAnnotations(
      [task('a'), task('e')],
      [
        { task_id: 'a', purpose: 'assign' },
        { task_id: 'e', purpose: 'evaluate' },
        { task_id: 'e', purpose: 'task' },
      ],
    );
    expect([phases.get('a'), phases.get('e')]).toEqual(['[⊞ assigning]', '[∴ evaluating]']);
  });
});

describe('which tasks viz hides (upstream viz/mod.rs is_internal_task)', () => {
  it("test_is_internal_task: system tasks, and older graphs' assign-X / evaluate-X by their tags", () => {
    const tasks = [
      task('foo'),
      task('assign-foo', { tags: ['assignment', 'agency'] }),
      task('evaluate-foo', { tags: ['evaluation', 'agency'], after: ['foo'] }),
      task('.flip-foo', { after: ['foo'] }),
    ];
    expect(tasksToDraw(tasks, {}).map((t) => t.id)).toEqual(['foo']);
    expect(tasksToDraw(tasks, { showInternal: true })).toHaveLength(4);
  });

  it('test_coordinator_task_not_internal / test_evolve_task_not_internal / test_coordinator_visible_in_filter', () => {
    const tasks = [
      task('.coordinator', { tags: ['coordinator-loop'], status: 'in-progress' }),
      task('.evolve-auto-20260402-150000', { tags: ['evolution', 'agency'] }),
      task('.evolve-partition-1', { tags: ['evolution', 'partition'] }),
      task('foo'),
      task('.assign-foo', { tags: ['assignment'] }),
      task('.flip-foo', { tags: ['evaluation'], after: ['foo'] }),
    ];
    expect(tasksToDraw(tasks, { all: true }).map((t) => t.id)).toEqual([
      '.coordinator',
      '.evolve-auto-20260402-150000',
      '.evolve-partition-1',
      'foo',
    ]);
  });
});

describe('wg viz (upstream viz/dot.rs, viz/ascii.rs)', () => {
  let p: InProcessProject;
  beforeEach(async () => {
    p = new InProcessProject('wg-viz-');
    await p.ok(['init']);
  });
  afterEach(() => p.remove());

  it('test_generate_dot_basic / test_generate_dot_with_hours', async () => {
    await p.ok(['add', 'Task 1', '--id', 't1', '--hours', '8']);
    const dot = await p.ok(['viz', '--dot']);
    expect(dot).toContain('digraph wg');
    expect(dot).toContain('"t1"');
    expect(dot).toContain('Task 1');
    expect(dot).toContain('8h');
  });

  // upstream: src/commands/viz/mod.rs test_format_hours (its format_hours: Rust's `{:.1}`, an exact tie to the even digit)
  it('test_format_hours: 8h, 8.5h, and 8.25h as 8.2h', async () => {
    await p.ok(['add', 'Whole', '--id', 'whole', '--hours', '8']);
    await p.ok(['add', 'Half', '--id', 'half', '--hours', '8.5']);
    await p.ok(['add', 'Quarter', '--id', 'quarter', '--hours', '8.25']);
    const dot = await p.ok(['viz', '--dot', '--all']);
    for (const [id, hours] of [
      ['whole', '8h'],
      ['half', '8.5h'],
      ['quarter', '8.2h'],
    ] as const) {
      expect(dot).toMatch(new RegExp(`"${id}" \\[label="[^"]*\\n${hours.replace('.', '\\.')}"`));
    }
  });

  it('test_generate_mermaid_basic / test_generate_mermaid_with_dependency', async () => {
    await p.ok(['add', 'Task 1', '--id', 't1']);
    await p.ok(['add', 'Task 2', '--id', 't2', '--after', 't1']);
    const mermaid = await p.ok(['viz', '--mermaid']);
    expect(mermaid).toMatch(/^flowchart LR/);
    expect(mermaid).toContain('t0 --> t1');
  });

  it('test_dot_hides_internal_tasks_by_default / test_mermaid_hides_internal_tasks_by_default / test_ascii_shows_evaluating_phase', async () => {
    await p.importTasks([
      { id: 'my-task', title: 'My Task', after: ['.assign-my-task'] },
      { id: '.assign-my-task', title: 'Assign agent to my-task', status: 'in-progress' },
      { id: 'judged', title: 'Judged', status: 'pending-eval' },
    ]);
    for (const args of [['viz', '--dot'], ['viz', '--mermaid'], ['viz']]) {
      const out = await p.ok(args);
      expect(out).not.toContain('assign-my-task');
      expect(out).toContain('[⊞ assigning]');
    }
    expect(await p.ok(['viz'])).toContain('judged  (pending-eval) [∴ evaluating]');
  });

  it('test_dot_dangling_dependency_rendering / test_mermaid_dangling_dependency_rendering', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1', after: ['nonexistent-dep'] }]);
    const dot = await p.ok(['viz', '--dot']);
    expect(dot).toContain('"nonexistent-dep" [label="⚠ nonexistent-dep (missing)", shape=none, fontcolor=red];');
    expect(dot).toContain('"nonexistent-dep" -> "t1" [style=dashed, color=red];');
    const mermaid = await p.ok(['viz', '--mermaid']);
    expect(mermaid).toContain('m0["⚠ nonexistent-dep (missing)"]:::dangling');
    expect(mermaid).toContain('m0 -.-> t0');
    expect(mermaid).toContain('classDef dangling');
  });

  it('test_dot_no_dangling_when_dep_exists: nor for a dependency only left undrawn', async () => {
    await p.importTasks([
      { id: 'old', status: 'done' },
      { id: 't1', after: ['old'] },
      { id: 't2', after: ['t1'] },
    ]);
    const dot = await p.ok(['viz', '--dot', '--status', 'open']);
    expect(dot).not.toContain('(missing)');
    expect(dot).not.toContain('style=dashed, color=red');
    expect(dot).toContain('"t1" -> "t2";');
  });

  it('--status takes a status word and refuses a misspelt one, where upstream draws nothing and exits 0', async () => {
    await p.importTasks([
      { id: 'w', status: 'waiting' },
      { id: 'pv', status: 'pending-validation' },
      { id: 'o', status: 'open' },
    ]);
    const drawn = async (word: string) =>
      (await p.ok(['viz', '--status', word]))
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0])
        .sort();
    expect(await drawn('waiting')).toEqual(['pv', 'w']);
    expect(await drawn('pending-validation')).toEqual(['pv']);
    const bogus = await p.wg(['viz', '--status', 'bogus']);
    expect(bogus.exitCode).not.toBe(0);
    expect(bogus.stderr).toContain("'bogus' is invalid");
    expect(bogus.stderr).toContain('pending-eval');
  });

  it('test_coordinator_with_recent_log_sorts_above_in_progress, and a task just added above the running work', async () => {
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const now = new Date().toISOString();
    await p.importTasks([
      { id: 'worker-task', status: 'in-progress', created_at: old, started_at: old },
      {
        id: 'coordinator-0',
        tags: ['coordinator-loop'],
        created_at: old,
        log: [{ timestamp: now, actor: 'coordinator', message: 'tick' }],
      },
    ]);
    const first = async () => (await p.ok(['viz'])).split('\n')[0]?.split(' ')[0];
    // Both are hot; the coordinator's latest entry is the newer.
    expect(await first()).toBe('coordinator-0');
    await p.ok(['add', 'Brand new', '--id', 'brand-new']);
    expect(await first()).toBe('brand-new');
  });

  it("the ASCII tree's message mark (generate_ascii's msg_indicator): ✉ in, in/out once its agent replies", async () => {
    await p.ok(['add', 'A', '--id', 'a']);
    await p.ok(['msg', 'send', 'a', 'hello']);
    expect(await p.ok(['viz'])).toBe('a  (open) ✉1');
    await p.ok(['claim', 'a', '--agent', 'agent-3']);
    await p.ok(['msg', 'send', 'a', 'on it', '--from', 'agent-3']);
    expect(await p.ok(['viz'])).toBe('a  (in-progress) ✉1/1');
    // A person's answer after the agent's message: upstream's ✓ (replied).
    await p.ok(['msg', 'send', 'a', 'thanks']);
    expect(await p.ok(['viz'])).toBe('a  (in-progress) ✓2/1');
  });

  it("the ASCII tree's delay mark (generate_ascii's delay_hint): ⏳ and the wait of an open task not due yet", async () => {
    await p.ok(['add', 'Later', '--id', 'later', '--schedule', new Date(Date.now() + 3 * 3_600_000 + 60_000).toISOString()]);
    expect(await p.ok(['viz'])).toBe('later  (open) ⏳3h');
  });
});
