import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { claudeProjectEnv, isolatedHostEnv } from '../../fixtures/claude-env';
import { bash, startFakeAnthropic, text, type FakeAnthropic } from '../../fixtures/fake-anthropic';
import { DaemonProject, sleep, waitFor } from '../../service/helpers/daemon-project';

/**
 * The force-kill scenario with the REAL Claude Code CLI: its Bash tool runs each command in a
 * session of its own, outside the agent's process group. The model's command sleeps, then reports
 * done. After `wg kill agent-1 --force`, nothing of agent-1 may survive, and its report (sent late,
 * with its own identity) must not finish the task, which another agent then does.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

const first = '$WG_DIR/../$WG_TASK_ID.first';
// Turn 0 sleeps before reporting the first time. The next agent resumes the killed one's conversation,
// which Claude Code repairs with a message of its own, so it goes on at turn 2.
const SCRIPT = [
  [bash(`if [ -f ${first} ]; then wg done $WG_TASK_ID; else touch ${first}; sleep 20; wg done $WG_TASK_ID; fi`, 'Work, then report')],
  [bash('wg done $WG_TASK_ID', 'Report')],
  [bash('wg done $WG_TASK_ID', 'Report')],
  [text('Reported.')],
];

beforeAll(async () => {
  fake = await startFakeAnthropic(SCRIPT);
  const env: Record<string, string> = {};
  p = new DaemonProject('wg-claude-kill-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, 'home')));
  await p.init();
});
afterAll(async () => {
  await p.remove();
  await fake.close();
});

/** Pid, session and command line of each live process carrying the run's marker (one that ends meanwhile is skipped). */
function processesOf(runId: string): { pid: number; session: number; command: string }[] {
  return (processesOfRuns(new Set([runId])).get(runId) ?? []).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return [{ pid, session: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]), command }];
    } catch {
      return [];
    }
  });
}

describe.runIf(process.platform === 'linux')('wg kill --force of a real Claude Code agent', () => {
  it('leaves nothing of the agent, its Bash tool command included, and its late report cannot finish the task', async () => {
    await p.ok(['add', 'Race', '--id', 'race']);
    await p.start(['--model', 'haiku']);
    const agent = await waitFor(
      'agent-1 to be in its Bash tool call',
      async () => {
        const a = (await p.agentsOf('race'))[0];
        return a?.pid && existsSync(join(p.root, 'race.first')) ? a : null;
      },
      90_000,
    );
    const runId = (await p.runId(agent.id)) as string;
    // The premise: the sleep runs in a session of its own, not the agent's.
    const sleeper = await waitFor(
      'the sleep of the Bash tool',
      () => processesOf(runId).find((proc) => proc.command.startsWith('sleep')),
      30_000,
    );
    expect(sleeper.session).not.toBe(agent.pid);

    await p.ok(['service', 'pause']); // the task waits, unclaimed, while agent-1's report comes in
    await p.ok(['kill', agent.id, '--force', '--redispatch']);
    expect(processesOf(runId)).toEqual([]);
    expect((await p.agentsOf('race'))[0]).toMatchObject({ state: 'killed' });

    // What the sleeping command would have run, with agent-1's identity: refused, and noted. (It carries the
    // run's marker, so it is sent only once the coordinator's own sweep of the run's leftovers is over.)
    await sleep(2500);
    const late = await p.wg(['done', 'race'], { env: { WG_AGENT_ID: agent.id, WG_RUN_ID: runId, WG_TASK_ID: 'race' } });
    expect(late.exitCode).not.toBe(0);
    expect(late.stderr.trim()).toBe(`wg: refused: ${agent.id} is no longer working (killed)`);
    expect(await p.task('race')).toMatchObject({ status: 'open', assigned: null });
    expect((await p.task('race')).log.map((l) => l.message)).toContain(
      `Refused \`wg done\` from ${agent.id}: ${agent.id} is no longer working (killed)`,
    );

    await p.ok(['service', 'resume']);
    const done = await waitFor(
      'another agent to finish the task',
      async () => ((await p.task('race')).status === 'done' ? p.task('race') : null),
      90_000,
    );
    const second = (await p.agentsOf('race'))[1];
    expect(second?.id).not.toBe(agent.id);
    expect(done.log.filter((l) => l.message === 'Task marked done').map((l) => l.actor)).toEqual([second?.id]);
    expect(processesOf(runId)).toEqual([]);
  });
});
