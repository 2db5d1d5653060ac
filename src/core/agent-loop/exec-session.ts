import { sql } from 'kysely';
import { filterAsync } from '../../shared/async-arrays';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult } from '../../shared/agent-loop';
import { WgError } from '../../shared/errors';
import type { Task } from '../../shared/task';
import { identitySection, resolveIdentity } from '../executors/identity-prompt';
import { loadSettings } from '../config/settings';
import { buildPrompt } from '../executors/prompt';
import { replaceFile } from '../files/no-follow';
import { currentUser } from '../provenance/operations-log';
import type { ProjectPaths } from '../project';
import { agentWgPath, installAgentWg } from '../runs/starting/agent-wg';
import { defaultWgCommand } from '../runs/starting/bundled-files';
import type { Store } from '../store/store';
import { getTask, requireTaskRow } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import { prepareRunWorktree } from '../worktrees/run-worktree';

/*
 * Upstream's `wg exec TASK` (interactive): a person works on a task as an agent would, in Claude Code,
 * with the prompt an agent gets and its environment. Prepared here (the task claimed, its worktree made
 * when asked, the prompt written to a file); the `wg` command runs the session with the terminal, then
 * records that it ended (endSession); done or failed are the everyday `wg done` and `wg fail`.
 */

/** Upstream's refusals for a task no session can be started on. */
const REFUSED: Readonly<Record<string, string>> = {
  done: 'is already done',
  failed: "is failed. Use 'wg retry' first.",
  abandoned: 'is abandoned',
  waiting: 'is waiting',
  'pending-validation': 'is pending validation',
  'pending-eval': 'is pending evaluation',
  'failed-pending-eval': 'is pending rescue evaluation',
};

const CLAIMABLE = ['open', 'blocked', 'incomplete'];

export interface SessionRequest {
  task: string;
  actor?: string;
  /** Who the log names when no --actor is given (the person running `wg`). */
  logActor: string;
  dryRun: boolean;
  worktree: boolean;
  model?: string;
}

async function promptFor(store: Store, task: Task, wgPath: string, worktree: { branch: string; base: string } | null): Promise<string> {
  const identity = await resolveIdentity(store, task.agent);
  return buildPrompt({
    task,
    dependencies: await Promise.all(
      (
        await filterAsync(
          task.after,
          async (dep) =>
            (await store.core.get(store.core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', dep))) !== undefined,
        )
      ).map((dep) => getTask(store.core, dep)),
    ),
    wgPath,
    worktree,
    identity: identity ? identitySection(identity) : null,
    messages: await store.messages.list(task.id),
  });
}

export async function prepareSession(store: Store, paths: ProjectPaths, request: SessionRequest): Promise<ExecResult> {
  const core = store.core;
  const row = await requireTaskRow(core, request.task);
  const refusal = REFUSED[row.status];
  if (refusal) throw new WgError('conflict', `Task '${request.task}' ${refusal}`);
  const user = currentUser();
  const label = request.actor ?? user;
  const logActor = request.actor ?? request.logActor;
  const agentId = `exec-${label}`;
  // The agents' `wg` (written for a session, not a dry run, which changes nothing).
  const wgPath = agentWgPath(paths);
  const model = request.model ?? row.model ?? null;
  const env: Record<string, string> = {
    WG_TASK_ID: request.task,
    WG_AGENT_ID: agentId,
    WG_EXECUTOR_TYPE: 'claude',
    WG_USER: user,
    WG_DIR: paths.dir,
    WG_BIN: wgPath,
    ...(model ? { WG_MODEL: model } : {}),
  };
  if (request.dryRun) {
    return {
      kind: 'session-dry-run',
      task: request.task,
      in_progress: row.status === 'in-progress',
      assigned_before: row.status === 'in-progress' ? row.assigned : null,
      env,
      prompt: await promptFor(store, await getTask(core, request.task), wgPath, null),
    };
  }
  installAgentWg(paths, defaultWgCommand(), process.env.CLAUDE_ENV_FILE?.trim() || null);
  const claimed = CLAIMABLE.includes(row.status);
  if (claimed) {
    await core.write(async (rev) => {
      await transition(
        core,
        await requireTaskRow(core, request.task),
        { status: 'in-progress', started_at: core.nowIso(), assigned: request.actor ?? agentId },
        rev,
      );
      await appendLog(core, request.task, logActor, 'Started interactive exec session');
    });
  }
  let cwd = paths.root;
  let worktree: { path: string; branch: string; base: string } | null = null;
  if (request.worktree) {
    const made = await prepareRunWorktree({
      store,
      paths,
      settings: (await loadSettings(paths)).settings,
      taskId: request.task,
      agentId,
      executorType: 'claude',
      worktree: true,
    });
    if (made) {
      cwd = made.cwd;
      worktree = { path: made.path, branch: made.branch, base: made.baseBranch };
      Object.assign(env, made.env);
    }
  }
  const prompt = await promptFor(store, await getTask(core, request.task), wgPath, worktree);
  const folder = join(paths.runsDir, agentId);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const promptFile = join(folder, 'prompt.txt');
  replaceFile(promptFile, prompt, { mode: 0o600 });
  await core.write(async (rev) => {
    await appendLog(core, request.task, logActor, `Interactive exec session started. Prompt: ${promptFile}`);
    await core.send(core.build.updateTable('tasks').set({ rev }).where('id', '=', request.task));
  });
  return {
    kind: 'session',
    task: request.task,
    claimed,
    assigned_before: claimed ? null : row.assigned,
    command: process.env.WG_CLAUDE_BIN || 'claude',
    args: ['--system-prompt', prompt, ...(model ? ['--model', model] : [])],
    env,
    cwd,
    prompt_file: promptFile,
    worktree: worktree ? { path: worktree.path, branch: worktree.branch } : null,
  };
}

/** The session ended: said in the task's log (the person then marks it done or failed, or leaves it). */
export async function endSession(store: Store, taskId: string, exitCode: number, actor: string): Promise<Task> {
  const core = store.core;
  await core.write(async (rev) => {
    await requireTaskRow(core, taskId);
    await appendLog(core, taskId, actor, `Interactive exec session ended (exit code: ${exitCode})`);
    await core.send(core.build.updateTable('tasks').set({ rev }).where('id', '=', taskId));
  });
  return getTask(core, taskId);
}
