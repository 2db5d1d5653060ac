import { sqlText } from '../../helpers/sql-text';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFiles } from '../../../src/core/run-folder/run-files';
import { runDir } from '../../../src/core/run-folder/run-log';
import { cgroupBase } from '../../../src/core/processes/run-cgroup';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { Store } from '../../../src/core/store/store';
import { DaemonProject, isZombieOrGone } from '../../service/helpers/daemon-project';
import { markedSleep } from '../../helpers/marked-sleep';

/*
 * A coordinator that dies while a run's wrapper is starting, before it wrote its pid (the store has none either):
 * the next coordinator adopts a run with no pid anywhere. Its wrapper is alive and carries the run's marker (and is
 * in its cgroup, where there is one); judged vanished at once, its task would be retried and run twice. It is
 * watched instead, and its end judged once. The state is made by hand from a real run: the daemon killed, the
 * run's pid taken out of the store and its pid file removed, as a wrapper stopped before writing it leaves them.
 */
/** A sleep no other process on the machine runs: the run's command, ended by the test. */
const sleeper = markedSleep(1050);
const MARK = sleeper.mark;
const projects: DaemonProject[] = [];

afterAll(async () => {
  sleeper.killAll();
  for (const p of projects) await p.remove();
});

/**
 * A project whose daemon was killed (kill -9) while task `id` ran `exec` (which appends to `count` first): the run's
 * wrapper, and its command, go on, adopted by nobody yet.
 */
async function killedMidRun(prefix: string, env: Record<string, string>, id: string, exec: (count: string) => string) {
  const p = new DaemonProject(prefix, env);
  projects.push(p);
  await p.init();
  await p.ok(['config', '--poll-interval', '3600']);
  const count = join(p.root, 'runs.count');
  await p.start(['--executor', 'shell']);
  await p.ok(['add', id, '--id', id, '--exec', exec(count)]);
  const agent = await p.waitFor('the run working with its pid', async () =>
    (await p.agentsOf(id)).find((a) => a.state === 'working' && a.pid !== null),
  );
  await p.waitFor('its command started', () => existsSync(count));
  const daemon = p.daemonPid() as number;
  process.kill(daemon, 'SIGKILL');
  await p.waitFor('the daemon gone', () => isZombieOrGone(daemon));
  return { p, agent, count };
}

/** The run's pid taken out of the store and its pid file removed, as a wrapper stopped before writing it leaves them. */
async function forgetPid(p: DaemonProject, agentId: string): Promise<void> {
  const store = await Store.open(p.paths.db);
  try {
    await sqlText(store.core, 'UPDATE agents SET pid = NULL WHERE id = ?').run(agentId);
  } finally {
    await store.close();
  }
  rmSync(runFiles(runDir(p.paths.runsDir, agentId)).pid);
}

describe.runIf(process.platform === 'linux').each([
  ['by its cgroup and marker', {}],
  ['by its marker alone (no cgroup)', { WG_NO_CGROUP: '1' }],
])('a run adopted with no pid while its wrapper is alive, found %s', (_name, env: Record<string, string>) => {
  it('is watched to its end and its task runs once', async () => {
    const { p, agent, count } = await killedMidRun(
      'wg-adopt-starting-',
      env,
      'once',
      (count) => `echo run >> ${count}; sleep ${MARK}; exit 0`,
    );
    // No pid anywhere, as a wrapper stopped before writing it leaves the run; the wrapper itself runs on.
    await forgetPid(p, agent.id);
    const runId = (await p.runId(agent.id)) as string;
    expect(processesOfRuns(new Set([runId])).get(runId)).toContain(agent.pid);
    if (!env.WG_NO_CGROUP && cgroupBase() !== null) expect(existsSync(runFiles(runDir(p.paths.runsDir, agent.id)).cgroup)).toBe(true);

    await p.start(['--executor', 'shell']);
    await p.waitFor('the run adopted', () => readFileSync(p.paths.daemonLog, 'utf8').includes(`adopted ${agent.id}`));
    // The run's command goes on past its sleep and exits 0 (only the sleep is ended, not the shells whose command
    // lines name it): the adopted run is judged on its exit file.
    execFileSync('pkill', ['-f', `^sleep ${MARK}$`]);
    await p.waitFor('the task settled', async () => (await p.task('once')).status === 'done');
    expect((await p.agentsOf('once')).map((a) => [a.id, a.state])).toEqual([[agent.id, 'done']]);
    expect(readFileSync(count, 'utf8')).toBe('run\n');
    await p.ok(['service', 'stop']);
  }, 120_000);
});

/*
 * The same moment, but the wrapper gone too before it wrote its pid file (which it writes just before the command):
 * nothing of the run is left, and its command never ran. Its task starts again using no retry (not "retry 1 of 3"). The state is made by hand as above, the run's processes killed as well.
 */
describe.runIf(process.platform === 'linux')('a run adopted with no pid and nothing of it left', () => {
  it('starts its task again without using a retry', async () => {
    const { p, agent } = await killedMidRun(
      'wg-adopt-never-began-',
      { WG_NO_CGROUP: '1' },
      'again',
      (count) => `echo run >> ${count}; [ "$(wc -l < ${count})" -gt 1 ] || sleep ${MARK}; exit 0`,
    );
    // The run's process group (its wrapper leads it) goes too: nothing of it is left to find.
    process.kill(-(agent.pid as number), 'SIGKILL');
    await p.waitFor('the wrapper gone', () => isZombieOrGone(agent.pid as number));
    await forgetPid(p, agent.id);
    rmSync(runFiles(runDir(p.paths.runsDir, agent.id)).exit, { force: true });

    await p.start(['--executor', 'shell']);
    await p.waitFor('the task done on its next run', async () => (await p.task('again')).status === 'done', 60_000);
    const task = await p.task('again');
    expect(task.retry_count).toBe(0);
    expect(task.log.map((l) => l.message).join('\n')).toContain(
      'its start was cut short (the coordinator stopped while starting it); started again, using no retry',
    );
    expect((await p.agentsOf('again')).map((a) => a.id)).toHaveLength(2);
    await p.ok(['service', 'stop']);
  }, 120_000);
});
