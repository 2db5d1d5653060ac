import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths } from '../../src/core/project';
import { type Claimed, claimTask } from '../../src/core/runs/claiming/claim';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg spawn TASK` against upstream's `wg spawn-task` cases (graphwork/workgraph src/commands/spawn_task.rs
 * `mod tests`), each named in its `it`. `wg spawn` asks the running coordinator, which claims the task by hand
 * and starts its run; the claim is where the command decides (which executor, which model, what the task's log
 * says), so it is made here as the coordinator makes it, with no agent process: starting one is what the
 * coordinator's process tests (test/coordinator/spawn-assign.process.test.ts) are for. Without a coordinator
 * the command is refused in one line.
 *
 * Not ported:
 * - coordinator_task_gets_coordinator_role, non_coordinator_task_gets_no_role, role_override_wins,
 *   resume_true_when_journal_exists, resume_false_when_fresh, dot_chat_id_strips_leading_dot_for_chat_ref,
 *   command_preview_has_chat_flag, dry_run_includes_inline_url_endpoint_from_task: upstream's chat sessions
 *   (`.coordinator-N` / `.chat-N` tasks handed to `wg nex --chat`, its journals, roles and per-task endpoint URL)
 *   are not here (docs/upstream.md: `wg coordinator`); a model's endpoint is the model's own (`wg model add --endpoint`).
 * - spawn_task_propagates_wg_model_env_var: the per-chat WG_EXECUTOR_TYPE / WG_MODEL overrides upstream's
 *   daemon supervisor hands `wg spawn-task` belong to those chat sessions; a run's own model here is
 *   `wg spawn --model M` (test/runs/claiming/claim.test.ts).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-spawn-');
  await p.ok(['init', '--no-agency']);
});
afterEach(() => p.remove());

/**
 * What the coordinator does for `wg spawn ID`: claims the task by hand, in the project's store. A claim looks for its
 * run's program, so Claude Code is named by one that is there (nothing is started).
 */
async function spawnClaim(taskId: string): Promise<Claimed> {
  const paths = projectPaths(join(p.root, '.workgraph'));
  const { store } = await openProjectStore(paths);
  try {
    const config = await (await ConfigView.open(paths, {}, () => undefined)).current();
    return await claimTask(store, paths, config, {
      taskId,
      byHand: true,
      apiUrl: null,
      apiToken: null,
      hostEnv: { WG_HOME: p.home, WG_CLAUDE_BIN: process.execPath },
    });
  } finally {
    await store.close();
  }
}

const spawnLine = async (id: string) =>
  (await p.json<Task>(['show', id])).log.map((l) => l.message).find((m) => m.startsWith('Spawned by'));

describe('wg spawn (upstream spawn_task.rs)', () => {
  it("spawn_task_passes_model_to_claude_handler: the task's model reaches its Claude run", async () => {
    await p.importTasks([{ id: 'test-task', model: 'claude:opus' }]);
    const claimed = await spawnClaim('test-task');
    expect(claimed.profile.type).toBe('claude');
    expect(claimed.model).toMatchObject({ name: 'claude:opus', source: 'task' });
    expect(await spawnLine('test-task')).toBe(
      'Spawned by wg spawn --executor claude --model claude:opus (role task_agent: model from the task) as agent-1',
    );
  });

  it("spawn_task_falls_back_to_config_model: a task with no model runs on the project's coordinator.model", async () => {
    await p.ok(['config', '-m', 'claude:opus']);
    await p.importTasks([{ id: 'no-model' }]);
    const claimed = await spawnClaim('no-model');
    expect(claimed.profile.type).toBe('claude');
    expect(claimed.model).toMatchObject({ name: 'claude:opus', source: 'coordinator' });
    expect(await spawnLine('no-model')).toContain('--model claude:opus (role task_agent: model from coordinator.model');
  });

  it('task_model_wins_over_config_model', async () => {
    await p.ok(['config', '-m', 'claude:sonnet']);
    await p.importTasks([{ id: 'override-task', model: 'claude:opus' }]);
    expect((await spawnClaim('override-task')).model).toMatchObject({ name: 'claude:opus', source: 'task' });
  });

  it('user_pinned_dated_id_passes_through_unchanged', async () => {
    await p.importTasks([{ id: 'pinned-task', model: 'claude:claude-opus-4-6' }]);
    expect((await spawnClaim('pinned-task')).model).toMatchObject({ name: 'claude:claude-opus-4-6', id: 'claude-opus-4-6' });
  });

  it('without a running coordinator: refused in one line, the task left as it was', async () => {
    await p.importTasks([{ id: 't1' }]);
    const refused = await p.wg(['spawn', 't1']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toEqual(["wg: the coordinator is not running (start it with 'wg service start')"]);
    expect(await p.json<Task>(['show', 't1'])).toMatchObject({ status: 'open', assigned: null });
  });
});
