import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { isolatedHostEnv } from '../../fixtures/claude-env';
import { codexEnv } from '../../fixtures/codex-env';
import { openAiTaskOf, startFakeOpenAi, type FakeOpenAi, type OpenAiTurn } from '../../fixtures/fake-openai';
import { DaemonProject, waitFor } from '../../service/helpers/daemon-project';

/**
 * A codex run is `wg codex-run` holding `codex app-server` (executors/codex-app-server/codex-run.ts), with the REAL
 * codex CLI against the scripted fake of the OpenAI Responses API: stopping the run leaves neither of them, nor the
 * model's command, and a run whose agent reports its failure ends as it did under `codex exec` (the task failed with
 * the agent's reason, the run's exit status 0: the turn completed).
 */
let fake: FakeOpenAi;
let p: DaemonProject;

const HOLD = 'touch "$WG_DIR/../holding-$WG_TASK_ID"; sleep 600';

beforeAll(async () => {
  fake = await startFakeOpenAi((body, turn): OpenAiTurn => {
    const task = openAiTaskOf(body);
    if (task === 'held' || task === 'orphaned') return turn === 0 ? { exec: HOLD } : { say: 'Still here.' };
    if (task === 'gives-up')
      return turn === 0 ? { exec: '"$WG_BIN" fail $WG_TASK_ID --reason "the spec contradicts itself"' } : { say: 'Failed it.' };
    return { say: '(not scripted)' };
  });
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-codex-kill-', env, isolatedHostEnv());
  Object.assign(env, codexEnv(fake.url, join(p.root, 'home')));
  await p.init();
  await p.ok(['model', 'add', 'router-model', '--provider', 'openrouter', '--model-id', 'gpt-fake']);
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

/** The live processes carrying the run's marker, with their command lines. */
function processesOf(runId: string): { pid: number; command: string }[] {
  return (processesOfRuns(new Set([runId])).get(runId) ?? []).flatMap((pid) => {
    try {
      return [{ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() }];
    } catch {
      return [];
    }
  });
}
const commandsOf = (runId: string) => processesOf(runId).map((p) => p.command);

/** The agent of `task` once its model's command runs (the file it touches is there). */
async function holding(task: string) {
  return waitFor(
    `the codex run of ${task} to be in its command`,
    async () => {
      const a = (await p.agentsOf(task))[0];
      return a?.pid && existsSync(join(p.root, `holding-${task}`)) ? a : null;
    },
    120_000,
  );
}

describe.runIf(process.platform === 'linux')('a codex run through its app server', () => {
  it('wg kill leaves nothing of it: not the holder, not codex, not the command it ran', async () => {
    await p.ok(['add', 'Hold on', '--id', 'held', '--executor', 'codex', '--model', 'router-model']);
    if (p.daemonPid() === null) await p.start();
    const agent = await holding('held');
    const runId = (await p.runId(agent.id)) as string;
    // The premise: the holder, codex's app server and the model's command all run, each carrying the run's marker.
    const commands = commandsOf(runId);
    expect(commands.some((c) => / codex-run --model gpt-fake -- /.test(c))).toBe(true);
    expect(commands.some((c) => /codex.* app-server /.test(c))).toBe(true);
    expect(commands.some((c) => c.includes('sleep 600'))).toBe(true);

    await p.ok(['kill', agent.id]);
    expect(commandsOf(runId)).toEqual([]);
    expect((await p.agentsOf('held'))[0]).toMatchObject({ state: 'killed' });
  }, 300_000);

  it('the holder killed alone: nothing of the run is left, codex and its command included', async () => {
    // Codex reads the end of its stdin and shuts down, its command with it (seen by hand, the holder killed outside any
    // run); here the run's end also has its leftovers killed, so either suffices.
    await p.ok(['add', 'Lose the holder', '--id', 'orphaned', '--executor', 'codex', '--model', 'router-model']);
    if (p.daemonPid() === null) await p.start();
    const agent = await holding('orphaned');
    const runId = (await p.runId(agent.id)) as string;
    const holder = processesOf(runId).find((proc) => / codex-run --model gpt-fake -- /.test(proc.command));
    expect(holder).toBeDefined();
    process.kill(holder?.pid as number, 'SIGKILL');
    await waitFor('nothing of the run left', () => commandsOf(runId).length === 0, 60_000);
  }, 300_000);

  it("an agent's wg fail: the task failed with its reason, the run ended with status 0", async () => {
    await p.ok(['add', 'Give up', '--id', 'gives-up', '--executor', 'codex', '--model', 'router-model']);
    if (p.daemonPid() === null) await p.start();
    await waitFor(
      'the run to end',
      async () => (await p.task('gives-up')).status === 'failed' && (await p.agentsOf('gives-up')).every((a) => a.state !== 'working'),
      120_000,
    );
    const task = await p.task('gives-up');
    expect(task.status).toBe('failed');
    expect(task.failure_reason).toBe('the spec contradicts itself');
    const [agent] = await p.agentsOf('gives-up');
    expect(readFileSync(join(p.paths.runsDir, agent?.id as string, 'exit'), 'utf8')).toBe('0\n');
    // Its output read as codex exec's was: the agent's last words and the thread's tokens.
    expect(
      p
        .events(agent?.id as string)
        .filter((e) => e.event.type === 'result')
        .map((e) => e.event),
    ).toMatchObject([{ is_error: false, text: 'Failed it.', tokens_in: 2000, tokens_out: 100 }]);
  }, 300_000);
});
