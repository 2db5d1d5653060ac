import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProjectHost } from '../../../src/core/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/shared/agent';
import { cgroupBase, cgroupPopulated } from '../../../src/core/processes/run-cgroup';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { readRunCgroup, runFiles } from '../../../src/core/run-folder/run-files';
import { DaemonProject, isZombieOrGone, sleep, waitFor } from '../../service/helpers/daemon-project';

/**
 * Agents whose processes leave their process group and session (setsid, as Claude Code's Bash tool
 * does, a double fork, one that ignores SIGTERM): every kill path must stop all of them, by the
 * run's cgroup where this system gives one, and by the run id in their environment either way.
 */

/**
 * The task's command: three escapees in sessions of their own (one from a double fork), plus, with a
 * cgroup, one that also drops its whole environment (only the cgroup holds it). Each writes its pid to
 * the run's list. A rerun of the task after a kill finishes at once.
 * `stubborn`: the first escapee ignores SIGTERM, so the kill must wait out its grace (kill-runs.ts, 5 s) and
 * SIGKILL it. Every kill path ends in the one killRuns, so the cases that are about that escalation have one; the
 * others are about finding the escapees at all, and wait for no grace.
 * `ignoreTerm`: the command itself ignores SIGTERM too.
 * `exits`: once every escapee has written its pid, the command exits 0 by itself, leaving them running.
 */
function escaper(root: string, options: { scrubbedToo: boolean; stubborn?: boolean; ignoreTerm?: boolean; exits?: boolean }): string {
  const list = `${root}/$WG_AGENT_ID.pids`;
  return [
    `[ -f ${root}/$WG_TASK_ID.ran ] && exit 0; touch ${root}/$WG_TASK_ID.ran`,
    ...(options.ignoreTerm ? ["trap '' TERM"] : []),
    `setsid sh -c 'echo $$ >> "$0"; ${options.stubborn ? 'trap "" TERM; ' : ''}exec sleep 300' ${list} &`,
    `(setsid sh -c 'echo $$ >> "$0"; exec sleep 300' ${list} &)`,
    `setsid -f sh -c 'echo $$ >> "$0"; exec sleep 300' ${list}`,
    ...(options.scrubbedToo ? [`setsid -f env -i /bin/sh -c 'echo $$ >> "$0"; exec sleep 300' ${list}`] : []),
    options.exits
      ? `while [ "$(cat ${list} 2>/dev/null | wc -l)" -lt ${ESCAPEES(options.scrubbedToo)} ]; do sleep 0.05; done; exit 0`
      : 'sleep 300',
  ].join('\n');
}

function ESCAPEES(scrubbed: boolean): number {
  return scrubbed ? 4 : 3;
}

function scenario(mode: 'cgroup' | 'marker') {
  const useCgroup = mode !== 'marker' && cgroupBase() !== null;
  const env: Record<string, string> = mode === 'marker' ? { WG_NO_CGROUP: '1' } : {};
  const p = new DaemonProject(`wg-escape-${mode}-`, env);
  const command = (options: { ignoreTerm?: boolean; stubborn?: boolean }) => escaper(p.root, { scrubbedToo: useCgroup, ...options });
  let n = 0;

  /** Adds a task of escapees (its command is `script`), and returns its id. */
  async function added(script: string, executor?: string): Promise<string> {
    const taskId = `t${++n}`;
    writeFileSync(join(p.root, `${taskId}.sh`), script);
    await p.ok([
      'add',
      taskId,
      '--id',
      taskId,
      '--exec',
      `sh ${join(p.root, `${taskId}.sh`)}`,
      ...(executor ? ['--executor', executor] : []),
    ]);
    return taskId;
  }

  /** The pids its escapees wrote. */
  const pidsOf = (agent: Agent): number[] => {
    const file = join(p.root, `${agent.id}.pids`);
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
  };

  /** Adds a task of escapees and waits until its agent runs and all of them have started. */
  async function running(
    options: { ignoreTerm?: boolean; stubborn?: boolean; executor?: string } = {},
  ): Promise<{ taskId: string; agent: Agent; pids: number[] }> {
    const taskId = await added(command(options), options.executor);
    const agent = await waitFor(
      `${taskId} to run`,
      async () => (await p.agentsOf(taskId)).find((a) => a.state === 'working' && a.pid !== null),
      30_000,
    );
    const pids = await waitFor(
      `${taskId}'s escapees`,
      () => {
        const list = pidsOf(agent);
        return list.length >= ESCAPEES(useCgroup) ? list : null;
      },
      30_000,
    );
    return { taskId, agent, pids };
  }

  /** Nothing of the run is left: not its escapees, nothing carrying its marker, no cgroup member. */
  async function nothingLeft(agent: Agent, pids: number[]): Promise<void> {
    const runId = (await p.runId(agent.id)) as string;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(
      `nothing of ${agent.id} to be left`,
      () => pids.every(isZombieOrGone) && !processesOfRuns(new Set([runId])).has(runId),
      10_000,
    );
    const cgroup = readRunCgroup(runFiles(join(p.paths.runsDir, agent.id)));
    if (useCgroup) {
      expect(cgroup).not.toBeNull();
      expect(cgroupPopulated(cgroup as string)).toBe(false);
    } else {
      expect(cgroup).toBeNull();
    }
  }

  beforeAll(async () => {
    await p.init();
    writeFileSync(p.paths.config, '[coordinator]\nmax_agents = 4\n\n[executors.quick]\ntype = "shell"\ntimeout = 2\n');
    await p.start();
  });
  afterAll(() => p.remove());

  it('they escape their process group and session (the premise)', async () => {
    const { agent, pids, taskId } = await running();
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
      expect(session).not.toBe(agent.pid);
    }
    await p.ok(['kill', agent.id, '--force', '--redispatch']);
    await nothingLeft(agent, pids);
    await waitFor(`${taskId} to finish on its rerun`, async () => (await p.task(taskId)).status === 'done');
  });

  it('wg kill (SIGTERM, then SIGKILL for what ignores it)', async () => {
    const { agent, pids, taskId } = await running({ stubborn: true });
    await p.ok(['kill', agent.id]);
    await nothingLeft(agent, pids);
    expect((await p.agentsOf(taskId))[0]).toMatchObject({ state: 'killed' });
    expect((await p.task(taskId)).retry_count).toBe(0);
  });

  it('wg kill --all, one agent ignoring SIGTERM: nothing left, and no other task counts as vanished or uses a retry', async () => {
    const stubborn = await running({ ignoreTerm: true, stubborn: true });
    const plain = await running();
    await p.ok(['kill', '--all', '--redispatch']);
    await nothingLeft(stubborn.agent, stubborn.pids);
    await nothingLeft(plain.agent, plain.pids);
    await sleep(1500); // past the coordinator's grace for signal deaths
    for (const { taskId } of [stubborn, plain]) {
      const task = await waitFor(`${taskId} to finish on its rerun`, async () =>
        (await p.task(taskId)).status === 'done' ? p.task(taskId) : null,
      );
      expect(task.retry_count).toBe(0);
      expect(task.log.some((l) => l.message.startsWith('Task failed') || l.message.includes('stopped:'))).toBe(false);
      expect((await p.agentsOf(taskId)).map((a) => a.state)).toEqual(['killed', 'done']);
    }
  });

  it('a run timeout', async () => {
    const { agent, pids, taskId } = await running({ executor: 'quick' });
    await waitFor('the timeout', async () => (await p.task(taskId)).status === 'failed', 20_000);
    expect((await p.task(taskId)).failure_reason).toBe('timed out after 2 s');
    await nothingLeft(agent, pids);
  });

  it("a person's `wg done` while the agent runs: the task is done, the run ends as done, and nothing of it is left", async () => {
    const { agent, pids, taskId } = await running();
    await p.ok(['done', taskId]);
    await nothingLeft(agent, pids);
    expect((await p.agentsOf(taskId))[0]).toMatchObject({ state: 'done', reason: 'task marked done by user' });
  });

  it('a run that exits by itself: its task is done, and what it left running is stopped', async () => {
    const taskId = await added(escaper(p.root, { scrubbedToo: useCgroup, exits: true }));
    await waitFor(`${taskId} to be done`, async () => (await p.task(taskId)).status === 'done', 30_000);
    const [agent, ...others] = await p.agentsOf(taskId);
    expect(others).toEqual([]);
    expect(agent).toMatchObject({ state: 'done' });
    const pids = pidsOf(agent as Agent);
    expect(pids).toHaveLength(ESCAPEES(useCgroup));
    await nothingLeft(agent as Agent, pids);
  });

  it('wg service stop --kill-agents', async () => {
    const { agent, pids } = await running();
    await p.ok(['service', 'stop', '--kill-agents']);
    await nothingLeft(agent, pids);
  });
}

describe.runIf(process.platform === 'linux')('kills reach escaped processes, by cgroup where there is one', () => scenario('cgroup'));
describe.runIf(process.platform === 'linux')('kills reach escaped processes by their marker alone (no cgroup)', () => scenario('marker'));

describe.runIf(process.platform === 'linux')("the app's quit-and-stop", () => {
  it('stops everything its agents started, escapees included', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-escape-app-'));
    process.env.WG_HOME = join(root, '.home');
    mkdirSync(join(root, '.workgraph'), { recursive: true });
    writeFileSync(join(root, 'job.sh'), escaper(root, { scrubbedToo: cgroupBase() !== null, stubborn: true }));
    const host = await openProjectHost(root, { createIfMissing: true });
    try {
      await host.dispatch('task:add', { title: 'Escape', id: 'escape', exec: `sh ${join(root, 'job.sh')}` });
      const agent = await waitFor(
        'the agent',
        async () => (await host.dispatch('agent:list', { working: true })).find((a) => a.pid !== null),
        30_000,
      );
      const file = join(root, `${agent.id}.pids`);
      const pids = await waitFor(
        'the escapees',
        () => {
          const list = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
          return list.length >= ESCAPEES(cgroupBase() !== null) ? list : null;
        },
        30_000,
      );
      await host.close({ stopAgents: true });
      expect(pids.every(isZombieOrGone)).toBe(true);
    } finally {
      await host.close({ stopAgents: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
