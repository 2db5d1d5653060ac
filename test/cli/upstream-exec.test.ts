import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg exec` (a person works on a task as an agent would) against upstream's tests/integration_exec.rs, each case
 * named in its `it`, in process: the dry runs, the refusals, --set/--clear. The two that run a task's shell command
 * (exec_shell_claims_open_task_and_runs_command, exec_shell_failed_command_marks_task_failed) start a process and are
 * in upstream-exec.process.test.ts. A task not there is "task 'ID' not found" here, this app's one wording of upstream's
 * "not found".
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-exec-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const status = async (id: string) => (await p.json<Task>(['show', id])).status;

describe('wg exec (upstream integration_exec.rs)', () => {
  it('exec_dry_run_prints_env_vars_and_prompt / exec_dry_run_includes_task_description_in_prompt / exec_dry_run_contains_all_expected_env_vars', async () => {
    await p.importTasks([{ id: 'dry-task', title: 'Dry run test task', description: 'Implement the frobnicator module.' }]);
    const out = await p.ok(['exec', 'dry-task', '--dry-run']);
    expect(out).toContain('=== Environment Variables ===');
    expect(out).toContain('=== Assembled Prompt');
    expect(out).toContain('Implement the frobnicator module.');
    for (const line of ['WG_TASK_ID=dry-task', 'WG_AGENT_ID=exec-', 'WG_EXECUTOR_TYPE=claude', 'WG_USER=']) {
      expect(out).toContain(`  ${line}`);
    }
    expect(await status('dry-task')).toBe('open');
  });

  it('exec_dry_run_shell_mode_prints_command', async () => {
    await p.importTasks([{ id: 'shell-dry', title: 'Shell dry run', exec: 'echo hello world' }]);
    expect(await p.ok(['exec', 'shell-dry', '--shell', '--dry-run'])).toBe(
      "Would execute for task 'shell-dry':\n  Command: echo hello world\n  Status: Open -> InProgress -> Done/Failed",
    );
    expect(await status('shell-dry')).toBe('open');
  });

  it('exec_nonexistent_task_errors_gracefully / exec_shell_nonexistent_task_errors', async () => {
    await p.importTasks([{ id: 'real', title: 'Real task' }]);
    for (const args of [
      ['exec', 'nonexistent-task', '--dry-run'],
      ['exec', 'nonexistent-task', '--shell'],
    ]) {
      const refused = await p.wg(args);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toBe("wg: task 'nonexistent-task' not found");
    }
  });

  it('exec_already_done_task_errors / exec_shell_already_done_task_errors / exec_failed_task_errors', async () => {
    await p.importTasks([
      { id: 'done-t', title: 'Already done', status: 'done' },
      { id: 'done-s', title: 'Done shell', status: 'done', exec: 'echo nope' },
      { id: 'fail-t2', title: 'Failed task', status: 'failed' },
    ]);
    const done = await p.wg(['exec', 'done-t', '--dry-run']);
    expect(done.exitCode).not.toBe(0);
    expect(done.stderr).toBe("wg: Task 'done-t' is already done");
    const doneShell = await p.wg(['exec', 'done-s', '--shell']);
    expect(doneShell.exitCode).not.toBe(0);
    expect(doneShell.stderr).toBe("wg: Task 'done-s' is already done");
    const failed = await p.wg(['exec', 'fail-t2', '--dry-run']);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.stderr).toBe("wg: Task 'fail-t2' is failed. Use 'wg retry' first.");
    expect([await status('done-s'), await status('fail-t2')]).toEqual(['done', 'failed']);
  });

  it('exec_in_progress_task_prints_note', async () => {
    await p.importTasks([
      { id: 'ip-task', title: 'In-progress task', status: 'in-progress', assigned: 'other-agent', description: 'Some work being done.' },
    ]);
    const run = await p.wg(['exec', 'ip-task', '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("Note: task 'ip-task' is already in-progress (assigned: other-agent)");
    expect(run.stdout).toContain('  WG_TASK_ID=ip-task');
  });

  it('exec_dry_run_with_model_flag_sets_wg_model / exec_dry_run_with_actor_flag_sets_agent_id', async () => {
    await p.importTasks([{ id: 'model-task', title: 'Model flag test', description: 'Testing model override.' }]);
    const out = await p.ok(['exec', 'model-task', '--dry-run', '--model', 'opus', '--actor', 'my-agent']);
    expect(out).toContain('  WG_MODEL=opus\n');
    expect(out).toContain('  WG_AGENT_ID=exec-my-agent\n');
  });

  it('exec_set_and_clear_command', async () => {
    await p.importTasks([{ id: 'setclear', title: 'Set/clear test' }]);
    expect(await p.ok(['exec', 'setclear', '--set', 'echo test-cmd'])).toBe("Set exec command for 'setclear': echo test-cmd");
    expect((await p.json<Task>(['show', 'setclear'])).exec).toBe('echo test-cmd');
    expect(await p.ok(['exec', 'setclear', '--clear'])).toBe("Cleared exec command for 'setclear'");
    expect((await p.json<Task>(['show', 'setclear'])).exec).toBeNull();
  });

  it('exec_dry_run_includes_dependency_context', async () => {
    await p.importTasks([
      {
        id: 'dep-task',
        title: 'Dependency task',
        status: 'done',
        description: 'I produced the widget module.',
        artifacts: ['src/widget.rs'],
      },
      { id: 'target-task', title: 'Target task', description: 'Use the widget module.', after: ['dep-task'] },
    ]);
    const out = await p.ok(['exec', 'target-task', '--dry-run']);
    expect(out).toContain('### dep-task: Dependency task (done)');
    expect(out).toContain('- src/widget.rs');
  });

  it('exec_no_workgraph_initialized_errors', async () => {
    const bare = new InProcessProject('wg-exec-bare-');
    try {
      const refused = await bare.wg(['exec', 'any-task', '--dry-run']);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toBe(`wg: no workgraph at ${join(bare.root, '.workgraph')} (run 'wg init')`);
      expect(existsSync(join(bare.root, '.workgraph'))).toBe(false);
    } finally {
      bare.remove();
    }
  });
});
