import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg exec --shell` running a task's command, against upstream's tests/integration_exec.rs (the rest of that file
 * is in upstream-exec.test.ts). `wg` runs in this process; the command it runs is the process here.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-exec-sh-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

describe('wg exec --shell (upstream integration_exec.rs)', () => {
  it('exec_shell_claims_open_task_and_runs_command', async () => {
    await p.importTasks([{ id: 'claim-t', title: 'Claimable shell task', exec: 'echo claimed-successfully' }]);
    expect(await p.ok(['exec', 'claim-t', '--shell'])).toContain('claimed-successfully');
    const task = await p.json<Task>(['show', 'claim-t']);
    expect(task.status).toBe('done');
    expect(task.started_at).not.toBeNull();
    expect(task.completed_at).not.toBeNull();
  });

  it('exec_shell_failed_command_marks_task_failed', async () => {
    await p.importTasks([{ id: 'fail-t', title: 'Failing shell task', exec: 'exit 42' }]);
    const run = await p.wg(['exec', 'fail-t', '--shell']);
    expect(run.exitCode).not.toBe(0);
    const task = await p.json<Task>(['show', 'fail-t']);
    expect(task.status).toBe('failed');
    expect(task.failure_reason).toContain('42');
  });
});
