import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg pause`, `wg resume` and `wg publish` against upstream's own cases (graphwork/workgraph
 * src/commands/pause.rs and resume.rs `mod tests`; upstream's publish is resume.rs's `publish`), each
 * named in its `it`; the rest of resume.rs's are in test/cli/upstream-commands.test.ts. Run in process
 * through the real command table.
 *
 * Not ported:
 * - the agency pipeline made at publish (test_publish_creates_pipeline_tasks_with_auto_place,
 *   test_resume_scaffolds_agency_pipeline_for_draft_task, test_resume_scaffolds_agency_pipeline_only_mode,
 *   test_resume_does_not_double_scaffold_already_published_task): no `.assign-X`/`.evaluate-X` tasks are made
 *   here; the coordinator assigns and evaluates a task itself (an imported one is run, docs/upstream.md).
 * - Rust helpers (test_topo_sort_subset_orders_deps_before_dependents, test_discover_wcc_isolates_components):
 *   what they do is `wg publish --wcc`'s order and reach, ported in test/cli/upstream-commands.test.ts.
 * - upstream's publish.rs is `wg html publish` (rsync deployments of `wg html`), which has no counterpart: the
 *   window is the graph's page (docs/upstream.md, "Not here"): publish_add_persists_deployment,
 *   publish_add_duplicate_errors, publish_add_invalid_cron_errors, publish_add_with_schedule_creates_cron_task,
 *   publish_remove_drops_deployment_and_task, publish_show_missing_errors, publish_list_empty,
 *   publish_list_with_data, publish_run_against_local_path_target_succeeds,
 *   publish_run_records_failure_on_bad_rsync_target, publish_add_no_optin_keeps_default_unchanged,
 *   publish_add_mkpath_appends_to_default, publish_add_rsync_flags_full_override,
 *   publish_add_rsync_flags_with_mkpath_fully_overrides, publish_add_mkpath_and_rsync_flags_are_mutually_exclusive,
 *   publish_existing_deployment_without_rsync_flags_unchanged, publish_run_with_mkpath_creates_missing_remote_path,
 *   parse_rsync_flags_str_basic, publish_add_persists_title_byline_abstract,
 *   publish_meta_cascade_per_deployment_overrides_project_config, publish_meta_cascade_about_md_used_when_no_override,
 *   publish_meta_cascade_abstract_path_overrides_about_md, publish_meta_cascade_empty_when_nothing_configured,
 *   publish_meta_cascade_legacy_name_field_used_as_title_fallback, publish_run_renders_project_header_in_html,
 *   publish_run_omits_project_header_when_meta_empty.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-pause-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const task = (id: string) => p.json<Task>(['show', id]);
const paused = async (id: string) => (await task(id)).paused;
const logOf = async (id: string) => (await p.json<LogEntry[]>(['log', id, '--list'])).map((e) => e.message);
/** Paused tasks as upstream's tests make them: `after` lists, no log of their own. */
const pausedGraph = (rows: Array<Record<string, unknown>>) => p.importTasks(rows.map((row) => ({ paused: true, ...row })));

describe('wg pause (upstream pause.rs)', () => {
  it("test_pause_open_task (and its run's line: \"Paused 'X'\")", async () => {
    await p.importTasks([{ id: 't1', title: 'Test' }]);
    expect((await p.ok(['pause', 't1'])).trim()).toBe("Paused 't1'");
    expect(await task('t1')).toMatchObject({ paused: true, status: 'open' });
  });

  it('test_pause_already_paused_fails: refused, nothing logged', async () => {
    await pausedGraph([{ id: 't1', title: 'Test' }]);
    const result = await p.wg(['pause', 't1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe("wg: Task 't1' is already paused");
    expect(await logOf('t1')).toEqual([]);
  });

  it('test_pause_nonexistent_task_fails', async () => {
    const result = await p.wg(['pause', 'nonexistent']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/nonexistent/);
  });

  it('test_pause_adds_log_entry', async () => {
    await p.importTasks([{ id: 't1', title: 'Test' }]);
    await p.ok(['pause', 't1']);
    const log = await logOf('t1');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('paused');
  });
});

describe('wg resume --only (upstream resume.rs)', () => {
  it('test_resume_paused_task_only', async () => {
    await pausedGraph([{ id: 't1', title: 'Test' }]);
    expect(await p.ok(['resume', 't1', '--only'])).toBe("Resumed 't1'");
    expect(await paused('t1')).toBe(false);
    const log = await logOf('t1');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('resumed');
  });

  it('test_resume_nonexistent_task_fails', async () => {
    const missing = await p.wg(['resume', 'nonexistent']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('nonexistent');
  });

  it('test_resume_only_with_valid_deps_succeeds', async () => {
    await p.importTasks([{ id: 'dep1', title: 'Dependency' }]);
    await pausedGraph([{ id: 't1', after: ['dep1'] }]);
    await p.ok(['resume', 't1', '--only']);
    expect(await paused('t1')).toBe(false);
  });
});

describe('wg resume, propagating (upstream resume.rs)', () => {
  it('test_propagating_resume_does_not_affect_unrelated_tasks', async () => {
    await pausedGraph([
      { id: 'a', title: 'Task A' },
      { id: 'b', title: 'Task B', after: ['a'] },
      { id: 'unrelated', title: 'Unrelated' },
    ]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b'), await paused('unrelated')]).toEqual([false, false, true]);
  });

  it('test_propagating_resume_skips_already_unpaused: a task downstream that was not paused gets no log entry', async () => {
    await pausedGraph([{ id: 'a', title: 'Task A' }]);
    await p.importTasks([{ id: 'b', title: 'Task B', after: ['a'] }]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b')]).toEqual([false, false]);
    expect(await logOf('b')).toEqual([]);
  });

  it("test_propagating_resume_with_before_edges: upstream's `before` names a task downstream", async () => {
    await pausedGraph([{ id: 'seed', before: ['downstream'] }, { id: 'downstream' }]);
    await p.ok(['resume', 'seed']);
    expect([await paused('seed'), await paused('downstream')]).toEqual([false, false]);
  });

  it('test_propagating_resume_cycle_without_max_iterations_fails: refused, nothing un-paused', async () => {
    await pausedGraph([
      { id: 'a', title: 'Task A', after: ['b'] },
      { id: 'b', title: 'Task B', after: ['a'] },
    ]);
    for (const verb of ['resume', 'publish']) {
      const result = await p.wg([verb, 'a']);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('Cycle without --max-iterations: [a, b]');
      expect([await paused('a'), await paused('b')]).toEqual([true, true]);
    }
  });

  it('test_propagating_resume_cycle_with_max_iterations_succeeds', async () => {
    await pausedGraph([
      { id: 'a', after: ['b'], cycle_config: { max_iterations: 3, restart_on_failure: true } },
      { id: 'b', after: ['a'] },
    ]);
    await p.ok(['resume', 'a']);
    expect([await paused('a'), await paused('b')]).toEqual([false, false]);
  });
});
