import { execa } from 'execa';
import { WgError } from '../../shared/errors';
import type { ExecResult } from '../../shared/agent-loop';
import type { Store } from '../store/store';
import { checkReport, endHolder, PERSON } from '../store/run-reports';
import { getTask, requireTaskRow } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import { debugStatus } from '../graph/analysis/task-index';

/*
 * Upstream's `wg exec --shell`: a task's shell command run by a person, start to end. An open (or
 * incomplete) task is claimed first; the command runs with `sh -c` in the project folder, its output
 * shown; exit 0 makes the task done, anything else failed (its attempt counted, the exit code the
 * reason). `--set`/`--clear` change the command instead.
 */

export async function setExec(store: Store, taskId: string, command: string): Promise<ExecResult> {
  await store.core.write(async (rev) => {
    await requireTaskRow(store.core, taskId);
    await store.core.send(store.core.build.updateTable('tasks').set({ exec: command, rev }).where('id', '=', taskId));
  });
  return { kind: 'set', task: taskId, command };
}

export async function clearExec(store: Store, taskId: string): Promise<ExecResult> {
  const had = await store.core.write(async (rev) => {
    const row = await requireTaskRow(store.core, taskId);
    if (row.exec === null) return false;
    await store.core.send(store.core.build.updateTable('tasks').set({ exec: null, rev }).where('id', '=', taskId));
    return true;
  });
  return { kind: 'cleared', task: taskId, had_command: had };
}

/** The command, refused in upstream's words when there is none or the task is done. */
async function commandOf(store: Store, taskId: string): Promise<{ command: string; status: string }> {
  const row = await requireTaskRow(store.core, taskId);
  if (row.exec === null) throw new WgError('invalid', `Task '${taskId}' has no exec command defined`);
  if (row.status === 'done') throw new WgError('conflict', `Task '${taskId}' is already done`);
  return { command: row.exec, status: row.status };
}

export async function shellDryRun(store: Store, taskId: string): Promise<ExecResult> {
  const { command, status } = await commandOf(store, taskId);
  return { kind: 'shell-dry-run', task: taskId, command, status: debugStatus(status as Parameters<typeof debugStatus>[0]) };
}

export async function runShell(
  store: Store,
  taskId: string,
  cwd: string,
  actor: string | undefined,
  logActor: string,
): Promise<ExecResult> {
  const core = store.core;
  const { command, claimed } = await core.write(async (rev) => {
    const { command } = await commandOf(store, taskId);
    const row = await requireTaskRow(core, taskId);
    if (row.status !== 'open' && row.status !== 'incomplete') return { command, claimed: false };
    await transition(core, row, { status: 'in-progress', started_at: core.nowIso(), ...(actor ? { assigned: actor } : {}) }, rev);
    await appendLog(core, taskId, logActor, `Started execution: ${command}`);
    return { command, claimed: true };
  });
  const result = await execa('sh', ['-c', command], { cwd, reject: false, stdin: 'ignore', stripFinalNewline: false });
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : -1;
  const ok = exitCode === 0 && !result.failed;
  await core.write(async (rev) => {
    const row = await requireTaskRow(core, taskId);
    // A run of ours still holding the task ends, as a person's `wg done` or `wg fail` ends it.
    const verdict = await checkReport(core, PERSON, row, 'fail');
    if (verdict.ok) await endHolder(core, verdict.holder, PERSON, 'killed', `task run by ${logActor} (wg exec --shell)`, rev);
    if (ok) {
      await transition(core, row, { status: 'done', completed_at: core.nowIso() }, rev);
      await appendLog(core, taskId, logActor, 'Execution completed successfully');
    } else {
      await transition(
        core,
        row,
        {
          status: 'failed',
          retry_count: row.retry_count + 1,
          failure_reason: `Command exited with code ${exitCode}`,
          completed_at: core.nowIso(),
        },
        rev,
      );
      await appendLog(core, taskId, logActor, `Execution failed with exit code ${exitCode}`);
    }
  });
  return {
    kind: 'shell',
    task: await getTask(core, taskId),
    command,
    claimed,
    exit_code: exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    ok,
  };
}
