import { sqlText } from '../../helpers/sql-text';
import { ProgramMissing } from '../../../src/core/runs/claiming/claim-waits';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/config/config-view';
import { claimTask, newRunId, type SpawnOverride } from '../../../src/core/runs/claiming/claim';
import { saveCheckpoint } from '../../../src/core/run-folder/checkpoints';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { Store } from '../../../src/core/store/store';
import { refusal } from '../../helpers/refusal';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-claim-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = await Store.open(paths.db);

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/**
 * A claim looks for its run's program (a missing one refuses it): each agent CLI is named by a program that is there,
 * whatever this machine has installed. Nothing is started here.
 */
const hostEnv = { ...process.env, WG_CLAUDE_BIN: process.execPath, WG_CODEX_BIN: process.execPath, WG_AMPLIFIER_BIN: process.execPath };

const claim = async (taskId: string, override?: SpawnOverride, env: Record<string, string | undefined> = hostEnv) =>
  claimTask(store, paths, await (await ConfigView.open(paths, {}, () => undefined)).current(), {
    taskId,
    byHand: override !== undefined,
    apiUrl: null,
    apiToken: null,
    hostEnv: env,
    override,
  });

describe('claiming a task', () => {
  it('reads the whole task (its dependencies and log are in a prompt)', async () => {
    await store.tasks.add({ title: 'base', id: 'base' }, 'test');
    await store.tasks.done('base', {}, 'test');
    await store.tasks.add({ title: 'agent work', id: 'agent-work', executor: 'claude', after: ['base'] }, 'test');
    await store.tasks.log('agent-work', 'a note for the agent', 'test');
    const claimed = await claim('agent-work');
    expect(claimed.task.after).toEqual(['base']);
    expect(claimed.task.log.map((entry) => entry.message)).toContain('a note for the agent');
  });
});

describe("how long a run may take, and with what (upstream spawn/execution.rs: the spawn's own, the task's, the executor's, the project's)", () => {
  it("a task's --timeout is its runs' deadline, before the project's agent.timeout", async () => {
    await store.tasks.add({ title: 'timed', id: 'timed', executor: 'claude', extra: { timeout: '30m' } }, 'test');
    expect((await claim('timed')).record.timeout_s).toBe(1800);
    await store.tasks.add({ title: 'untimed', id: 'untimed', executor: 'claude' }, 'test');
    expect((await claim('untimed')).record.timeout_s).toBe(
      (await (await ConfigView.open(paths, {}, () => undefined)).current()).settings.agent.timeout,
    );
  });

  it("wg spawn --executor, --model and --timeout are this run's own, before the task's", async () => {
    await store.tasks.add({ title: 'spawned', id: 'spawned', executor: 'codex', extra: { timeout: '30m' } }, 'test');
    const claimed = await claim('spawned', { executor: 'claude', model: 'sonnet', timeoutS: 90 });
    expect(claimed.profile.name).toBe('claude');
    expect(claimed.model.name).toBe('sonnet');
    expect(claimed.record.timeout_s).toBe(90);
  });
});

describe('how messages reach the run, told truly', () => {
  // On stdin (claude, amplifier) or as codex's last argument.
  const promptOf = (claimed: Awaited<ReturnType<typeof claim>>) =>
    claimed.spec.kind === 'process' ? (claimed.spec.stdin ?? claimed.spec.args[claimed.spec.args.length - 1] ?? '') : '';

  it('a Claude Code or codex run gets the hooks: its prompt says new messages come after its tool calls, and its record says so', async () => {
    for (const executor of ['claude', 'codex']) {
      await store.tasks.add({ title: `${executor} run`, id: `hooked-${executor}`, executor }, 'test');
      const claimed = await claim(`hooked-${executor}`);
      expect(promptOf(claimed)).toContain('New ones are handed to you after your tool calls');
      expect((await store.agents.find(claimed.agent.id))?.message_hooks).toBe(true);
    }
  });

  it('an amplifier run gets none: its prompt tells it to check at breakpoints, and the window is not told otherwise', async () => {
    await store.tasks.add({ title: 'amplifier run', id: 'polling-amplifier', executor: 'amplifier' }, 'test');
    const claimed = await claim('polling-amplifier');
    expect(promptOf(claimed)).not.toContain('handed to you after your tool calls');
    expect(promptOf(claimed)).toContain('natural breakpoints in your work');
    expect((await store.agents.find(claimed.agent.id))?.message_hooks).toBeUndefined();
  });
});

describe('a claim refused', () => {
  it('changes nothing before it is refused, so the turn goes on (and agent ids stay in sequence)', async () => {
    await store.tasks.add({ title: 'by hand', id: 'by-hand', executor: 'manual' }, 'test');
    await store.tasks.add({ title: 'next', id: 'next', exec: 'true' }, 'test');
    const seq = async () => (await sqlText<{ value: number }>(store.core, "SELECT value FROM meta WHERE key = 'agent_seq'").get())?.value;
    const before = (await seq()) ?? 0;
    const claimed = await store.core.batch(async () => {
      await expect(() => claim('by-hand')).rejects.toThrow(/done by hand/);
      return claim('next');
    });
    expect(claimed.agent.id).toBe(`agent-${before + 1}`);
    expect(await seq()).toBe(before + 1);
    expect(await store.get('by-hand')).toMatchObject({ status: 'open', assigned: null });
    expect(await store.get('next')).toMatchObject({ status: 'in-progress', assigned: claimed.agent.id });
  });

  it('a program that is not on this machine: refused as ProgramMissing, with what to install, and nothing changed', async () => {
    await store.tasks.add({ title: 'needs codex', id: 'needs-codex', executor: 'codex' }, 'test');
    const seq = async () => (await sqlText<{ value: number }>(store.core, "SELECT value FROM meta WHERE key = 'agent_seq'").get())?.value;
    const before = await seq();
    const refused = await refusal(() =>
      store.core.batch(() => claim('needs-codex', undefined, { ...hostEnv, WG_CODEX_BIN: undefined, PATH: root })),
    );
    expect(refused).toBeInstanceOf(ProgramMissing);
    expect(refused).toMatchObject({
      executor: 'codex',
      message: 'the codex CLI is not installed (or not on PATH): install it (npm install -g @openai/codex) or set WG_CODEX_BIN to it',
    });
    expect(await seq()).toBe(before);
    expect(await store.get('needs-codex')).toMatchObject({ status: 'open', assigned: null });
    expect(await store.agents.forTask('needs-codex')).toEqual([]);
  });
});

describe('run ids', () => {
  it('are 128 random bits in hex, never repeated', () => {
    const ids = Array.from({ length: 1000 }, () => newRunId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("a task's next run is told the progress its earlier runs saved (`wg checkpoint`)", () => {
  const promptOf = (claimed: Awaited<ReturnType<typeof claim>>) =>
    claimed.spec.kind === 'process' ? (claimed.spec.stdin ?? claimed.spec.args[claimed.spec.args.length - 1] ?? '') : '';
  const checkpoint = (agentId: string, summary: string, at: string) =>
    saveCheckpoint(
      paths.runsDir,
      {
        task_id: 'resumed',
        agent_id: agentId,
        timestamp: at,
        type: 'explicit',
        summary,
        files_modified: [],
        artifacts_registered: [],
        stream_offset: null,
        turn_count: null,
        token_usage: null,
      },
      5,
    );
  const endRun = async (agentId: string, state: 'failed' | 'done') => {
    await sqlText(store.core, "UPDATE agents SET state = ?, ended_at = '2026-03-01T13:00:00.000Z' WHERE id = ?").run(state, agentId);
    await sqlText(store.core, "UPDATE tasks SET status = 'open', assigned = NULL WHERE id = 'resumed'").run();
  };

  it("upstream's find_checkpoint_for_task: the newest checkpoint of the run before; none once an earlier occurrence was done", async () => {
    await store.tasks.add({ title: 'resumed', id: 'resumed', executor: 'claude' }, 'test');
    const first = await claim('resumed');
    expect(promptOf(first)).not.toContain('## Checkpoint');
    checkpoint(first.agent.id, 'parser written, tests left', '2026-03-01T12:30:00.000Z');
    await endRun(first.agent.id, 'failed');
    const second = await claim('resumed');
    expect(promptOf(second)).toContain(`## Checkpoint\nCheckpoint (Explicit, agent ${first.agent.id}): parser written, tests left`);
    await endRun(second.agent.id, 'done');
    expect(promptOf(await claim('resumed'))).not.toContain('## Checkpoint');
  });
});
