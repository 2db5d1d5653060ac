import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphCheck } from '../../src/shared/insight';
import type { Task } from '../../src/shared/task';
import { projectState } from '../helpers/project-state';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's error paths across the graph (graphwork/workgraph tests/integration_error_paths.rs), through the
 * commands: upstream's load_graph of a graph.jsonl is `wg import` of the file here (the same lines, refused whole,
 * naming the line), its save/load round trip is `wg export --upstream` then `wg import` into another project, its
 * check_all is `wg check --json`, its ready_tasks is `wg ready --json`. A missing graph is a folder with no project.
 * test_abandoned_task_unblocks_dependents and test_failed_task_unblocks_dependents are in
 * test/cli/upstream-lifecycle.process.test.ts; test_load_unknown_kind_fails is a deliberate difference
 * (docs/upstream.md: the line is kept).
 *
 * Cycles cannot be made here (`wg add --after`, `wg edit --add-after`, `wg add-dep` refuse them in one line); they
 * come from an imported graph, whose loop-closing edge is kept as a back edge that does not hold its task, as
 * upstream's own `wg ready` (ready_tasks_cycle_aware) exempts it. Upstream's cycle cases assert its plain library
 * ready_tasks, which exempts nothing and so starts no member of a loop; their readiness is checked here as
 * upstream's `wg ready` has it: only the loop's header starts, nothing after it.
 *
 * Not ported:
 * - writes refused by a read-only folder (the tests run as root here, which no permission stops; a write that fails
 *   is in test/cli/full-disk.process.test.ts): test_save_to_readonly_directory_returns_error;
 * - threads of one process racing on one graph file (here every write is a transaction in graph.db; processes
 *   racing are in test/cli/edit-race.process.test.ts): test_concurrent_writes_produce_valid_graph,
 *   test_concurrent_read_write_no_corruption;
 * - upstream's resources (`requires`; this app has none, and `wg check` says it does not check them):
 *   test_orphan_requires_reference.
 *
 * Upstream's tests/test_edge_cases.rs has no file here: none of its cases runs workgraph's code. Each runs the Rust
 * file's own stand-ins (read_agent_metadata, simulate_cleanup_with_error_handling) or std::fs and git directly on a
 * hand-made folder, so nothing of `wg` can be ported from them (this app's worktree removal is tested in
 * test/worktrees/, with real git): test_edge_cases_malformed_metadata, test_edge_cases_missing_metadata_file,
 * test_edge_cases_missing_worktree, test_partially_missing_worktree_structure, test_edge_cases_permission_denied,
 * test_permission_denied_metadata_access, test_edge_cases_corrupted_git, test_dangling_worktree_references,
 * test_symlink_cleanup_edge_cases, test_recursive_symlink_handling, test_target_directory_cleanup_edge_cases,
 * test_target_directory_with_active_processes, test_comprehensive_edge_case_integration,
 * test_all_edge_case_scenarios_pass.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-error-paths-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** Every row and settings file of the project: what "nothing changed" compares. */
const state = () => projectState(join(p.root, '.workgraph'));

/** `wg import` of a file holding exactly TEXT. */
async function importText(text: string) {
  const file = join(p.root, 'graph.jsonl.in');
  writeFileSync(file, text);
  return p.wg(['import', file]);
}

/** Tasks as upstream's make_task builds them (title "Task ID"), each with its `after`. */
const tasks = (spec: Record<string, string[]>) => p.importTasks(Object.entries(spec).map(([id, after]) => ({ id, after })));
const check = async () => JSON.parse((await p.wg(['check', '--json'])).stdout) as GraphCheck;
/** `wg ready`'s ready tasks (it lists those held back only by a future ready_after after them, not ready). */
const readyIds = async () => (await p.json<Array<{ id: string; ready: boolean }>>(['ready'])).filter((t) => t.ready).map((t) => t.id);

describe('a missing graph (upstream: load_graph of a file not there)', () => {
  it('test_load_missing_graph_file_returns_io_error / test_load_missing_graph_file_error_message_is_useful', async () => {
    const empty = new InProcessProject('wg-error-paths-none-');
    try {
      for (const args of [['list'], ['ready'], ['show', 't1']]) {
        const result = await empty.wg(args);
        expect(result.exitCode).not.toBe(0);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(`wg: no workgraph at ${join(empty.root, '.workgraph')} (run 'wg init')`);
      }
    } finally {
      empty.remove();
    }
  });
});

describe('a damaged graph file (upstream: load_graph of malformed lines), refused whole naming its line', () => {
  const damaged: Array<[string, string, string]> = [
    ['test_load_completely_invalid_json', 'this is not json at all\n', 'wg: line 1: this is not valid JSON'],
    ['test_load_json_missing_required_fields', '{"kind":"task","id":"t1"}\n', 'wg: line 1: a task has no title'],
    [
      'test_load_json_wrong_type_for_field',
      '{"kind":"task","id":"t1","title":"Test","status":42}\n',
      "wg: line 1: status must be text (got '42')",
    ],
    [
      'test_load_json_invalid_status_value',
      '{"kind":"task","id":"t1","title":"Test","status":"banana"}\n',
      "wg: line 1: 'banana' is not a workgraph status (open, in-progress, waiting, blocked, done, failed, abandoned, pending-validation, pending-eval, failed-pending-eval, incomplete)",
    ],
    [
      'test_load_corruption_on_second_line',
      '{"kind":"task","id":"t1","title":"Good Task","status":"open"}\nCORRUPT LINE\n',
      'wg: line 2: this is not valid JSON',
    ],
    ['test_load_truncated_json', '{"kind":"task","id":"t1","title":"Truncated\n', 'wg: line 1: this is not valid JSON'],
    [
      'test_load_mixed_valid_and_invalid_lines',
      '{"kind":"task","id":"t1","title":"Good","status":"open"}\n{"kind":"task","id":"t2","title":"Also Good","status":"done"}\n{"kind":"task","id":"t3","title":}\n',
      'wg: line 3: this is not valid JSON',
    ],
    ['test_load_empty_object_line', '{}\n', 'wg: line 1: id is required'],
  ];

  it.each(damaged)('%s: one plain line naming the line, nonzero exit, nothing imported', async (_name, text, message) => {
    const before = state();
    const result = await importText(text);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(message);
    expect(state()).toBe(before);
    expect(await p.json<Task[]>(['list', '--all'])).toEqual([]);
  });

  it('test_load_duplicate_task_ids_last_wins', async () => {
    const result = await importText(
      '{"kind":"task","id":"dup","title":"First","status":"open"}\n{"kind":"task","id":"dup","title":"Second","status":"done"}\n',
    );
    expect(result.exitCode).toBe(0);
    const list = await p.json<Task[]>(['list', '--all']);
    expect(list.map((t) => [t.id, t.title, t.status])).toEqual([['dup', 'Second', 'done']]);
  });
});

describe('states and what they hold back (upstream: ready_tasks over each status)', () => {
  it('test_done_task_treated_as_done_by_blockers', async () => {
    await p.importTasks([
      { id: 't1', status: 'done' },
      { id: 't2', after: ['t1'] },
    ]);
    expect(await readyIds()).toEqual(['t2']);
  });

  it('test_in_progress_task_blocks_dependents', async () => {
    await p.importTasks([
      { id: 't1', status: 'in-progress' },
      { id: 't2', after: ['t1'] },
    ]);
    expect(await readyIds()).not.toContain('t2');
  });

  it('test_state_persistence_roundtrip_all_statuses', async () => {
    const statuses: Array<[string, string]> = [
      ['s-open', 'open'],
      ['s-in-progress', 'in-progress'],
      ['s-done', 'done'],
      ['s-blocked', 'blocked'],
      ['s-failed', 'failed'],
      ['s-abandoned', 'abandoned'],
      ['s-done-2', 'done'],
    ];
    await p.importTasks(statuses.map(([id, status]) => ({ id, status })));
    const file = join(p.root, 'saved.jsonl');
    await p.ok(['export', '--upstream', '--out', file]);
    const other = new InProcessProject('wg-error-paths-loaded-');
    try {
      await other.ok(['init']);
      await other.ok(['import', file]);
      const loaded = await other.json<Task[]>(['list', '--all']);
      expect(loaded.map((t) => [t.id, t.status]).sort()).toEqual([...statuses].sort());
    } finally {
      other.remove();
    }
    // And as upstream's own lines say them.
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; status: string });
    expect(lines.map((l) => [l.id, l.status]).sort()).toEqual([...statuses].sort());
  });
});

describe('a task after itself (upstream: self-dependency)', () => {
  it('cannot be made here: test_self_dependency_makes_task_permanently_blocked (one plain line, nothing changed)', async () => {
    const before = state();
    const add = await p.wg(['add', 'Self dep', '--id', 'self-dep', '--after', 'self-dep']);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr).toBe("wg: Task 'self-dep' cannot block itself");
    expect(state()).toBe(before);
    await p.ok(['add', 'Self dep', '--id', 'self-dep']);
    const made = state();
    // Upstream's words: edit.rs's "cannot block itself", link.rs's "cannot depend on itself".
    for (const [args, said] of [
      [['edit', 'self-dep', '--add-after', 'self-dep'], "wg: Task 'self-dep' cannot block itself"],
      [['add-dep', 'self-dep', 'self-dep'], "wg: task 'self-dep' cannot depend on itself"],
    ] as const) {
      const result = await p.wg([...args]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(said);
      expect(state()).toBe(made);
    }
  });

  it('test_self_dependency_detected_as_cycle / test_self_dependency_detected_by_check_all / test_self_dependency_persists_through_save_load', async () => {
    await tasks({ 'self-dep': ['self-dep'] });
    const result = await check();
    expect(result.ok).toBe(true);
    expect(result.cycles).toEqual([['self-dep']]);
    const file = join(p.root, 'saved.jsonl');
    await p.ok(['export', '--upstream', '--out', file]);
    const other = new InProcessProject('wg-error-paths-loaded-');
    try {
      await other.ok(['init']);
      await other.ok(['import', file]);
      expect((await other.json<Task>(['show', 'self-dep'])).after).toEqual([{ id: 'self-dep', status: 'open' }]);
      const loaded = JSON.parse((await other.wg(['check', '--json'])).stdout) as GraphCheck;
      expect(loaded.cycles).toEqual([['self-dep']]);
    } finally {
      other.remove();
    }
  });
});

describe('loops of several tasks (upstream: multi-level cycles)', () => {
  it('test_two_node_cycle: found, a warning only, and only its header starts', async () => {
    await tasks({ a: ['b'], b: ['a'] });
    const result = await check();
    expect(result.ok).toBe(true);
    expect(result.cycles).toHaveLength(1);
    expect([...(result.cycles[0] as string[])].sort()).toEqual(['a', 'b']);
    expect(result.warnings).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_three_node_cycle / test_five_node_cycle', async () => {
    await tasks({ a: ['c'], b: ['a'], c: ['b'] });
    expect((await check()).cycles.map((c) => [...c].sort())).toEqual([['a', 'b', 'c']]);
    expect(await readyIds()).toEqual(['a']);
    p.remove();
    p = new InProcessProject('wg-error-paths-');
    await p.ok(['init']);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await tasks(Object.fromEntries(ids.map((id, i) => [id, [ids[(i + ids.length - 1) % ids.length] as string]])));
    expect((await check()).cycles.map((c) => [...c].sort())).toEqual([ids]);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_cycle_with_branch: a task after the loop waits', async () => {
    await tasks({ a: ['b'], b: ['a'], c: ['a'] });
    expect((await check()).cycles).toHaveLength(1);
    const ready = await readyIds();
    expect(ready).not.toContain('c');
    expect(ready).not.toContain('b');
  });

  it('test_cycle_persists_through_save_load', async () => {
    await tasks({ a: ['b'], b: ['a'] });
    const file = join(p.root, 'saved.jsonl');
    await p.ok(['export', '--upstream', '--out', file]);
    const other = new InProcessProject('wg-error-paths-loaded-');
    try {
      await other.ok(['init']);
      await other.ok(['import', file]);
      const loaded = JSON.parse((await other.wg(['check', '--json'])).stdout) as GraphCheck;
      expect(loaded.cycles.map((c) => [...c].sort())).toEqual([['a', 'b']]);
    } finally {
      other.remove();
    }
  });

  it('test_diamond_dependency_no_false_cycle', async () => {
    await tasks({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const result = await check();
    expect(result.cycles).toEqual([]);
    expect(result.ok).toBe(true);
    expect(await readyIds()).toEqual(['a']);
  });

  it('test_large_graph_cycle_detection_performance', async () => {
    const spec: Record<string, string[]> = {};
    for (let i = 0; i < 100; i++) spec[`t${i}`] = [i === 0 ? 't99' : `t${i - 1}`];
    await tasks(spec);
    const result = await check();
    expect(result.cycles).toHaveLength(1);
    expect(result.cycles[0]).toHaveLength(100);
    expect(await readyIds()).toEqual(['t0']);
  });
});

describe('references to tasks not there (upstream: orphan references)', () => {
  it('test_orphan_after_reference', async () => {
    await tasks({ 'orphan-dep': ['does-not-exist'] });
    // As upstream's: the text exits nonzero on an error; `--json` says so in `ok` and exits 0.
    expect((await p.wg(['check'])).exitCode).not.toBe(0);
    const parsed = await check();
    expect(parsed.orphan_refs.map(({ from, to, relation }) => ({ from, to, relation }))).toEqual([
      { from: 'orphan-dep', to: 'does-not-exist', relation: 'after' },
    ]);
    expect(parsed.ok).toBe(false);
  });

  it('test_orphan_blocks_reference', async () => {
    await p.importTasks([{ id: 'orphan-blocks', before: ['does-not-exist'] }]);
    const parsed = await check();
    expect(parsed.orphan_refs.map((o) => o.relation)).toEqual(['before']);
  });

  it('test_ready_tasks_treats_missing_blocker_as_blocked', async () => {
    await tasks({ 'has-phantom-dep': ['phantom'] });
    expect(await readyIds()).toEqual([]);
  });

  it('test_graph_with_multiple_error_types', async () => {
    await tasks({ a: ['b'], b: ['a'], c: ['nonexistent'] });
    const result = await check();
    expect(result.ok).toBe(false);
    expect(result.cycles).not.toEqual([]);
    expect(result.orphan_refs).not.toEqual([]);
  });
});
